// MixMate's own declarations of the VST3 binary interface (x86-64 Linux, System V calls).
//
// Facts (interface IDs, method order, struct layouts, constants) were checked against
// Steinberg's public pluginterfaces headers (SDK 3.7.x); nothing here is copied from them.
// Every struct that crosses the host boundary has static_asserts on its size and offsets,
// so a wrong field shows up at compile time instead of as a crash in a DAW.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vst3
{

using tresult = int32_t;
using TBool = uint8_t;
using char16 = char16_t;
using String128 = char16[128];
using ParamID = uint32_t;
using ParamValue = double;
using SpeakerArrangement = uint64_t;
using MediaType = int32_t;
using BusDirection = int32_t;
using IoMode = int32_t;
using FIDString = const char*;

// Result codes on Linux are the plain (non-COM) values.
enum : tresult
{
    kNoInterface = -1,
    kResultOk = 0,
    kResultTrue = 0,
    kResultFalse = 1,
    kInvalidArgument = 2,
    kNotImplemented = 3,
    kInternalError = 4,
    kNotInitialized = 5,
    kOutOfMemory = 6,
};

// An interface or class ID: 16 bytes. On Linux the four 32-bit words are stored big-endian,
// so the bytes follow the hex digits in reading order.
struct Tuid
{
    uint8_t bytes[16];
};
static_assert(sizeof(Tuid) == 16);

constexpr Tuid makeTuid(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return Tuid{{uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a), uint8_t(b >> 24),
                 uint8_t(b >> 16), uint8_t(b >> 8), uint8_t(b), uint8_t(c >> 24), uint8_t(c >> 16),
                 uint8_t(c >> 8), uint8_t(c), uint8_t(d >> 24), uint8_t(d >> 16), uint8_t(d >> 8),
                 uint8_t(d)}};
}

inline bool tuidEquals(const void* raw, const Tuid& id)
{
    return raw != nullptr && std::memcmp(raw, id.bytes, 16) == 0;
}

// Interface IDs (pluginterfaces: base/funknown.h, base/ipluginbase.h, base/ibstream.h, vst/*.h).
inline constexpr Tuid kIidFUnknown = makeTuid(0x00000000, 0x00000000, 0xC0000000, 0x00000046);
inline constexpr Tuid kIidIPluginBase = makeTuid(0x22888DDB, 0x156E45AE, 0x8358B348, 0x08190625);
inline constexpr Tuid kIidIPluginFactory = makeTuid(0x7A4D811C, 0x52114A1F, 0xAED9D2EE, 0x0B43BF9F);
inline constexpr Tuid kIidIPluginFactory2 = makeTuid(0x0007B650, 0xF24B4C0B, 0xA464EDB9, 0xF00B2ABB);
inline constexpr Tuid kIidIPluginFactory3 = makeTuid(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931);
inline constexpr Tuid kIidIBStream = makeTuid(0xC3BF6EA2, 0x30994752, 0x9B6BF990, 0x1EE33E9B);
inline constexpr Tuid kIidIComponent = makeTuid(0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802);
inline constexpr Tuid kIidIAudioProcessor = makeTuid(0x42043F99, 0xB7DA453C, 0xA569E79D, 0x9AAEC33D);
inline constexpr Tuid kIidIProcessContextRequirements =
    makeTuid(0x2A654303, 0xEF764E3D, 0x95B5FE83, 0x730EF6D0);
inline constexpr Tuid kIidIEditController = makeTuid(0xDCD7BBE3, 0x7742448D, 0xA874AACC, 0x979C759E);
inline constexpr Tuid kIidIComponentHandler = makeTuid(0x93A0BEA3, 0x0BD045DB, 0x8E890B0C, 0xC1E46AC6);
inline constexpr Tuid kIidIComponentHandler2 = makeTuid(0xF040B4B3, 0xA36045EC, 0xABCDC045, 0xB4D5A2CC);
inline constexpr Tuid kIidIEventList = makeTuid(0x3A2C4214, 0x346349FE, 0xB2C4F397, 0xB9695A44);
inline constexpr Tuid kIidIHostApplication = makeTuid(0x58E595CC, 0xDB2D4969, 0x8B6AAF8C, 0x36A664E5);
inline constexpr Tuid kIidIParamValueQueue = makeTuid(0x01263A18, 0xED074F6F, 0x98C9D356, 0x4686F9BA);
inline constexpr Tuid kIidIParameterChanges = makeTuid(0xA4779663, 0x0BB64A56, 0xB44384A8, 0x466FEB9D);
// gui/iplugview.h, gui/iplugviewcontentscalesupport.h
inline constexpr Tuid kIidIPlugView = makeTuid(0x5BC32507, 0xD06049EA, 0xA6151B52, 0x2B755B29);
inline constexpr Tuid kIidIPlugFrame = makeTuid(0x367FAF01, 0xAFA94693, 0x8D4DA2A0, 0xED0882A3);
inline constexpr Tuid kIidIPlugViewContentScaleSupport = makeTuid(0x65ED9690, 0x8AC44525, 0x8AADEF7A, 0x72EA703F);
inline constexpr Tuid kIidLinuxIEventHandler = makeTuid(0x561E65C9, 0x13A0496F, 0x813A2C35, 0x654D7983);
inline constexpr Tuid kIidLinuxITimerHandler = makeTuid(0x10BDD94F, 0x41424774, 0x821FAD8F, 0xECA72CA9);
inline constexpr Tuid kIidLinuxIRunLoop = makeTuid(0x18C35366, 0x97764F1A, 0x9C5B8385, 0x7A871389);

// The platform type of an X11 parent window (IPlugView::attached's type argument).
inline constexpr const char* kPlatformTypeX11EmbedWindowID = "X11EmbedWindowID";

// --- constants -----------------------------------------------------------------------------
enum : MediaType
{
    kAudio = 0,
    kEvent = 1
};
enum : BusDirection
{
    kInput = 0,
    kOutput = 1
};
enum : int32_t
{
    kMain = 0,
    kAux = 1
};
enum : uint32_t
{
    kDefaultActive = 1u << 0
};
enum : int32_t
{
    kRealtime = 0,
    kPrefetch = 1,
    kOffline = 2
};
enum : int32_t
{
    kSample32 = 0,
    kSample64 = 1
};
enum : int32_t
{
    kCanAutomate = 1 << 0,
    kIsReadOnly = 1 << 1,
    kIsWrapAround = 1 << 2,
    kIsList = 1 << 3,
    kIsHidden = 1 << 4,
    kIsProgramChange = 1 << 15,
    kIsBypass = 1 << 16
};
enum : int32_t
{
    kReloadComponent = 1 << 0,
    kIoChanged = 1 << 1,
    kParamValuesChanged = 1 << 2,
    kLatencyChanged = 1 << 3,
};
enum : uint16_t
{
    kNoteOnEvent = 0,
    kNoteOffEvent = 1
};
enum : int32_t
{
    kIBSeekSet = 0,
    kIBSeekCur = 1,
    kIBSeekEnd = 2
};
enum : int32_t
{
    kManyInstances = 0x7FFFFFFF
};
enum : int32_t
{
    kFactoryUnicode = 1 << 4
};
enum : uint32_t
{
    kDistributable = 1u << 0,
    kSimpleModeSupported = 1u << 1
};
inline constexpr SpeakerArrangement kSpeakerMono = 1ull << 19;
inline constexpr SpeakerArrangement kSpeakerStereo = 0x3;
inline constexpr uint32_t kNoTail = 0;

// --- structs -------------------------------------------------------------------------------
struct PFactoryInfo
{
    char vendor[64];
    char url[256];
    char email[128];
    int32_t flags;
};
static_assert(sizeof(PFactoryInfo) == 452 && offsetof(PFactoryInfo, flags) == 448);

struct PClassInfo
{
    uint8_t cid[16];
    int32_t cardinality;
    char category[32];
    char name[64];
};
static_assert(sizeof(PClassInfo) == 116 && offsetof(PClassInfo, name) == 52);

struct PClassInfo2
{
    uint8_t cid[16];
    int32_t cardinality;
    char category[32];
    char name[64];
    uint32_t classFlags;
    char subCategories[128];
    char vendor[64];
    char version[64];
    char sdkVersion[64];
};
static_assert(sizeof(PClassInfo2) == 440 && offsetof(PClassInfo2, classFlags) == 116 &&
              offsetof(PClassInfo2, sdkVersion) == 376);

struct PClassInfoW
{
    uint8_t cid[16];
    int32_t cardinality;
    char category[32];
    char16 name[64];
    uint32_t classFlags;
    char subCategories[128];
    char16 vendor[64];
    char16 version[64];
    char16 sdkVersion[64];
};
static_assert(sizeof(PClassInfoW) == 696 && offsetof(PClassInfoW, classFlags) == 180 &&
              offsetof(PClassInfoW, vendor) == 312);

struct ProcessSetup
{
    int32_t processMode;
    int32_t symbolicSampleSize;
    int32_t maxSamplesPerBlock;
    double sampleRate;
};
static_assert(sizeof(ProcessSetup) == 24 && offsetof(ProcessSetup, sampleRate) == 16);

struct AudioBusBuffers
{
    int32_t numChannels;
    uint64_t silenceFlags;
    union
    {
        float** channelBuffers32;
        double** channelBuffers64;
    };
};
static_assert(sizeof(AudioBusBuffers) == 24 && offsetof(AudioBusBuffers, silenceFlags) == 8 &&
              offsetof(AudioBusBuffers, channelBuffers32) == 16);

class IParameterChanges;
class IEventList;

struct ProcessData
{
    int32_t processMode;
    int32_t symbolicSampleSize;
    int32_t numSamples;
    int32_t numInputs;
    int32_t numOutputs;
    AudioBusBuffers* inputs;
    AudioBusBuffers* outputs;
    IParameterChanges* inputParameterChanges;
    IParameterChanges* outputParameterChanges;
    IEventList* inputEvents;
    IEventList* outputEvents;
    void* processContext;
};
static_assert(sizeof(ProcessData) == 80 && offsetof(ProcessData, inputs) == 24 &&
              offsetof(ProcessData, inputParameterChanges) == 40 &&
              offsetof(ProcessData, inputEvents) == 56 && offsetof(ProcessData, processContext) == 72);

struct BusInfo
{
    MediaType mediaType;
    BusDirection direction;
    int32_t channelCount;
    String128 name;
    int32_t busType;
    uint32_t flags;
};
static_assert(sizeof(BusInfo) == 276 && offsetof(BusInfo, name) == 12 && offsetof(BusInfo, busType) == 268);

struct RoutingInfo
{
    MediaType mediaType;
    int32_t busIndex;
    int32_t channel;
};
static_assert(sizeof(RoutingInfo) == 12);

struct ParameterInfo
{
    ParamID id;
    String128 title;
    String128 shortTitle;
    String128 units;
    int32_t stepCount;
    ParamValue defaultNormalizedValue;
    int32_t unitId;
    int32_t flags;
};
static_assert(sizeof(ParameterInfo) == 792 && offsetof(ParameterInfo, stepCount) == 772 &&
              offsetof(ParameterInfo, defaultNormalizedValue) == 776 &&
              offsetof(ParameterInfo, flags) == 788);

struct NoteOnEvent
{
    int16_t channel;
    int16_t pitch;
    float tuning;
    float velocity;
    int32_t length;
    int32_t noteId;
};
static_assert(sizeof(NoteOnEvent) == 20 && offsetof(NoteOnEvent, velocity) == 8);

struct NoteOffEvent
{
    int16_t channel;
    int16_t pitch;
    float velocity;
    int32_t noteId;
    float tuning;
};
static_assert(sizeof(NoteOffEvent) == 16 && offsetof(NoteOffEvent, velocity) == 4);

struct Event
{
    int32_t busIndex;
    int32_t sampleOffset;
    double ppqPosition;
    uint16_t flags;
    uint16_t type;
    union
    {
        NoteOnEvent noteOn;
        NoteOffEvent noteOff;
        struct
        {
            uint32_t words[3];
            const void* pointer;
        } largestMember; // shape of the note-expression text event: three 32-bit fields and a pointer
    };
};
static_assert(sizeof(Event) == 48 && offsetof(Event, type) == 18 && offsetof(Event, noteOn) == 24);

// --- interfaces (vtable order = declaration order; no virtual destructors) -----------------
class FUnknown
{
public:
    virtual tresult queryInterface(const char* iid, void** obj) = 0;
    virtual uint32_t addRef() = 0;
    virtual uint32_t release() = 0;
};

class IBStream : public FUnknown
{
public:
    virtual tresult read(void* buffer, int32_t numBytes, int32_t* numBytesRead) = 0;
    virtual tresult write(void* buffer, int32_t numBytes, int32_t* numBytesWritten) = 0;
    virtual tresult seek(int64_t pos, int32_t mode, int64_t* result) = 0;
    virtual tresult tell(int64_t* pos) = 0;
};

class IPluginBase : public FUnknown
{
public:
    virtual tresult initialize(FUnknown* context) = 0;
    virtual tresult terminate() = 0;
};

class IPluginFactory : public FUnknown
{
public:
    virtual tresult getFactoryInfo(PFactoryInfo* info) = 0;
    virtual int32_t countClasses() = 0;
    virtual tresult getClassInfo(int32_t index, PClassInfo* info) = 0;
    virtual tresult createInstance(FIDString cid, FIDString iid, void** obj) = 0;
};

class IPluginFactory2 : public IPluginFactory
{
public:
    virtual tresult getClassInfo2(int32_t index, PClassInfo2* info) = 0;
};

class IPluginFactory3 : public IPluginFactory2
{
public:
    virtual tresult getClassInfoUnicode(int32_t index, PClassInfoW* info) = 0;
    virtual tresult setHostContext(FUnknown* context) = 0;
};

class IComponent : public IPluginBase
{
public:
    virtual tresult getControllerClassId(uint8_t* classId) = 0;
    virtual tresult setIoMode(IoMode mode) = 0;
    virtual int32_t getBusCount(MediaType type, BusDirection dir) = 0;
    virtual tresult getBusInfo(MediaType type, BusDirection dir, int32_t index, BusInfo& bus) = 0;
    virtual tresult getRoutingInfo(RoutingInfo& inInfo, RoutingInfo& outInfo) = 0;
    virtual tresult activateBus(MediaType type, BusDirection dir, int32_t index, TBool state) = 0;
    virtual tresult setActive(TBool state) = 0;
    virtual tresult setState(IBStream* state) = 0;
    virtual tresult getState(IBStream* state) = 0;
};

class IAudioProcessor : public FUnknown
{
public:
    virtual tresult setBusArrangements(SpeakerArrangement* inputs, int32_t numIns,
                                       SpeakerArrangement* outputs, int32_t numOuts) = 0;
    virtual tresult getBusArrangement(BusDirection dir, int32_t index, SpeakerArrangement& arr) = 0;
    virtual tresult canProcessSampleSize(int32_t symbolicSampleSize) = 0;
    virtual uint32_t getLatencySamples() = 0;
    virtual tresult setupProcessing(ProcessSetup& setup) = 0;
    virtual tresult setProcessing(TBool state) = 0;
    virtual tresult process(ProcessData& data) = 0;
    virtual uint32_t getTailSamples() = 0;
};

class IProcessContextRequirements : public FUnknown
{
public:
    virtual uint32_t getProcessContextRequirements() = 0;
};

class IComponentHandler : public FUnknown
{
public:
    virtual tresult beginEdit(ParamID id) = 0;
    virtual tresult performEdit(ParamID id, ParamValue valueNormalized) = 0;
    virtual tresult endEdit(ParamID id) = 0;
    virtual tresult restartComponent(int32_t flags) = 0;
};

// Optional host interface (queried from the IComponentHandler): groups edits into one undo step.
class IComponentHandler2 : public FUnknown
{
public:
    virtual tresult setDirty(TBool state) = 0;
    virtual tresult requestOpenEditor(FIDString name) = 0;
    virtual tresult startGroupEdit() = 0;
    virtual tresult finishGroupEdit() = 0;
};

class IEditController : public IPluginBase
{
public:
    virtual tresult setComponentState(IBStream* state) = 0;
    virtual tresult setState(IBStream* state) = 0;
    virtual tresult getState(IBStream* state) = 0;
    virtual int32_t getParameterCount() = 0;
    virtual tresult getParameterInfo(int32_t paramIndex, ParameterInfo& info) = 0;
    virtual tresult getParamStringByValue(ParamID id, ParamValue valueNormalized, String128 string) = 0;
    virtual tresult getParamValueByString(ParamID id, char16* string, ParamValue& valueNormalized) = 0;
    virtual ParamValue normalizedParamToPlain(ParamID id, ParamValue valueNormalized) = 0;
    virtual ParamValue plainParamToNormalized(ParamID id, ParamValue plainValue) = 0;
    virtual ParamValue getParamNormalized(ParamID id) = 0;
    virtual tresult setParamNormalized(ParamID id, ParamValue value) = 0;
    virtual tresult setComponentHandler(IComponentHandler* handler) = 0;
    virtual void* createView(FIDString name) = 0;
};

class IParamValueQueue : public FUnknown
{
public:
    virtual ParamID getParameterId() = 0;
    virtual int32_t getPointCount() = 0;
    virtual tresult getPoint(int32_t index, int32_t& sampleOffset, ParamValue& value) = 0;
    virtual tresult addPoint(int32_t sampleOffset, ParamValue value, int32_t& index) = 0;
};

class IParameterChanges : public FUnknown
{
public:
    virtual int32_t getParameterCount() = 0;
    virtual IParamValueQueue* getParameterData(int32_t index) = 0;
    virtual IParamValueQueue* addParameterData(const ParamID& id, int32_t& index) = 0;
};

class IEventList : public FUnknown
{
public:
    virtual int32_t getEventCount() = 0;
    virtual tresult getEvent(int32_t index, Event& e) = 0;
    virtual tresult addEvent(Event& e) = 0;
};

class IHostApplication : public FUnknown
{
public:
    virtual tresult getName(String128 name) = 0;
    virtual tresult createInstance(uint8_t* cid, uint8_t* iid, void** obj) = 0;
};

// --- editor (gui/iplugview.h, base/keycodes.h) ---------------------------------------------
struct ViewRect
{
    int32_t left;
    int32_t top;
    int32_t right;
    int32_t bottom;
};
static_assert(sizeof(ViewRect) == 16 && offsetof(ViewRect, bottom) == 12);

// VirtualKeyCodes values the editor uses (base/keycodes.h).
enum : int16_t
{
    kKeyTab = 2,
    kKeyReturn = 4,
    kKeyEscape = 6,
    kKeyLeft = 11,
    kKeyUp = 12,
    kKeyRight = 13,
    kKeyDown = 14,
    kKeyEnter = 19,
};

class IPlugFrame;

class IPlugView : public FUnknown
{
public:
    virtual tresult isPlatformTypeSupported(FIDString type) = 0;
    virtual tresult attached(void* parent, FIDString type) = 0;
    virtual tresult removed() = 0;
    virtual tresult onWheel(float distance) = 0;
    virtual tresult onKeyDown(char16 key, int16_t keyCode, int16_t modifiers) = 0;
    virtual tresult onKeyUp(char16 key, int16_t keyCode, int16_t modifiers) = 0;
    virtual tresult getSize(ViewRect* size) = 0;
    virtual tresult onSize(ViewRect* newSize) = 0;
    virtual tresult onFocus(TBool state) = 0;
    virtual tresult setFrame(IPlugFrame* frame) = 0;
    virtual tresult canResize() = 0;
    virtual tresult checkSizeConstraint(ViewRect* rect) = 0;
};

class IPlugFrame : public FUnknown
{
public:
    virtual tresult resizeView(IPlugView* view, ViewRect* newSize) = 0;
};

class IPlugViewContentScaleSupport : public FUnknown
{
public:
    virtual tresult setContentScaleFactor(float factor) = 0;
};

namespace linux_ui
{
class IEventHandler : public FUnknown
{
public:
    virtual void onFDIsSet(int fd) = 0;
};

class ITimerHandler : public FUnknown
{
public:
    virtual void onTimer() = 0;
};

// Implemented by the host (from the IPlugFrame, or the host context): Linux has no global loop.
class IRunLoop : public FUnknown
{
public:
    virtual tresult registerEventHandler(IEventHandler* handler, int fd) = 0;
    virtual tresult unregisterEventHandler(IEventHandler* handler) = 0;
    virtual tresult registerTimer(ITimerHandler* handler, uint64_t milliseconds) = 0;
    virtual tresult unregisterTimer(ITimerHandler* handler) = 0;
};
} // namespace linux_ui

} // namespace vst3
