#include "component.h"

#include "plug_view.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <vector>
#include <xmmintrin.h>

namespace mixmate
{
namespace
{

using namespace vst3;

constexpr int32_t kMaxChannels = 8;
constexpr int32_t kMaxPoints = 8192;
constexpr int32_t kMaxQueues = 512;
constexpr int32_t kMaxNotes = 2048;
constexpr int32_t kMaxOutPoints = 64;
constexpr int32_t kMaxEdits = 64; // one suggestion: a gain and six EQ bands of five fields
constexpr int32_t kMaxStateBytes = 1 << 20;

// Flush-to-zero and denormals-are-zero (MXCSR bits 15 and 6) for the duration of a process call,
// so subnormals cannot appear inside the managed DSP; the host's setting is restored after.
class DenormalGuard
{
public:
    DenormalGuard() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040u); }
    ~DenormalGuard() { _mm_setcsr(saved_); }
    DenormalGuard(const DenormalGuard&) = delete;
    DenormalGuard& operator=(const DenormalGuard&) = delete;

private:
    unsigned saved_;
};

bool debugRefs()
{
    static const bool on = std::getenv("MIXMATE_DEBUG_REFS") != nullptr;
    return on;
}

void copyAscii(char16* destination, const char* source)
{
    size_t i = 0;
    for (; source[i] != '\0' && i < 127; ++i)
    {
        destination[i] = static_cast<char16>(static_cast<unsigned char>(source[i]));
    }
    destination[i] = 0;
}

class Component final : public IComponent,
                        public IAudioProcessor,
                        public IEditController,
                        public IProcessContextRequirements,
                        public ViewOwner
{
public:
    Component(const PluginClass& cls, const mm_api* api, void* handle)
        : cls_(cls), api_(api), handle_(handle), points_(kMaxPoints), merged_(kMaxPoints),
          queueEnds_(kMaxQueues), notes_(kMaxNotes), outPoints_(kMaxOutPoints), mainThread_(pthread_self())
    {
        int32_t count = 0;
        if (api_->get_param_count(handle_, &count) == MM_OK)
        {
            paramCount_ = count;
        }
        outArrangement_ = kSpeakerStereo;
        inArrangement_ = cls_.isInstrument ? 0 : kSpeakerStereo;
    }

    ~Component()
    {
        setHandler(nullptr);
        setContext(nullptr);
        api_->destroy(handle_);
    }

    Component(const Component&) = delete;
    Component& operator=(const Component&) = delete;

    // --- FUnknown ------------------------------------------------------------------------
    tresult queryInterface(const char* iid, void** obj) override
    {
        if (obj == nullptr)
        {
            return kInvalidArgument;
        }
        *obj = nullptr;
        if (tuidEquals(iid, kIidFUnknown) || tuidEquals(iid, kIidIPluginBase) ||
            tuidEquals(iid, kIidIComponent))
        {
            *obj = static_cast<IComponent*>(this);
        }
        else if (tuidEquals(iid, kIidIAudioProcessor))
        {
            *obj = static_cast<IAudioProcessor*>(this);
        }
        else if (tuidEquals(iid, kIidIEditController))
        {
            *obj = static_cast<IEditController*>(this);
        }
        else if (tuidEquals(iid, kIidIProcessContextRequirements))
        {
            *obj = static_cast<IProcessContextRequirements*>(this);
        }
        else
        {
            return kNoInterface;
        }
        addRef();
        return kResultOk;
    }

    uint32_t addRef() override
    {
        const uint32_t n = ++refs_;
        if (debugRefs())
        {
            std::fprintf(stderr, "[MixMate] %p addRef -> %u\n", static_cast<void*>(this), n);
        }
        return n;
    }

    uint32_t release() override
    {
        const uint32_t left = --refs_;
        if (debugRefs())
        {
            std::fprintf(stderr, "[MixMate] %p release -> %u\n", static_cast<void*>(this), left);
        }
        if (left == 0)
        {
            delete this;
        }
        return left;
    }

    // --- IPluginBase (shared by the component and controller faces) ------------------------
    tresult initialize(FUnknown* context) override
    {
        // Kept for the editor: a host may offer Linux::IRunLoop here as well as on its IPlugFrame.
        setContext(context);
        return kResultOk;
    }

    tresult terminate() override
    {
        active_ = false;
        setHandler(nullptr);
        setContext(nullptr);
        return kResultOk;
    }

    // --- IComponent ------------------------------------------------------------------------
    tresult getControllerClassId(uint8_t* /*classId*/) override
    {
        // No separate controller class: the host gets IEditController from this object.
        return kNotImplemented;
    }

    tresult setIoMode(IoMode /*mode*/) override { return kResultOk; }

    int32_t getBusCount(MediaType type, BusDirection dir) override
    {
        if (type == kAudio)
        {
            return dir == kOutput ? 1 : (cls_.isInstrument ? 0 : 1);
        }
        if (type == kEvent)
        {
            return dir == kInput && cls_.isInstrument ? 1 : 0;
        }
        return 0;
    }

    tresult getBusInfo(MediaType type, BusDirection dir, int32_t index, BusInfo& bus) override
    {
        if (index != 0 || index >= getBusCount(type, dir))
        {
            return kInvalidArgument;
        }
        std::memset(&bus, 0, sizeof(bus));
        bus.mediaType = type;
        bus.direction = dir;
        bus.busType = kMain;
        bus.flags = kDefaultActive;
        if (type == kEvent)
        {
            bus.channelCount = 16;
            copyAscii(bus.name, "MIDI In");
        }
        else
        {
            bus.channelCount = channelCount(dir == kInput ? inArrangement_ : outArrangement_);
            copyAscii(bus.name, dir == kInput ? "Main In" : "Main Out");
        }
        return kResultOk;
    }

    tresult getRoutingInfo(RoutingInfo& /*inInfo*/, RoutingInfo& /*outInfo*/) override
    {
        return kNotImplemented;
    }

    tresult activateBus(MediaType type, BusDirection dir, int32_t index, TBool /*state*/) override
    {
        return index == 0 && index < getBusCount(type, dir) ? kResultOk : kInvalidArgument;
    }

    tresult setActive(TBool state) override
    {
        if (api_->set_active(handle_, state ? 1 : 0) != MM_OK)
        {
            return kResultFalse;
        }
        active_ = state != 0;
        return kResultOk;
    }

    // IComponent::setState/getState and IEditController::setState/getState share signatures, so
    // these serve both faces: the controller's state is a copy of the component's, and loading
    // it sets the same values. An empty stream changes nothing.
    tresult setState(IBStream* state) override
    {
        if (state == nullptr)
        {
            return kInvalidArgument;
        }
        std::vector<uint8_t> bytes;
        uint8_t chunk[4096];
        while (static_cast<int32_t>(bytes.size()) < kMaxStateBytes)
        {
            int32_t got = 0;
            if (state->read(chunk, sizeof(chunk), &got) != kResultOk || got <= 0)
            {
                break;
            }
            bytes.insert(bytes.end(), chunk, chunk + std::min<int32_t>(got, sizeof(chunk)));
        }
        if (bytes.empty())
        {
            return kResultOk;
        }
        // Unknown or corrupt data loads the defaults inside; that is not an error for the host.
        return api_->set_state(handle_, bytes.data(), static_cast<int32_t>(bytes.size())) == MM_OK
                   ? kResultOk
                   : kResultFalse;
    }

    tresult getState(IBStream* state) override
    {
        if (state == nullptr)
        {
            return kInvalidArgument;
        }
        int32_t size = 0;
        std::vector<uint8_t> bytes(512);
        mm_status st = api_->get_state(handle_, bytes.data(), static_cast<int32_t>(bytes.size()), &size);
        if (st == MM_ERR_TOO_SMALL && size > 0 && size <= kMaxStateBytes)
        {
            bytes.resize(static_cast<size_t>(size));
            st = api_->get_state(handle_, bytes.data(), size, &size);
        }
        if (st != MM_OK)
        {
            return kResultFalse;
        }
        int32_t written = 0;
        return state->write(bytes.data(), size, &written) == kResultOk && written == size ? kResultOk
                                                                                          : kResultFalse;
    }

    // --- IAudioProcessor -------------------------------------------------------------------
    tresult setBusArrangements(SpeakerArrangement* inputs, int32_t numIns, SpeakerArrangement* outputs,
                               int32_t numOuts) override
    {
        if (active_ || numOuts != 1 || outputs == nullptr)
        {
            return kResultFalse;
        }
        const SpeakerArrangement out = outputs[0];
        if (out != kSpeakerMono && out != kSpeakerStereo)
        {
            return kResultFalse;
        }
        if (cls_.isInstrument)
        {
            if (numIns != 0)
            {
                return kResultFalse;
            }
        }
        else if (numIns != 1 || inputs == nullptr || inputs[0] != out)
        {
            return kResultFalse;
        }
        outArrangement_ = out;
        inArrangement_ = cls_.isInstrument ? 0 : out;
        if (hasSetup_)
        {
            applySetup();
        }
        return kResultTrue;
    }

    tresult getBusArrangement(BusDirection dir, int32_t index, SpeakerArrangement& arr) override
    {
        if (index != 0 || (dir == kInput && cls_.isInstrument))
        {
            return kInvalidArgument;
        }
        arr = dir == kInput ? inArrangement_ : outArrangement_;
        return kResultOk;
    }

    tresult canProcessSampleSize(int32_t size) override
    {
        return size == kSample32 ? kResultTrue : kResultFalse;
    }

    uint32_t getLatencySamples() override
    {
        int32_t latency = 0;
        int32_t tail = 0;
        api_->get_latency(handle_, &latency, &tail);
        if (hasSetup_)
        {
            // Only a value read for a real setup counts; before setup the latency is unknown.
            reportedLatency_ = latency;
        }
        return static_cast<uint32_t>(latency);
    }

    tresult setupProcessing(ProcessSetup& setup) override
    {
        if (active_ || setup.symbolicSampleSize != kSample32 || setup.maxSamplesPerBlock < 0 ||
            !(setup.sampleRate > 0.0))
        {
            return kResultFalse;
        }
        setup_ = setup;
        hasSetup_ = true;
        if (!applySetup())
        {
            return kResultFalse;
        }
        // Latency depends on the sample rate; tell the host when it differs from what it read.
        int32_t latency = 0;
        int32_t tail = 0;
        api_->get_latency(handle_, &latency, &tail);
        if (reportedLatency_ >= 0 && latency != reportedLatency_ && handler_ != nullptr)
        {
            reportedLatency_ = latency;
            if (debugRefs())
            {
                std::fprintf(stderr, "[MixMate] restartComponent(kLatencyChanged) latency %d\n", latency);
            }
            handler_->restartComponent(kLatencyChanged);
        }
        return kResultOk;
    }

    tresult setProcessing(TBool /*state*/) override { return kResultOk; }

    tresult process(ProcessData& data) override
    {
        DenormalGuard ftz;
        if (data.symbolicSampleSize != kSample32 || data.numSamples < 0)
        {
            return kInvalidArgument;
        }
        const int32_t frames = data.numSamples;
        mm_process_args args{};
        args.frames = frames;
        args.point_count = gatherPoints(data.inputParameterChanges, frames);
        args.points = merged_.data();
        args.note_count = gatherNotes(data.inputEvents, frames);
        args.notes = notes_.data();
        args.out_points = outPoints_.data();
        args.out_point_capacity = kMaxOutPoints;

        AudioBusBuffers* out = data.numOutputs > 0 ? data.outputs : nullptr;
        AudioBusBuffers* in = data.numInputs > 0 ? data.inputs : nullptr;
        if (frames > 0 && out != nullptr && out->channelBuffers32 != nullptr)
        {
            args.out_channels = std::min(out->numChannels, kMaxChannels);
            args.outputs = out->channelBuffers32;
            if (in != nullptr && in->channelBuffers32 != nullptr)
            {
                args.in_channels = std::min(in->numChannels, kMaxChannels);
                args.inputs = in->channelBuffers32;
            }
        }

        const mm_status status = api_->process(handle_, &args);
        if (status != MM_OK && args.outputs != nullptr)
        {
            for (int32_t c = 0; c < args.out_channels; ++c)
            {
                if (args.outputs[c] != nullptr)
                {
                    std::memset(args.outputs[c], 0, sizeof(float) * static_cast<size_t>(frames));
                }
            }
        }
        if (out != nullptr)
        {
            out->silenceFlags = 0;
        }
        if (data.outputParameterChanges != nullptr)
        {
            for (int32_t i = 0; i < args.out_point_count && i < kMaxOutPoints; ++i)
            {
                int32_t queueIndex = 0;
                int32_t pointIndex = 0;
                const ParamID id = outPoints_[i].id;
                IParamValueQueue* q = data.outputParameterChanges->addParameterData(id, queueIndex);
                if (q != nullptr)
                {
                    q->addPoint(0, outPoints_[i].value, pointIndex);
                }
            }
        }
        return kResultOk;
    }

    uint32_t getTailSamples() override
    {
        int32_t latency = 0;
        int32_t tail = 0;
        api_->get_latency(handle_, &latency, &tail);
        return static_cast<uint32_t>(tail);
    }

    // --- IProcessContextRequirements -------------------------------------------------------
    uint32_t getProcessContextRequirements() override { return 0; } // needs no transport data

    // --- IEditController -------------------------------------------------------------------
    tresult setComponentState(IBStream* state) override { return setState(state); }

    int32_t getParameterCount() override { return paramCount_; }

    tresult getParameterInfo(int32_t index, ParameterInfo& info) override
    {
        mm_param_info p{};
        if (api_->get_param_info(handle_, index, &p) != MM_OK)
        {
            return kInvalidArgument;
        }
        info.id = p.id;
        std::memcpy(info.title, p.title, sizeof(info.title));
        std::memcpy(info.shortTitle, p.short_title, sizeof(info.shortTitle));
        std::memcpy(info.units, p.units, sizeof(info.units));
        info.stepCount = p.step_count;
        info.defaultNormalizedValue = p.default_normalized;
        info.unitId = 0;
        info.flags = p.flags;
        return kResultOk;
    }

    tresult getParamStringByValue(ParamID id, ParamValue value, String128 text) override
    {
        return text != nullptr && api_->param_to_string(handle_, id, value, text) == MM_OK ? kResultOk
                                                                                           : kInvalidArgument;
    }

    tresult getParamValueByString(ParamID id, char16* text, ParamValue& value) override
    {
        if (text == nullptr)
        {
            return kInvalidArgument;
        }
        char16 bounded[128] = {};
        for (int i = 0; i < 127 && text[i] != 0; ++i)
        {
            bounded[i] = text[i];
        }
        return api_->string_to_param(handle_, id, bounded, &value) == MM_OK ? kResultOk : kResultFalse;
    }

    ParamValue normalizedParamToPlain(ParamID id, ParamValue value) override
    {
        double plain = 0;
        return api_->normalized_to_plain(handle_, id, value, &plain) == MM_OK ? plain : 0.0;
    }

    ParamValue plainParamToNormalized(ParamID id, ParamValue plain) override
    {
        double value = 0;
        return api_->plain_to_normalized(handle_, id, plain, &value) == MM_OK ? value : 0.0;
    }

    ParamValue getParamNormalized(ParamID id) override
    {
        pumpEdits();
        double value = 0;
        return api_->get_param(handle_, id, &value) == MM_OK ? value : 0.0;
    }

    tresult setParamNormalized(ParamID id, ParamValue value) override
    {
        const tresult result = api_->set_param(handle_, id, value) == MM_OK ? kResultOk : kInvalidArgument;
        pumpEdits();
        return result;
    }

    tresult setComponentHandler(IComponentHandler* handler) override
    {
        // The host hands its handler over on its UI thread: that is where edits are made (some
        // hosts create instances on a loader thread, so the creating thread is only a default).
        if (handler != nullptr)
        {
            mainThread_ = pthread_self();
        }
        setHandler(handler);
        return kResultOk;
    }

    void* createView(FIDString name) override
    {
        // One editor at a time ("editor" is VST3's ViewType::kEditor).
        if (name == nullptr || std::strcmp(name, "editor") != 0 || view_ != nullptr)
        {
            return nullptr;
        }
        view_ = createPlugView(api_, handle_, this);
        return view_;
    }

    // --- ViewOwner -------------------------------------------------------------------------
    void forwardViewEdits(const mm_view_edit* edits, int32_t count) override
    {
        if (handler_ == nullptr)
        {
            return;
        }
        for (int32_t i = 0; i < count; ++i)
        {
            switch (edits[i].kind)
            {
            case MM_EDIT_BEGIN: handler_->beginEdit(edits[i].id); break;
            case MM_EDIT_PERFORM: handler_->performEdit(edits[i].id, edits[i].value); break;
            case MM_EDIT_END: handler_->endEdit(edits[i].id); break;
            default: break;
            }
        }
    }

    FUnknown* hostContext() override { return context_; }

    void viewDestroyed(IPlugView* view) override
    {
        if (view_ == view)
        {
            view_ = nullptr;
        }
    }

    void retainOwner() override { addRef(); }

    void releaseOwner() override { release(); }

private:
    static int32_t channelCount(SpeakerArrangement arrangement) { return __builtin_popcountll(arrangement); }

    bool applySetup()
    {
        const int32_t outChannels = channelCount(outArrangement_);
        const int32_t inChannels = channelCount(inArrangement_);
        return api_->setup(handle_, setup_.sampleRate, setup_.maxSamplesPerBlock, inChannels, outChannels) ==
               MM_OK;
    }

    // Makes the host edits the managed side asks for (see poll_edits in mixmate_abi.h). Only on
    // the host's main thread (the one that set the component handler; VST3 wants
    // IComponentHandler called there) and never re-entered from inside the host's handler.
    void pumpEdits()
    {
        if (handler_ == nullptr || pumping_ || api_->poll_edits == nullptr ||
            !pthread_equal(pthread_self(), mainThread_))
        {
            return;
        }
        pumping_ = true;
        if (view_ != nullptr)
        {
            pumpViewEdits(view_); // gestures of an editor that no host run loop drives
        }
        mm_param_point edits[kMaxEdits];
        int32_t count = 0;
        if (api_->poll_edits(handle_, edits, kMaxEdits, &count) == MM_OK && count > 0)
        {
            IComponentHandler2* group = nullptr;
            handler_->queryInterface(reinterpret_cast<const char*>(kIidIComponentHandler2.bytes),
                                     reinterpret_cast<void**>(&group));
            if (group != nullptr)
            {
                group->startGroupEdit();
            }
            for (int32_t i = 0; i < count && i < kMaxEdits; ++i)
            {
                handler_->beginEdit(edits[i].id);
                handler_->performEdit(edits[i].id, edits[i].value);
                handler_->endEdit(edits[i].id);
            }
            if (group != nullptr)
            {
                group->finishGroupEdit();
                group->release();
            }
        }
        pumping_ = false;
    }

    void setContext(FUnknown* context)
    {
        if (context != nullptr)
        {
            context->addRef();
        }
        if (context_ != nullptr)
        {
            context_->release();
        }
        context_ = context;
    }

    void setHandler(IComponentHandler* handler)
    {
        if (handler != nullptr)
        {
            handler->addRef();
        }
        if (handler_ != nullptr)
        {
            handler_->release();
        }
        handler_ = handler;
    }

    // Flattens the host's per-parameter queues into one list sorted by offset (a k-way merge
    // of already sorted queues; no allocation). Offsets are clamped into the block.
    int32_t gatherPoints(IParameterChanges* changes, int32_t frames)
    {
        if (changes == nullptr)
        {
            return 0;
        }
        const int32_t last = frames > 0 ? frames - 1 : 0;
        int32_t total = 0;
        int32_t queues = 0;
        const int32_t count = changes->getParameterCount();
        for (int32_t q = 0; q < count && queues < kMaxQueues; ++q)
        {
            IParamValueQueue* queue = changes->getParameterData(q);
            if (queue == nullptr)
            {
                continue;
            }
            const ParamID id = queue->getParameterId();
            const int32_t n = queue->getPointCount();
            int32_t prevOffset = 0;
            for (int32_t i = 0; i < n && total < kMaxPoints; ++i)
            {
                int32_t offset = 0;
                ParamValue value = 0;
                if (queue->getPoint(i, offset, value) != kResultOk)
                {
                    continue;
                }
                offset = std::clamp(offset, prevOffset, last); // keeps each queue sorted
                prevOffset = offset;
                points_[total++] = mm_param_point{id, offset, value};
            }
            queueEnds_[queues++] = total;
        }
        int32_t heads[kMaxQueues];
        int32_t start = 0;
        for (int32_t q = 0; q < queues; ++q)
        {
            heads[q] = start;
            start = queueEnds_[q];
        }
        for (int32_t k = 0; k < total; ++k)
        {
            int32_t best = -1;
            for (int32_t q = 0; q < queues; ++q)
            {
                if (heads[q] < queueEnds_[q] &&
                    (best < 0 || points_[heads[q]].offset < points_[heads[best]].offset))
                {
                    best = q;
                }
            }
            merged_[k] = points_[heads[best]++];
        }
        return total;
    }

    // Note on/off events, stably sorted by offset (insertion sort: lists are short and almost
    // always already sorted).
    int32_t gatherNotes(IEventList* events, int32_t frames)
    {
        if (events == nullptr)
        {
            return 0;
        }
        const int32_t last = frames > 0 ? frames - 1 : 0;
        int32_t n = 0;
        const int32_t count = events->getEventCount();
        for (int32_t i = 0; i < count && n < kMaxNotes; ++i)
        {
            Event e{};
            if (events->getEvent(i, e) != kResultOk || (e.type != kNoteOnEvent && e.type != kNoteOffEvent))
            {
                continue;
            }
            mm_note note{};
            note.offset = std::clamp(e.sampleOffset, 0, last);
            if (e.type == kNoteOnEvent)
            {
                note = mm_note{note.offset,       MM_NOTE_ON,      e.noteOn.channel, e.noteOn.pitch,
                               e.noteOn.velocity, e.noteOn.tuning, e.noteOn.noteId,  0};
            }
            else
            {
                note = mm_note{note.offset,        MM_NOTE_OFF,      e.noteOff.channel, e.noteOff.pitch,
                               e.noteOff.velocity, e.noteOff.tuning, e.noteOff.noteId,  0};
            }
            int32_t j = n++;
            while (j > 0 && notes_[j - 1].offset > note.offset)
            {
                notes_[j] = notes_[j - 1];
                --j;
            }
            notes_[j] = note;
        }
        return n;
    }

    const PluginClass& cls_;
    const mm_api* api_;
    void* handle_;
    std::atomic<uint32_t> refs_{1};
    int32_t paramCount_ = 0;
    bool active_ = false;
    bool hasSetup_ = false;
    ProcessSetup setup_{kRealtime, kSample32, 1024, 44100.0};
    SpeakerArrangement inArrangement_ = 0;
    SpeakerArrangement outArrangement_ = 0;
    int32_t reportedLatency_ = -1;
    IComponentHandler* handler_ = nullptr;
    FUnknown* context_ = nullptr;
    IPlugView* view_ = nullptr; // not owned: the host holds it; it clears this when it goes
    bool pumping_ = false;
    std::vector<mm_param_point> points_;
    std::vector<mm_param_point> merged_;
    std::vector<int32_t> queueEnds_;
    std::vector<mm_note> notes_;
    std::vector<mm_param_point> outPoints_;
    pthread_t mainThread_;
};

} // namespace

vst3::IComponent* createComponent(const PluginClass& cls, const mm_api* api, mm_status* status)
{
    void* handle = nullptr;
    *status = api->create(cls.kind, &handle);
    if (*status != MM_OK || handle == nullptr)
    {
        return nullptr;
    }
    return new Component(cls, api, handle);
}

} // namespace mixmate
