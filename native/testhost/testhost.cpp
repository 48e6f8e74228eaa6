// MixMate's VST3 test host: loads a bundle the way a DAW does and runs the scenarios that
// Steinberg's validator and pluginval exercise, plus MixMate's own (offline equality, calibrated
// levels, another .NET runtime in the process, a broken install). Exit status 0 only if no scenario failed; the last line printed
// is "N passed, N failed, N skipped" (a scenario that cannot set itself up is skipped, never passed).
//
//   mixmate-testhost BUNDLE.vst3 [BUNDLE.vst3 ...]        run every scenario on each bundle
//   mixmate-testhost --pre-runtime BUNDLE.vst3      (child: a CoreCLR runtime started first)
//   mixmate-testhost --broken-install BUNDLE.vst3   (child: a bundle without its core library)
//   mixmate-testhost --bench-editor [--seconds N] BUNDLE.vst3 [...]   editor open time, UI-thread CPU, audio blocks
//   mixmate-testhost --x-intern | --x-screenshot OUT.ppm W H   (native/editorhost-test.sh's helpers)
//   mixmate-testhost --bench [--runs N] [--blocks N] [--no-ui] BUNDLE.vst3 [...]   benchmark
//                    (native/bench.sh); runs itself as --bench-cold BUNDLE.vst3 COUNT per fresh process
#include "../shim/mixmate_abi.h"
#include "../vst3abi/vst3abi.h"
#include "editor_host.h"
#include "host_objects.h"
#include "mixmate_test_abi.h"

#include <hostfxr.h>
#include <nethost.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <memory>
#include <pthread.h>
#include <sched.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace vst3;
using testhost::ComponentHandler;
using testhost::EventList;
using testhost::HostApplication;
using testhost::MemoryStream;
using testhost::ParameterChanges;

namespace
{

// --- bookkeeping ---------------------------------------------------------------------------
int gPassed = 0;
int gFailed = 0;
int gSkipped = 0;
int gChecksFailedInScenario = 0;
std::string gScenario;

#define CHECK(cond, ...)                                                                                     \
    do                                                                                                       \
    {                                                                                                        \
        if (!(cond))                                                                                         \
        {                                                                                                    \
            ++gChecksFailedInScenario;                                                                       \
            std::printf("  FAIL [%s] %s:%d: %s — ", gScenario.c_str(), __FILE__, __LINE__, #cond);           \
            std::printf(__VA_ARGS__);                                                                        \
            std::printf("\n");                                                                               \
        }                                                                                                    \
    } while (0)

void scenario(const std::string& name, const std::function<void()>& body)
{
    gScenario = name;
    gChecksFailedInScenario = 0;
    body();
    if (gChecksFailedInScenario == 0)
    {
        ++gPassed;
        std::printf("  ok   %s\n", name.c_str());
    }
    else
    {
        ++gFailed;
        std::printf("  FAIL %s (%d checks)\n", name.c_str(), gChecksFailedInScenario);
    }
    std::fflush(stdout);
}

// A scenario whose set-up is impossible here: counted as skipped, with the reason.
void skipScenario(const std::string& name, const char* reason)
{
    ++gSkipped;
    std::printf("  SKIP %s: %s\n", name.c_str(), reason);
    std::fflush(stdout);
}

std::string toUtf8(const char16* s)
{
    std::string out;
    for (int i = 0; i < 128 && s[i] != 0; ++i)
    {
        out += s[i] < 128 ? static_cast<char>(s[i]) : '?';
    }
    return out;
}

bool finiteNormal(float x)
{
    return std::isfinite(x) && (x == 0.0f || std::fabs(x) >= 1.17549435e-38f);
}

long rssKiB()
{
    long pages = 0;
    long resident = 0;
    std::ifstream statm("/proc/self/statm");
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Deterministic pseudo-random numbers (xorshift32) so failures reproduce.
struct Rng
{
    uint32_t s = 0x12345678u;
    uint32_t next()
    {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        return s;
    }
    double uniform() { return (next() >> 8) * (1.0 / 16777216.0); }
};

// --- module --------------------------------------------------------------------------------
struct Module
{
    std::string bundle;
    std::string name;
    void* lib = nullptr;
    IPluginFactory* factory = nullptr;
    PClassInfo2 info{};
    bool instrument = false;
    int (*hostingError)(char*, int) = nullptr;
    mm_test_api tests{};
    bool testsTried = false;
    bool testsLoaded = false;

    bool load(const std::string& path)
    {
        bundle = path;
        while (!bundle.empty() && bundle.back() == '/')
        {
            bundle.pop_back();
        }
        const auto slash = bundle.find_last_of('/');
        name = bundle.substr(slash == std::string::npos ? 0 : slash + 1);
        name = name.substr(0, name.size() - 5); // strip ".vst3"
        const std::string so = bundle + "/Contents/x86_64-linux/" + name + ".so";
        lib = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr)
        {
            std::printf("  cannot dlopen %s: %s\n", so.c_str(), dlerror());
            return false;
        }
        auto entry = reinterpret_cast<bool (*)(void*)>(dlsym(lib, "ModuleEntry"));
        auto getFactory = reinterpret_cast<IPluginFactory* (*)()>(dlsym(lib, "GetPluginFactory"));
        hostingError = reinterpret_cast<int (*)(char*, int)>(dlsym(lib, "MixMateHostingError"));
        if (entry == nullptr || getFactory == nullptr || !entry(lib))
        {
            return false;
        }
        factory = getFactory();
        if (factory == nullptr)
        {
            return false;
        }
        IPluginFactory2* f2 = nullptr;
        if (factory->queryInterface(reinterpret_cast<const char*>(kIidIPluginFactory2.bytes),
                                    reinterpret_cast<void**>(&f2)) == kResultOk)
        {
            f2->getClassInfo2(0, &info);
            f2->release();
        }
        instrument = std::strstr(info.subCategories, "Instrument") != nullptr;
        return true;
    }

    // The core's test hooks (mixmate_test_abi.h), or nullptr when the core or its entry point is
    // missing. Opened on first use from the bundle's Contents/Resources: the dynamic linker maps a
    // file once, so this is the very core the shim loads (before or after this call), not a
    // second copy with its own heap and counters. The shim itself exports no test hook.
    const mm_test_api* testApi()
    {
        if (!testsTried)
        {
            testsTried = true;
            const std::string core = bundle + "/Contents/Resources/MixMate.Core.so";
            void* lib = dlopen(core.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
            auto get = lib != nullptr ? reinterpret_cast<mm_get_test_api_fn>(dlsym(lib, MM_TEST_API_SYMBOL))
                                      : nullptr;
            tests.struct_size = static_cast<int32_t>(sizeof(mm_test_api));
            testsLoaded = get != nullptr && get(&tests) == MM_OK && tests.abi_version == MM_TEST_ABI_VERSION;
        }
        return testsLoaded ? &tests : nullptr;
    }

    std::string lastHostingError() const
    {
        char buffer[4096] = {};
        if (hostingError != nullptr)
        {
            hostingError(buffer, sizeof(buffer));
        }
        return buffer;
    }
};

// --- one plug-in instance driven like a DAW drives it ---------------------------------------
struct Plugin
{
    IComponent* component = nullptr;
    IAudioProcessor* processor = nullptr;
    IEditController* controller = nullptr;
    HostApplication host;
    ComponentHandler handler;
    int channels = 2;
    bool instrument = false;

    ~Plugin() { destroy(); }

    bool create(Module& m)
    {
        instrument = m.instrument;
        if (m.factory->createInstance(reinterpret_cast<const char*>(m.info.cid),
                                      reinterpret_cast<const char*>(kIidIComponent.bytes),
                                      reinterpret_cast<void**>(&component)) != kResultOk ||
            component == nullptr)
        {
            return false;
        }
        if (component->initialize(&host) != kResultOk)
        {
            return false;
        }
        component->queryInterface(reinterpret_cast<const char*>(kIidIAudioProcessor.bytes),
                                  reinterpret_cast<void**>(&processor));
        component->queryInterface(reinterpret_cast<const char*>(kIidIEditController.bytes),
                                  reinterpret_cast<void**>(&controller));
        if (processor == nullptr || controller == nullptr)
        {
            return false;
        }
        controller->initialize(&host);
        controller->setComponentHandler(&handler);
        return true;
    }

    void destroy()
    {
        if (component == nullptr)
        {
            return;
        }
        component->setActive(0);
        controller->setComponentHandler(nullptr);
        controller->terminate();
        component->terminate();
        controller->release();
        processor->release();
        component->release();
        component = nullptr;
        processor = nullptr;
        controller = nullptr;
    }

    bool setup(double rate, int maxBlock, int nChannels = 2)
    {
        channels = nChannels;
        SpeakerArrangement arr = nChannels == 1 ? kSpeakerMono : kSpeakerStereo;
        if (processor->setBusArrangements(instrument ? nullptr : &arr, instrument ? 0 : 1, &arr, 1) !=
            kResultTrue)
        {
            return false;
        }
        ProcessSetup s{kRealtime, kSample32, maxBlock, rate};
        return processor->setupProcessing(s) == kResultOk && component->setActive(1) == kResultOk &&
               processor->setProcessing(1) == kResultOk;
    }

    void stop()
    {
        processor->setProcessing(0);
        component->setActive(0);
    }

    tresult process(int frames, float** in, float** out, ParameterChanges* params = nullptr,
                    EventList* events = nullptr, ParameterChanges* outParams = nullptr)
    {
        AudioBusBuffers inBus{};
        AudioBusBuffers outBus{};
        inBus.numChannels = channels;
        inBus.channelBuffers32 = in;
        outBus.numChannels = channels;
        outBus.channelBuffers32 = out;
        ProcessData d{};
        d.processMode = kRealtime;
        d.symbolicSampleSize = kSample32;
        d.numSamples = frames;
        d.numInputs = instrument ? 0 : 1;
        d.numOutputs = 1;
        d.inputs = instrument ? nullptr : &inBus;
        d.outputs = &outBus;
        d.inputParameterChanges = params;
        d.outputParameterChanges = outParams;
        d.inputEvents = events;
        return processor->process(d);
    }

    // What a DAW's main thread does with a block's output parameter changes: hands the last
    // value of each to the controller (VST3: the host transfers them with setParamNormalized).
    void forwardToController(const ParameterChanges& outParams)
    {
        for (int32_t i = 0; i < outParams.used; ++i)
        {
            const auto& q = outParams.queues[static_cast<size_t>(i)];
            if (!q.points.empty())
            {
                controller->setParamNormalized(q.id, q.points.back().second);
            }
        }
    }

    double plain(ParamID id, double normalized) { return controller->normalizedParamToPlain(id, normalized); }

    ParamID paramIdByTitle(const char* title)
    {
        for (int32_t i = 0; i < controller->getParameterCount(); ++i)
        {
            ParameterInfo info{};
            controller->getParameterInfo(i, info);
            if (toUtf8(info.title) == title)
            {
                return info.id;
            }
        }
        return 0xFFFFFFFFu;
    }

    std::vector<uint8_t> saveState()
    {
        MemoryStream s;
        component->getState(&s);
        return s.data;
    }

    tresult loadState(const std::vector<uint8_t>& bytes)
    {
        MemoryStream s;
        s.data = bytes;
        const tresult r = component->setState(&s);
        MemoryStream c;
        c.data = bytes;
        controller->setComponentState(&c);
        return r;
    }
};

// Planar audio owned by the test, with channel pointer arrays for ProcessData.
struct Audio
{
    std::vector<std::vector<float>> data;
    std::vector<float*> pointers;
    Audio(int channels, size_t frames)
        : data(static_cast<size_t>(channels), std::vector<float>(frames)),
          pointers(static_cast<size_t>(channels))
    {
        for (size_t c = 0; c < data.size(); ++c)
        {
            pointers[c] = data[c].data();
        }
    }
    float** at(size_t offset)
    {
        for (size_t c = 0; c < data.size(); ++c)
        {
            pointers[c] = data[c].data() + offset;
        }
        return pointers.data();
    }
    bool allFiniteNormal(size_t frames) const
    {
        for (const auto& ch : data)
        {
            for (size_t i = 0; i < frames && i < ch.size(); ++i)
            {
                if (!finiteNormal(ch[i]))
                {
                    return false;
                }
            }
        }
        return true;
    }
};

void fillTestSignal(Audio& a, double rate, size_t frames, uint32_t seed = 1)
{
    Rng rng;
    rng.s = seed;
    for (size_t c = 0; c < a.data.size(); ++c)
    {
        for (size_t i = 0; i < frames; ++i)
        {
            const double t = static_cast<double>(i) / rate;
            double x =
                0.4 * std::sin(2 * M_PI * std::min(997.0, rate * 0.2) * t) + 0.1 * (rng.uniform() - 0.5);
            // a few subnormal inputs: FTZ/DAZ in the shim and guards in the kernels must keep
            // them out of the output
            a.data[c][i] = (i % 4099 == 7) ? 1e-40f : static_cast<float>(x);
        }
    }
}

double rmsDb(const std::vector<float>& x, size_t from, size_t to)
{
    double sum = 0;
    for (size_t i = from; i < to; ++i)
    {
        sum += static_cast<double>(x[i]) * x[i];
    }
    return 10.0 * std::log10(sum / static_cast<double>(to - from) + 1e-30);
}

// --- scenarios ------------------------------------------------------------------------------
void runBundle(Module& m)
{
    std::printf("%s (%s)\n", m.name.c_str(), m.info.subCategories);
    const bool inst = m.instrument;

    scenario(m.name + ": factory and class info",
             [&]
             {
                 PFactoryInfo fi{};
                 CHECK(m.factory->getFactoryInfo(&fi) == kResultOk, "getFactoryInfo");
                 CHECK(std::string(fi.vendor) == "MixMate", "vendor '%s'", fi.vendor);
                 CHECK(m.factory->countClasses() == 1, "one class");
                 CHECK(std::string(m.info.name) == m.name, "class name '%s' vs bundle '%s'", m.info.name,
                       m.name.c_str());
                 CHECK(std::string(m.info.category) == "Audio Module Class", "category");
                 IPluginFactory3* f3 = nullptr;
                 CHECK(m.factory->queryInterface(reinterpret_cast<const char*>(kIidIPluginFactory3.bytes),
                                                 reinterpret_cast<void**>(&f3)) == kResultOk,
                       "IPluginFactory3");
                 if (f3 != nullptr)
                 {
                     PClassInfoW w{};
                     CHECK(f3->getClassInfoUnicode(0, &w) == kResultOk && toUtf8(w.name) == m.name,
                           "unicode name");
                     f3->release();
                 }
             });

    scenario(m.name + ": buses and arrangements",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 BusInfo b{};
                 CHECK(p.component->getBusCount(kAudio, kOutput) == 1, "one audio output");
                 CHECK(p.component->getBusCount(kAudio, kInput) == (inst ? 0 : 1), "audio inputs");
                 CHECK(p.component->getBusCount(kEvent, kInput) == (inst ? 1 : 0), "event inputs");
                 CHECK(p.component->getBusInfo(kAudio, kOutput, 0, b) == kResultOk && b.channelCount == 2 &&
                           toUtf8(b.name).size() > 0,
                       "output bus info");
                 if (inst)
                 {
                     CHECK(p.component->getBusInfo(kEvent, kInput, 0, b) == kResultOk && b.channelCount > 0,
                           "event bus");
                 }
                 SpeakerArrangement mono = kSpeakerMono;
                 SpeakerArrangement surround = 0x3F;
                 CHECK(p.processor->setBusArrangements(inst ? nullptr : &mono, inst ? 0 : 1, &mono, 1) ==
                           kResultTrue,
                       "mono accepted");
                 CHECK(p.component->getBusInfo(kAudio, kOutput, 0, b) == kResultOk && b.channelCount == 1,
                       "mono count");
                 CHECK(p.processor->setBusArrangements(inst ? nullptr : &surround, inst ? 0 : 1, &surround,
                                                       1) != kResultTrue,
                       "5.1 rejected");
                 CHECK(p.processor->canProcessSampleSize(kSample32) == kResultTrue, "32-bit");
                 CHECK(p.processor->canProcessSampleSize(kSample64) != kResultTrue, "64-bit refused");
                 CHECK(p.setup(48000, 512, 1), "mono setup");
                 Audio in(1, 512);
                 Audio out(1, 512);
                 fillTestSignal(in, 48000, 512);
                 CHECK(p.process(512, in.at(0), out.at(0)) == kResultOk && out.allFiniteNormal(512),
                       "mono process");
             });

    scenario(
        m.name + ": parameter scan",
        [&]
        {
            Plugin p;
            CHECK(p.create(m), "create");
            const int32_t n = p.controller->getParameterCount();
            CHECK(n > 0, "has parameters");
            int bypasses = 0;
            std::vector<ParamID> ids;
            for (int32_t i = 0; i < n; ++i)
            {
                ParameterInfo info{};
                CHECK(p.controller->getParameterInfo(i, info) == kResultOk, "info %d", i);
                const std::string title = toUtf8(info.title);
                CHECK(!title.empty(), "empty title at %d", i);
                CHECK(info.defaultNormalizedValue >= 0 && info.defaultNormalizedValue <= 1, "default of %s",
                      title.c_str());
                CHECK(!((info.flags & kIsReadOnly) && (info.flags & kCanAutomate)),
                      "%s read-only and automatable", title.c_str());
                CHECK(info.id < 0x80000000u, "id range");
                CHECK(std::find(ids.begin(), ids.end(), info.id) == ids.end(), "duplicate id %u", info.id);
                ids.push_back(info.id);
                if (info.flags & kIsBypass)
                {
                    ++bypasses;
                    CHECK((info.flags & kCanAutomate) && info.stepCount == 1,
                          "bypass is an automatable toggle");
                }
                String128 text{};
                CHECK(p.controller->getParamStringByValue(info.id, info.defaultNormalizedValue, text) ==
                              kResultOk &&
                          text[0] != 0,
                      "string of %s", title.c_str());
                ParamValue back = -1;
                if (!(info.flags & kIsReadOnly))
                {
                    CHECK(p.controller->getParamValueByString(info.id, text, back) == kResultOk &&
                              std::fabs(back - info.defaultNormalizedValue) < 0.01,
                          "parse '%s' of %s -> %f (default %f)", toUtf8(text).c_str(), title.c_str(), back,
                          info.defaultNormalizedValue);
                    const double plain = p.controller->normalizedParamToPlain(info.id, 0.3);
                    CHECK(std::fabs(p.controller->plainParamToNormalized(info.id, plain) -
                                    (info.stepCount > 0
                                         ? std::floor(0.3 * (info.stepCount + 1)) / info.stepCount
                                         : 0.3)) < 1e-9,
                          "plain round trip of %s", title.c_str());
                }
                CHECK(std::fabs(p.controller->getParamNormalized(info.id) - info.defaultNormalizedValue) <
                              1e-12 ||
                          (info.flags & kIsReadOnly),
                      "initial value of %s", title.c_str());
            }
            CHECK(bypasses == (inst ? 0 : 1), "bypass count %d", bypasses);
            if (!inst)
            {
                for (const char* meter : {"Momentary Loudness", "Short-term Loudness", "Integrated Loudness",
                                          "Loudness Range", "True Peak", "Gain Reduction"})
                {
                    CHECK(p.paramIdByTitle(meter) != 0xFFFFFFFFu, "meter %s", meter);
                }
            }
        });

    scenario(m.name + ": state transitions x4",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 Audio in(2, 64);
                 Audio out(2, 64);
                 for (int round = 0; round < 4; ++round)
                 {
                     CHECK(p.setup(44100, 8192), "setup round %d", round);
                     CHECK(p.process(64, in.at(0), out.at(0)) == kResultOk, "process round %d", round);
                     p.stop();
                     CHECK(p.component->terminate() == kResultOk, "terminate");
                     CHECK(p.component->initialize(&p.host) == kResultOk, "initialize");
                 }
             });

    scenario(m.name + ": sample rates 22.05k-384k and 1234.5678 Hz",
             [&]
             {
                 for (double rate : {22050.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0, 176400.0, 192000.0,
                                     384000.0, 1234.5678})
                 {
                     Plugin p;
                     CHECK(p.create(m), "create");
                     CHECK(p.setup(rate, 512), "setup %.4f", rate);
                     Audio in(2, 512);
                     Audio out(2, 512);
                     fillTestSignal(in, rate, 512);
                     EventList ev;
                     if (inst)
                     {
                         ev.noteOn(0, 69, 0.8f);
                     }
                     bool ok = true;
                     for (int b = 0; b < 40; ++b)
                     {
                         ok &= p.process(512, in.at(0), out.at(0), nullptr, b == 0 ? &ev : nullptr) ==
                               kResultOk;
                         ok &= out.allFiniteNormal(512);
                     }
                     CHECK(ok, "process at %.4f Hz", rate);
                     CHECK(rmsDb(out.data[0], 0, 512) > -60, "audible output at %.4f Hz", rate);
                 }
             });

    scenario(m.name + ": block sizes 0 (null buffers), 1, 7, 64, 512, 4096, variable",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 CHECK(p.setup(48000, 4096), "setup");
                 Audio in(2, 4096);
                 Audio out(2, 4096);
                 fillTestSignal(in, 48000, 4096);
                 ParameterChanges flush;
                 int32_t qi = 0;
                 int32_t pi = 0;
                 auto* q = flush.addParameterData(inst ? 4u : 5u, qi); // output trim / input gain
                 q->addPoint(0, 0.45, pi);
                 const std::vector<uint8_t> before = p.saveState();
                 CHECK(p.process(0, nullptr, nullptr, &flush) == kResultOk, "0 frames, null buffers");
                 CHECK(p.saveState() != before, "the flushed parameter value was taken");
                 for (int frames : {1, 7, 64, 512, 4096})
                 {
                     EventList ev;
                     if (inst)
                     {
                         ev.noteOn(0, 60, 0.7f);
                     }
                     bool ok = true;
                     for (int b = 0; b < 8; ++b)
                     {
                         ok &= p.process(frames, in.at(0), out.at(0), nullptr, b == 0 ? &ev : nullptr) ==
                               kResultOk;
                         ok &= out.allFiniteNormal(static_cast<size_t>(frames));
                     }
                     CHECK(ok, "block %d", frames);
                 }
                 Rng rng;
                 bool ok = true;
                 for (int b = 0; b < 300; ++b)
                 {
                     const int frames = static_cast<int>(rng.next() % 4097);
                     ok &= p.process(frames, in.at(0), out.at(0)) == kResultOk &&
                           out.allFiniteNormal(static_cast<size_t>(frames));
                 }
                 CHECK(ok, "variable blocks");
             });

    scenario(m.name + ": 9,999 blocks on a new thread",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 CHECK(p.setup(44100, 64), "setup");
                 bool ok = true;
                 std::thread worker(
                     [&]
                     {
                         Audio in(2, 64);
                         Audio out(2, 64);
                         fillTestSignal(in, 44100, 64);
                         EventList ev;
                         ev.noteOn(0, 57, 0.5f);
                         for (int b = 0; b < 9999 && ok; ++b)
                         {
                             ok = p.process(64, in.at(0), out.at(0), nullptr,
                                            inst && b == 0 ? &ev : nullptr) == kResultOk &&
                                  out.allFiniteNormal(64);
                         }
                     });
                 worker.join();
                 CHECK(ok, "all blocks ok");
             });

    scenario(m.name + ": the shim exports no test hook (they are the core's own table)",
             [&]
             {
                 for (const char* symbol : {"MixMateTestApi", "MixMateThreadAllocatedBytes",
                                            MM_TEST_API_SYMBOL, "mixmate_thread_allocated_bytes"})
                 {
                     CHECK(dlsym(m.lib, symbol) == nullptr, "the shim exports %s", symbol);
                 }
                 CHECK(m.testApi() != nullptr, "the core has no %s", MM_TEST_API_SYMBOL);
             });

    if (m.testApi() == nullptr)
    {
        skipScenario(m.name + ": process allocates nothing in the compiled core",
                     "the core has no " MM_TEST_API_SYMBOL);
    }
    else
    {
        scenario(m.name + ": process allocates nothing in the compiled core (new thread, automation)",
                 [&]
                 {
                     Plugin p;
                     CHECK(p.create(m), "create");
                     CHECK(p.setup(48000, 64), "setup");
                     std::vector<ParamID> automatable;
                     for (int32_t i = 0; i < p.controller->getParameterCount(); ++i)
                     {
                         ParameterInfo info{};
                         p.controller->getParameterInfo(i, info);
                         if ((info.flags & kCanAutomate) && !(info.flags & kIsBypass))
                         {
                             automatable.push_back(info.id);
                         }
                     }
                     int64_t before = -1;
                     int64_t after = -2;
                     bool ok = true;
                     // A DAW's audio thread is a native thread the core has never seen.
                     std::thread worker(
                         [&]
                         {
                             Audio in(2, 64);
                             Audio out(2, 64);
                             fillTestSignal(in, 48000, 64);
                             Rng rng;
                             ParameterChanges changes;
                             EventList notes;
                             notes.noteOn(0, 60, 0.7f);
                             EventList none;
                             ParameterChanges meters;
                             for (int b = 0; b < 6000 && ok; ++b)
                             {
                                 if (b == 1000)
                                 {
                                     m.testApi()->thread_allocated_bytes(&before);
                                 }
                                 changes.clear();
                                 if (b % 4 == 0)
                                 {
                                     for (ParamID id : automatable)
                                     {
                                         int32_t qi = 0;
                                         int32_t pi = 0;
                                         auto* q = changes.addParameterData(id, qi);
                                         q->addPoint(static_cast<int32_t>(rng.next() % 64), rng.uniform(), pi);
                                     }
                                 }
                                 meters.clear();
                                 ok = p.process(64, in.at(0), out.at(0), &changes,
                                                inst ? (b % 500 == 0 ? &notes : &none) : nullptr, &meters) == kResultOk &&
                                      out.allFiniteNormal(64);
                             }
                             m.testApi()->thread_allocated_bytes(&after);
                         });
                     worker.join();
                     CHECK(ok, "all blocks ok");
                     CHECK(before >= 0 && after == before,
                           "managed bytes allocated on the audio thread over 5,000 blocks: %lld",
                           static_cast<long long>(after - before));
                 });
    }

    scenario(m.name + ": automation in 32-sample sub-blocks, random values",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 CHECK(p.setup(48000, 1024), "setup");
                 std::vector<ParamID> automatable;
                 for (int32_t i = 0; i < p.controller->getParameterCount(); ++i)
                 {
                     ParameterInfo info{};
                     p.controller->getParameterInfo(i, info);
                     if ((info.flags & kCanAutomate) && !(info.flags & kIsBypass))
                     {
                         automatable.push_back(info.id);
                     }
                 }
                 Audio in(2, 1024);
                 Audio out(2, 1024);
                 fillTestSignal(in, 48000, 1024);
                 Rng rng;
                 ParameterChanges changes;
                 bool ok = true;
                 for (int b = 0; b < 200; ++b)
                 {
                     changes.clear();
                     EventList ev;
                     if (inst && b % 10 == 0)
                     {
                         ev.noteOn(0, static_cast<int16_t>(40 + b % 40), 0.8f);
                     }
                     for (ParamID id : automatable)
                     {
                         int32_t qi = 0;
                         int32_t pi = 0;
                         auto* q = changes.addParameterData(id, qi);
                         for (int32_t off = 0; off < 1024; off += 32)
                         {
                             q->addPoint(off, rng.uniform(), pi);
                         }
                     }
                     ok &= p.process(1024, in.at(0), out.at(0), &changes, &ev) == kResultOk &&
                           out.allFiniteNormal(1024);
                 }
                 CHECK(ok, "finite normal output under automation");
             });

    scenario(
        m.name + ": output equals the managed core rendered offline (<= 1e-6)",
        [&]
        {
            const mm_test_api* api = m.testApi();
            CHECK(api != nullptr, "test api (%s)", MM_TEST_API_SYMBOL);
            if (api == nullptr)
            {
                return;
            }
            const double rate = 48000;
            const int total = 96000;
            Plugin p;
            CHECK(p.create(m), "create");
            CHECK(p.setup(rate, 1024), "setup");
            Audio in(2, static_cast<size_t>(total));
            Audio out(2, static_cast<size_t>(total));
            fillTestSignal(in, rate, static_cast<size_t>(total), 7);
            // Absolute automation: every 32 frames one parameter, every 1000 another; notes for the
            // instrument.
            std::vector<mm_param_point> points;
            std::vector<mm_note> notes;
            Rng rng;
            const ParamID smooth = inst ? 4u : 5u; // output trim / input gain
            for (int t = 0; t < total; t += 32)
            {
                points.push_back(mm_param_point{smooth, t, 0.3 + 0.4 * rng.uniform()});
            }
            if (!inst)
            {
                points.push_back(mm_param_point{120, 0, 1.0}); // EQ 3 on
                for (int t = 0; t < total; t += 1000)
                {
                    points.push_back(mm_param_point{122, t, rng.uniform()}); // EQ 3 gain
                }
                points.push_back(mm_param_point{0, 60000, 1.0}); // bypass on at 1.25 s
                points.push_back(mm_param_point{0, 80000, 0.0}); // and off again
            }
            else
            {
                const int signals[] = {0, 1, 2, 3};
                for (int k = 0; k < 8; ++k)
                {
                    points.push_back(mm_param_point{0, k * 12000, signals[k % 4] / 3.0});
                    notes.push_back(
                        mm_note{k * 12000, MM_NOTE_ON, 0, 45 + 5 * k, 0.6f + 0.05f * k, 0.0f, -1, 0});
                    notes.push_back(mm_note{k * 12000 + 9000, MM_NOTE_OFF, 0, 45 + 5 * k, 0.0f, 0.0f, -1, 0});
                }
            }
            std::stable_sort(points.begin(), points.end(),
                             [](const mm_param_point& a, const mm_param_point& b)
                             { return a.offset < b.offset; });
            // Host run in variable blocks (1..1500 frames).
            size_t pi = 0;
            size_t ni = 0;
            int pos = 0;
            bool ok = true;
            ParameterChanges changes;
            while (pos < total)
            {
                const int frames = std::min(total - pos, 1 + static_cast<int>(rng.next() % 1024));
                changes.clear();
                EventList ev;
                for (; pi < points.size() && points[pi].offset < pos + frames; ++pi)
                {
                    int32_t qi = 0;
                    int32_t idx = 0;
                    changes.addParameterData(points[pi].id, qi)
                        ->addPoint(points[pi].offset - pos, points[pi].value, idx);
                }
                for (; ni < notes.size() && notes[ni].offset < pos + frames; ++ni)
                {
                    if (notes[ni].type == MM_NOTE_ON)
                    {
                        ev.noteOn(notes[ni].offset - pos, static_cast<int16_t>(notes[ni].pitch),
                                  notes[ni].velocity);
                    }
                    else
                    {
                        ev.noteOff(notes[ni].offset - pos, static_cast<int16_t>(notes[ni].pitch));
                    }
                }
                ok &= p.process(frames, in.at(static_cast<size_t>(pos)), out.at(static_cast<size_t>(pos)),
                                &changes, &ev) == kResultOk;
                pos += frames;
            }
            CHECK(ok, "host run");
            // Offline: one call, planar buffers, absolute offsets.
            std::vector<float> planarIn(2 * static_cast<size_t>(total));
            std::vector<float> planarOut(2 * static_cast<size_t>(total));
            for (int c = 0; c < 2; ++c)
            {
                std::copy(in.data[static_cast<size_t>(c)].begin(), in.data[static_cast<size_t>(c)].end(),
                          planarIn.begin() + c * total);
            }
            mm_render_args args{};
            args.kind = inst ? MM_KIND_TONE : MM_KIND_MASTERING;
            args.channels = 2;
            args.frames = total;
            args.sample_rate = rate;
            args.input = inst ? nullptr : planarIn.data();
            args.output = planarOut.data();
            args.points = points.data();
            args.point_count = static_cast<int32_t>(points.size());
            args.notes = notes.data();
            args.note_count = static_cast<int32_t>(notes.size());
            CHECK(api->render_offline(&args) == MM_OK, "offline render");
            double maxDiff = 0;
            double energy = 0;
            for (int c = 0; c < 2; ++c)
            {
                for (int i = 0; i < total; ++i)
                {
                    const float a = out.data[static_cast<size_t>(c)][static_cast<size_t>(i)];
                    const float b = planarOut[static_cast<size_t>(c * total + i)];
                    maxDiff = std::max(maxDiff, static_cast<double>(std::fabs(a - b)));
                    energy += static_cast<double>(a) * a;
                }
            }
            std::printf("       max |host - offline| = %.3g over %d frames\n", maxDiff, total);
            CHECK(maxDiff <= 1e-6, "max difference %.3g", maxDiff);
            CHECK(energy > 1.0, "non-trivial output (energy %.3g)", energy);
        });

    scenario(
        m.name + ": state save -> load -> save byte-identical; corrupt state loads defaults",
        [&]
        {
            Plugin p;
            CHECK(p.create(m), "create");
            CHECK(p.setup(48000, 512), "setup");
            ParameterChanges changes;
            int32_t qi = 0;
            int32_t pi = 0;
            // Non-default values, delivered the way a host does: controller and process queue.
            const ParamID a = inst ? 0u : 0u; // bypass / signal
            const ParamID b = inst ? 1u : 5u;
            p.controller->setParamNormalized(a, inst ? 2.0 / 3.0 : 1.0);
            p.controller->setParamNormalized(b, 0.8123456789);
            changes.addParameterData(a, qi)->addPoint(0, inst ? 2.0 / 3.0 : 1.0, pi);
            changes.addParameterData(b, qi)->addPoint(0, 0.8123456789, pi);
            Audio in(2, 512);
            Audio out(2, 512);
            p.process(512, in.at(0), out.at(0), &changes);
            const std::vector<uint8_t> first = p.saveState();
            CHECK(!first.empty(), "state written");
            Plugin q;
            CHECK(q.create(m), "create second");
            CHECK(q.loadState(first) == kResultOk, "load");
            const std::vector<uint8_t> second = q.saveState();
            CHECK(first == second, "byte-identical (%zu vs %zu bytes)", first.size(), second.size());
            CHECK(std::fabs(q.controller->getParamNormalized(b) - 0.8123456789) < 1e-12, "value restored");
            CHECK(std::fabs(q.controller->getParamNormalized(a) - (inst ? 2.0 / 3.0 : 1.0)) < 1e-12,
                  "bypass/signal restored");
            // Corrupt, truncated, foreign: defaults, no crash.
            std::vector<uint8_t> corrupt = first;
            corrupt[corrupt.size() / 2] ^= 0x5A;
            CHECK(q.loadState(corrupt) == kResultOk, "corrupt accepted");
            CHECK(std::fabs(q.controller->getParamNormalized(b) - p.controller->getParamNormalized(b)) > 1e-6,
                  "corrupt state did not load values");
            Plugin fresh;
            CHECK(fresh.create(m), "create third");
            CHECK(q.saveState() == fresh.saveState(), "corrupt state gives defaults");
            std::vector<uint8_t> truncated(first.begin(),
                                           first.begin() + static_cast<long>(first.size() / 3));
            CHECK(q.loadState(truncated) == kResultOk, "truncated accepted");
            std::vector<uint8_t> junk(1000);
            Rng rng;
            for (auto& x : junk)
            {
                x = static_cast<uint8_t>(rng.next());
            }
            CHECK(q.loadState(junk) == kResultOk, "junk accepted");
            CHECK(q.process(512, in.at(0), out.at(0)) == kResultOk, "still processes");
        });

    scenario(m.name + ": 16 instances at once",
             [&]
             {
                 std::vector<std::unique_ptr<Plugin>> many;
                 for (int i = 0; i < 16; ++i)
                 {
                     many.push_back(std::make_unique<Plugin>());
                     CHECK(many.back()->create(m), "create %d", i);
                     CHECK(many.back()->setup(44100 + 1000 * (i % 3), 256), "setup %d", i);
                 }
                 Audio in(2, 256);
                 Audio out(2, 256);
                 fillTestSignal(in, 44100, 256);
                 bool ok = true;
                 for (int b = 0; b < 50; ++b)
                 {
                     for (auto& pl : many)
                     {
                         ok &= pl->process(256, in.at(0), out.at(0)) == kResultOk && out.allFiniteNormal(256);
                     }
                 }
                 CHECK(ok, "all process");
             });

    scenario(m.name + ": 100 create/destroy cycles without memory growth",
             [&]
             {
                 auto cycle = [&]
                 {
                     Plugin p;
                     p.create(m);
                     p.setup(48000, 512);
                     Audio in(2, 512);
                     Audio out(2, 512);
                     p.process(512, in.at(0), out.at(0));
                     p.saveState();
                 };
                 const mm_test_api* api = m.testApi();
                 CHECK(api != nullptr, "test api");
                 if (api == nullptr)
                 {
                     return;
                 }
                 // Warm-up to the steady state: the GC grows its regions by one 4 MB step somewhere
                 // in the first ~200 cycles (measured over 8 windows of 100 after 20 warm-up cycles:
                 // +3.7 MB once, then +0 to +40 KiB per window), which with 20 warm-up cycles fell in
                 // the first window and left the second at the threshold's edge.
                 for (int i = 0; i < 300; ++i)
                 {
                     cycle();
                 }
                 // Let the mix session's analysis thread finish what earlier scenarios gave it
                 // (its first computation loads the role model and ONNX Runtime, once per process),
                 // so only the cycles are measured.
                 std::this_thread::sleep_for(std::chrono::seconds(1));
                 // Three points, 100 cycles apart, each after a full blocking GC (destroyed
                 // instances are garbage; what remains reachable would be a leak). The managed heap
                 // must not grow. RSS moves in steps of the GC's 4 MB regions as allocation wanders
                 // through them, so a single window may show one step; a leak (≥ 40 kB per cycle)
                 // grows every window, so both windows must grow for it to count. Smaller native
                 // leaks are caught by the malloc heap's count (≥ 330 bytes per cycle).
                 int64_t heap[3] = {};
                 long rss[3] = {};
                 // The C/C++ heap (the shim's allocations, the runtime's own): bytes in use in every
                 // malloc arena, mmapped blocks included. A leak of a few hundred bytes per cycle
                 // shows here, far under RSS's 4 MB steps.
                 size_t native[3] = {};
                 for (int k = 0; k < 3; ++k)
                 {
                     if (k > 0)
                     {
                         for (int i = 0; i < 100; ++i)
                         {
                             cycle();
                         }
                     }
                     api->collect_garbage(&heap[k]);
                     rss[k] = rssKiB();
                     const struct mallinfo2 mi = mallinfo2();
                     native[k] = mi.uordblks + mi.hblkhd;
                 }
                 const long long native1 = static_cast<long long>(native[1]) - static_cast<long long>(native[0]);
                 const long long native2 = static_cast<long long>(native[2]) - static_cast<long long>(native[1]);
                 std::printf("       native heap per 100 cycles: %+lld, %+lld bytes\n", native1, native2);
                 CHECK(std::min(native1, native2) < 32 * 1024, "native heap grew in both windows: %+lld, %+lld bytes",
                       native1, native2);
                 std::printf("       after full GCs, per 100 cycles: managed heap %+lld, %+lld bytes; RSS %+ld, %+ld KiB\n",
                             static_cast<long long>(heap[1] - heap[0]), static_cast<long long>(heap[2] - heap[1]),
                             rss[1] - rss[0], rss[2] - rss[1]);
                 CHECK(heap[2] - heap[0] < 64 * 1024, "managed heap grew by %lld bytes over 200 cycles",
                       static_cast<long long>(heap[2] - heap[0]));
                 CHECK(std::min(rss[1] - rss[0], rss[2] - rss[1]) < 4096, "RSS grew in both windows: %+ld, %+ld KiB",
                       rss[1] - rss[0], rss[2] - rss[1]);
             });

    if (!inst)
    {
        scenario(m.name + ": meters reported as output parameter changes and via getParamNormalized",
                 [&]
                 {
                     Plugin p;
                     CHECK(p.create(m), "create");
                     CHECK(p.setup(48000, 1024), "setup");
                     Audio in(2, 1024);
                     Audio out(2, 1024);
                     fillTestSignal(in, 48000, 1024);
                     ParameterChanges outParams;
                     for (int b = 0; b < 200; ++b)
                     {
                         outParams.clear();
                         p.process(1024, in.at(0), out.at(0), nullptr, nullptr, &outParams);
                     }
                     const ParamID tp = p.paramIdByTitle("True Peak");
                     const ParamID mom = p.paramIdByTitle("Momentary Loudness");
                     CHECK(outParams.lastValue(tp) > 0.0, "true peak reported (%f)", outParams.lastValue(tp));
                     CHECK(outParams.lastValue(mom) >= 0.0, "momentary reported (%f)",
                           outParams.lastValue(mom));
                     String128 text{};
                     p.controller->getParamStringByValue(tp, p.controller->getParamNormalized(tp), text);
                     std::printf("       true peak %s dBTP\n", toUtf8(text).c_str());
                     // Input peak is ~0.45 (−7 dBFS) at unity gain.
                     const double plainTp =
                         p.controller->normalizedParamToPlain(tp, p.controller->getParamNormalized(tp));
                     CHECK(plainTp > -9 && plainTp < -5, "true peak %.2f dBTP", plainTp);
                 });

        scenario(m.name + ": what it hears (clipping, overs, correlation, phase, balance) moves read-only parameters; "
                          "a clean signal moves none",
                 [&]
                 {
                     enum class Kind { Clean, Clipped, Inverted, Imbalanced };
                     struct Heard
                     {
                         double clips, overs, correlation, phase, balance;
                     };
                     // 3 s of partly correlated stereo noise at 48 kHz in 480-frame blocks, treated as
                     // Kind says; the readings as the host sees them: the last block's output
                     // parameter changes, and getParamNormalized after forwarding them.
                     auto listen = [&](Kind kind, Heard& viaOut, Heard& viaController)
                     {
                         Plugin p;
                         CHECK(p.create(m), "create");
                         CHECK(p.setup(48000, 480), "setup");
                         const char* titles[] = {"Clipped Runs", "True-Peak Overs", "Correlation", "Phase", "Stereo Balance"};
                         ParamID ids[5];
                         for (int k = 0; k < 5; ++k)
                         {
                             ids[k] = p.paramIdByTitle(titles[k]);
                             CHECK(ids[k] != 0xFFFFFFFFu && ids[k] >= 209, "%s has a new ID (%u)", titles[k], ids[k]);
                             for (int32_t i = 0; i < p.controller->getParameterCount(); ++i)
                             {
                                 ParameterInfo info{};
                                 p.controller->getParameterInfo(i, info);
                                 if (info.id == ids[k])
                                 {
                                     CHECK((info.flags & kIsReadOnly) && !(info.flags & kCanAutomate), "%s is read-only, not automatable",
                                           titles[k]);
                                 }
                             }
                         }
                         Audio in(2, 480);
                         Audio out(2, 480);
                         Rng rng;
                         rng.s = 7;
                         ParameterChanges outParams;
                         for (int b = 0; b < 300; ++b)
                         {
                             for (size_t i = 0; i < 480; ++i)
                             {
                                 const double common = 0.6 * (rng.uniform() - 0.5);
                                 const double side = 0.2 * (rng.uniform() - 0.5);
                                 double l = common + side;
                                 double r = common - side;
                                 if (kind == Kind::Clipped)
                                 {
                                     l = std::clamp(8 * l, -1.0, 1.0);
                                     r = std::clamp(8 * r, -1.0, 1.0);
                                 }
                                 else if (kind == Kind::Inverted)
                                 {
                                     r = -r;
                                 }
                                 else if (kind == Kind::Imbalanced)
                                 {
                                     r *= 0.5;
                                 }
                                 in.data[0][i] = static_cast<float>(l);
                                 in.data[1][i] = static_cast<float>(r);
                             }
                             outParams.clear();
                             CHECK(p.process(480, in.at(0), out.at(0), nullptr, nullptr, &outParams) == kResultOk, "process");
                         }
                         p.forwardToController(outParams);
                         double a[5];
                         double c[5];
                         for (int k = 0; k < 5; ++k)
                         {
                             const double reported = outParams.lastValue(ids[k]);
                             CHECK(reported >= 0.0, "%s reported as an output parameter change", titles[k]);
                             a[k] = p.plain(ids[k], reported);
                             c[k] = p.plain(ids[k], p.controller->getParamNormalized(ids[k]));
                         }
                         viaOut = {a[0], a[1], a[2], a[3], a[4]};
                         viaController = {c[0], c[1], c[2], c[3], c[4]};
                         p.stop();
                         p.destroy();
                     };
                     const char* names[] = {"clean", "clipped", "inverted", "imbalanced"};
                     Heard h[4];
                     for (int k = 0; k < 4; ++k)
                     {
                         Heard viaController{};
                         listen(static_cast<Kind>(k), h[k], viaController);
                         CHECK(std::fabs(h[k].clips - viaController.clips) < 0.5 && std::fabs(h[k].correlation - viaController.correlation) < 1e-9 &&
                                   std::fabs(h[k].balance - viaController.balance) < 1e-9 && h[k].phase == viaController.phase,
                               "%s: getParamNormalized agrees with the output parameter changes", names[k]);
                         std::printf("       %-10s clipped runs %.0f, overs %.0f, correlation %+.2f, phase %.0f, balance %+.1f dB\n", names[k],
                                     h[k].clips, h[k].overs, h[k].correlation, h[k].phase, h[k].balance);
                     }
                     CHECK(h[0].clips == 0 && h[0].overs == 0 && h[0].phase == 0 && h[0].correlation > 0.6 && std::fabs(h[0].balance) < 0.3,
                           "a clean signal moves nothing");
                     CHECK(h[1].clips >= 100 && h[1].overs >= 1, "clipping counted (%.0f runs, %.0f overs)", h[1].clips, h[1].overs);
                     CHECK(h[2].correlation < -0.6 && h[2].phase == 2 && h[2].clips == 0, "inverted channel (correlation %.2f, phase %.0f)",
                           h[2].correlation, h[2].phase);
                     CHECK(h[3].balance > 5 && h[3].balance < 7 && h[3].phase == 0, "imbalance read (%.1f dB)", h[3].balance);
                 });

        scenario(
            m.name + ": mix session: 3 tracks and a master balance each other through host edits; tracks come "
                     "and go while audio runs",
            [&]
            {
                // Like a DAW: every instance on the main thread, blocks in real-time order, output
                // parameter changes handed to the controllers, and whatever the controllers
                // perform sent to their processors in the next block.
                constexpr int kBlock = 512;
                constexpr double kRate = 48000;
                struct Track
                {
                    std::unique_ptr<Plugin> p;
                    int kind; // 0 noise, 1 low sine, 2 high sine, 3 late noise
                    ParameterChanges in;
                    ParameterChanges out;
                    size_t editsSeen = 0;
                    double outRmsBefore = 0;
                };
                std::vector<std::unique_ptr<Track>> tracks;
                auto make = [&](int kind, bool master)
                {
                    auto t = std::make_unique<Track>();
                    t->p = std::make_unique<Plugin>();
                    t->kind = kind;
                    CHECK(t->p->create(m) && t->p->setup(kRate, kBlock), "instance %d", kind);
                    int32_t index = 0;
                    int32_t at = 0;
                    const ParamID mode = t->p->paramIdByTitle("Mode");
                    t->in.addParameterData(mode, index)->addPoint(0, master ? 1.0 : 0.0, at);
                    t->p->controller->setParamNormalized(mode, master ? 1.0 : 0.0);
                    const ParamID limiter = t->p->paramIdByTitle("Limiter");
                    t->in.addParameterData(limiter, index)->addPoint(0, 0.0, at);
                    return t;
                };
                Rng noise;
                auto fill = [&](Audio& a, int kind, long frame0)
                {
                    for (int i = 0; i < kBlock; ++i)
                    {
                        const double t = static_cast<double>(frame0 + i) / kRate;
                        double x = 0;
                        switch (kind)
                        {
                        case 0: x = 0.5 * (noise.uniform() * 2 - 1); break;
                        case 1: x = 0.02 * std::sin(2 * M_PI * 220 * t); break;
                        case 2: x = 0.1 * std::sin(2 * M_PI * 3000 * t); break;
                        default: x = 0.3 * (noise.uniform() * 2 - 1); break;
                        }
                        a.data[0][static_cast<size_t>(i)] = a.data[1][static_cast<size_t>(i)] = static_cast<float>(x);
                    }
                };
                Audio in(2, kBlock);
                Audio out(2, kBlock);
                long frame = 0;
                auto round = [&](std::vector<std::unique_ptr<Track>>& all, double* rmsSum)
                {
                    for (auto& t : all)
                    {
                        fill(in, t->kind, frame);
                        t->out.clear();
                        t->p->process(kBlock, in.at(0), out.at(0), &t->in, nullptr, &t->out);
                        t->in.clear();
                        t->p->forwardToController(t->out); // main thread: pumps the controller's edits
                        // Edits the controller performed go to its processor with the next block.
                        for (; t->editsSeen < t->p->handler.edits.size(); ++t->editsSeen)
                        {
                            const auto& e = t->p->handler.edits[t->editsSeen];
                            int32_t index = 0;
                            int32_t at = 0;
                            t->in.addParameterData(e.id, index)->addPoint(0, e.value, at);
                        }
                        if (rmsSum != nullptr)
                        {
                            double& sum = rmsSum[&t - &all[0]]; // energy of this instance's left channel
                            for (float v : out.data[0])
                            {
                                sum += static_cast<double>(v) * v;
                            }
                        }
                    }
                    frame += kBlock;
                };
                for (int k = 0; k < 3; ++k)
                {
                    tracks.push_back(make(k, false));
                }
                auto master = make(0, true);
                std::vector<std::unique_ptr<Track>> all;
                for (auto& t : tracks)
                {
                    all.push_back(std::move(t));
                }
                tracks.clear();
                all.push_back(std::move(master)); // all[3] is the master
                Plugin& mp = *all[3]->p;
                const ParamID learn = mp.paramIdByTitle("Learn");
                const ParamID balance = mp.paramIdByTitle("Balance Gain");
                const ParamID suggested = mp.paramIdByTitle("Suggested Gain");
                const ParamID sessionTracks = mp.paramIdByTitle("Session Tracks");
                const ParamID eq1On = mp.paramIdByTitle("EQ 1 On");
                CHECK(balance != 0xFFFFFFFFu && suggested != 0xFFFFFFFFu && sessionTracks != 0xFFFFFFFFu,
                      "session parameters exist");
                {
                    int32_t index = 0;
                    int32_t at = 0;
                    all[3]->in.addParameterData(learn, index)->addPoint(0, 1.0, at);
                    mp.controller->setParamNormalized(learn, 1.0);
                }

                // A 6-second take, paced at about 8x real time; a fourth track appears after 2 s
                // and is removed after 4 s, while audio runs.
                const int takeBlocks = static_cast<int>(6 * kRate / kBlock);
                for (int b = 0; b < takeBlocks; ++b)
                {
                    if (b == takeBlocks / 3)
                    {
                        all.push_back(make(3, false));
                    }
                    if (b == 2 * takeBlocks / 3)
                    {
                        all.back()->p->destroy();
                        all.pop_back();
                    }
                    round(all, nullptr);
                    std::this_thread::sleep_for(std::chrono::microseconds(1300));
                }
                {
                    int32_t index = 0;
                    int32_t at = 0;
                    all[3]->in.addParameterData(learn, index)->addPoint(0, 0.0, at);
                    mp.controller->setParamNormalized(learn, 0.0);
                }
                // The end of the take: the session computes on its thread; the controllers apply
                // at the next main-thread call after that.
                bool applied = false;
                for (int r = 0; r < 300 && !applied; ++r)
                {
                    round(all, nullptr);
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    applied = true;
                    for (int k = 0; k < 3; ++k)
                    {
                        bool has = false;
                        for (const auto& e : all[static_cast<size_t>(k)]->p->handler.edits)
                        {
                            has |= e.id == balance;
                        }
                        applied &= has;
                    }
                }
                CHECK(applied, "every track received a Balance Gain edit");

                double gains[3] = {};
                double sum = 0;
                for (int k = 0; k < 3; ++k)
                {
                    Plugin& p = *all[static_cast<size_t>(k)]->p;
                    const ComponentHandler& h = p.handler;
                    for (const auto& e : h.edits)
                    {
                        if (e.id == balance)
                        {
                            gains[k] = p.plain(balance, e.value);
                        }
                    }
                    sum += gains[k];
                    CHECK(h.begins == h.ends && h.begins == static_cast<int>(h.edits.size()) && h.outsideBeginEnd == 0,
                          "track %d: every performEdit inside begin/end (%d begins, %d ends, %zu edits)", k, h.begins,
                          h.ends, h.edits.size());
                    CHECK(h.group.started >= 1 && h.group.started == h.group.finished,
                          "track %d: edits grouped for one undo step (%d/%d)", k, h.group.started, h.group.finished);
                    const double shown = p.plain(suggested, p.controller->getParamNormalized(suggested));
                    CHECK(std::fabs(shown - gains[k]) < 0.05, "track %d: applied %.2f dB = suggested %.2f dB at 100 %%", k,
                          gains[k], shown);
                    CHECK(std::fabs(p.controller->getParamNormalized(balance) -
                                    p.controller->plainParamToNormalized(balance, gains[k])) < 1e-9,
                          "track %d: controller shows the applied value", k);
                    const double count = p.plain(sessionTracks, p.controller->getParamNormalized(sessionTracks));
                    CHECK(std::lround(count) == 3, "track %d: session has %.0f tracks after one left", k, count);
                }
                std::printf("       balance moves: noise %+.2f dB, 220 Hz %+.2f dB, 3 kHz %+.2f dB\n", gains[0], gains[1],
                            gains[2]);
                // The role model and ONNX Runtime ship in the bundle: the session hears roles.
                const ParamID role = mp.paramIdByTitle("Detected Role");
                int known = 0;
                std::string roles;
                for (int k = 0; k < 3; ++k)
                {
                    Plugin& p = *all[static_cast<size_t>(k)]->p;
                    String128 text{};
                    p.controller->getParamStringByValue(role, p.controller->getParamNormalized(role), text);
                    roles += (k > 0 ? ", " : "") + toUtf8(text);
                    known += toUtf8(text) != "unknown" ? 1 : 0;
                }
                std::printf("       detected roles: %s\n", roles.c_str());
                CHECK(known >= 2, "roles detected inside the DAW process (%s)", roles.c_str());
                CHECK(std::fabs(sum) < 0.05, "moves keep the overall level (sum %.3f dB)", sum);
                CHECK(gains[1] - gains[0] > 15, "the quiet 220 Hz track comes up against the loud noise (%.2f dB)",
                      gains[1] - gains[0]);
                bool masterEq = false;
                for (const auto& e : mp.handler.edits)
                {
                    masterEq |= e.id == eq1On && e.value == 1.0;
                    CHECK(e.id != balance, "the master gets no balance move");
                }
                CHECK(masterEq, "the master's tonal moves switched on EQ band 1");

                // The processors got the edits: the 220 Hz track now plays at its input level plus
                // its balance move (the host forwarded every edit, EQ bands included; the level
                // move dominates by far, so 1 dB of tolerance covers any masking cut).
                double rms[4] = {};
                for (int b = 0; b < 40; ++b)
                {
                    round(all, rms);
                }
                const double lowSine = 10 * std::log10(rms[1] / (40.0 * kBlock));
                const double expected = 20 * std::log10(0.02 / std::sqrt(2.0)) + gains[1];
                std::printf("       220 Hz track after the edit: %.2f dBFS RMS (input + move = %.2f)\n", lowSine, expected);
                CHECK(std::fabs(lowSine - expected) < 1.0, "the processor applies the edited gain (%.2f vs %.2f)",
                      lowSine, expected);

                // The user sets the 3 kHz track's Role (automatable list: auto, then the roles) to
                // vocal: the session re-plans with it and Detected Role shows it, while the
                // applied fader stays where the take left it.
                Plugin& third = *all[2]->p;
                const ParamID userRole = third.paramIdByTitle("Role");
                CHECK(userRole == 10, "Role has ID 10 (%u)", userRole);
                ParameterInfo roleInfo{};
                for (int32_t i = 0; i < third.controller->getParameterCount(); ++i)
                {
                    ParameterInfo info{};
                    third.controller->getParameterInfo(i, info);
                    if (info.id == userRole)
                    {
                        roleInfo = info;
                    }
                }
                CHECK(roleInfo.stepCount == 15 && (roleInfo.flags & kCanAutomate) && (roleInfo.flags & kIsList) &&
                          !(roleInfo.flags & kIsReadOnly),
                      "Role is an automatable list of 16 (steps %d, flags %d)", roleInfo.stepCount, roleInfo.flags);
                double vocal = -1;
                {
                    String128 name{};
                    for (int c = 0; c < 16; ++c)
                    {
                        third.controller->getParamStringByValue(userRole, c / 15.0, name);
                        vocal = toUtf8(name) == "vocal" ? c / 15.0 : vocal;
                    }
                }
                CHECK(vocal > 0, "vocal is one of Role's choices");
                const size_t editsBefore = third.handler.edits.size();
                {
                    int32_t index = 0;
                    int32_t at = 0;
                    all[2]->in.addParameterData(userRole, index)->addPoint(0, vocal, at);
                    third.controller->setParamNormalized(userRole, vocal);
                }
                std::string shown;
                for (int r = 0; r < 300 && shown != "vocal"; ++r)
                {
                    round(all, nullptr);
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    String128 text{};
                    third.controller->getParamStringByValue(role, third.controller->getParamNormalized(role), text);
                    shown = toUtf8(text);
                }
                CHECK(shown == "vocal", "Detected Role follows the user's Role (shows %s)", shown.c_str());
                CHECK(third.handler.edits.size() == editsBefore, "setting the role moves no fader (%zu edits)",
                      third.handler.edits.size() - editsBefore);
            });

        scenario(m.name + ": latency reported; a sample-rate change restarts with kLatencyChanged",
                 [&]
                 {
                     Plugin p;
                     CHECK(p.create(m), "create");
                     CHECK(p.setup(44100, 512), "setup 44.1k");
                     const uint32_t at44 = p.processor->getLatencySamples();
                     CHECK(at44 > 0 && at44 < 4410, "latency %u at 44.1 kHz", at44);
                     p.stop();
                     CHECK(p.setup(44100, 1024), "same rate again");
                     CHECK(p.handler.restarts == 0, "no restart when nothing changed (%d)",
                           p.handler.restarts);
                     p.stop();
                     CHECK(p.setup(96000, 512), "setup 96k");
                     const uint32_t at96 = p.processor->getLatencySamples();
                     CHECK(at96 > at44, "latency grows with the rate (%u -> %u)", at44, at96);
                     CHECK(p.handler.restarts == 1 && (p.handler.restartFlags & kLatencyChanged),
                           "one kLatencyChanged restart (%d, flags %d)", p.handler.restarts,
                           p.handler.restartFlags);
                     CHECK(p.processor->getTailSamples() >= at96, "tail covers the latency");
                 });

        scenario(m.name + ": bypass passes the input through (latency-compensated)",
                 [&]
                 {
                     Plugin p;
                     CHECK(p.create(m), "create");
                     p.controller->setParamNormalized(0, 1.0);
                     ParameterChanges changes;
                     int32_t qi = 0;
                     int32_t pi = 0;
                     changes.addParameterData(0, qi)->addPoint(0, 1.0, pi);
                     changes.addParameterData(5, qi)->addPoint(0, 1.0, pi); // +24 dB input gain
                     CHECK(p.setup(48000, 4800), "setup");
                     const uint32_t latency = p.processor->getLatencySamples();
                     Audio in(2, 4800);
                     Audio out(2, 4800);
                     fillTestSignal(in, 48000, 4800);
                     p.process(0, nullptr, nullptr, &changes);
                     p.process(4800, in.at(0), out.at(0));
                     double maxDiff = 0;
                     for (size_t i = latency + 480; i < 4800; ++i)
                     {
                         maxDiff = std::max(maxDiff, static_cast<double>(std::fabs(out.data[0][i] -
                                                                                   in.data[0][i - latency])));
                     }
                     CHECK(maxDiff < 1e-6, "bypassed output differs from input by %.3g (latency %u)", maxDiff,
                           latency);
                 });
    }
    else
    {
        scenario(m.name + ": calibrated levels (velocity 100 = -20 dBFS RMS) and pitch",
                 [&]
                 {
                     const double rate = 48000;
                     struct Case
                     {
                         double signal;
                         float velocity;
                         double expectDb;
                         double tolerance;
                     };
                     const Case cases[] = {{0.0, 100.0f / 127, -20.0, 0.02},
                                           {0.0, 1.0f, -20.0 + 20 * std::log10(1.27), 0.02},
                                           {1.0 / 3, 100.0f / 127, -20.0, 0.4},
                                           {2.0 / 3, 100.0f / 127, -20.0, 0.1},
                                           {1.0, 50.0f / 127, -20.0 + 20 * std::log10(0.5), 0.05}};
                     for (const Case& k : cases)
                     {
                         Plugin p;
                         CHECK(p.create(m), "create");
                         CHECK(p.setup(rate, 4800), "setup");
                         ParameterChanges changes;
                         int32_t qi = 0;
                         int32_t pi = 0;
                         changes.addParameterData(0, qi)->addPoint(0, k.signal, pi);
                         if (k.signal == 1.0)
                         {
                             changes.addParameterData(1, qi)->addPoint(
                                 0, 1.0, pi); // 60 s sweep: one pass in the window
                         }
                         p.process(0, nullptr, nullptr, &changes);
                         const size_t total = 4 * 48000;
                         Audio out(2, total);
                         EventList ev;
                         ev.noteOn(0, 69, k.velocity);
                         for (size_t pos = 0; pos < total; pos += 4800)
                         {
                             p.process(4800, nullptr, out.at(pos), nullptr, pos == 0 ? &ev : nullptr);
                         }
                         const double level = rmsDb(out.data[0], 4800, total);
                         std::printf("       signal %.2f velocity %.0f: %.3f dBFS RMS (expected %.3f)\n",
                                     k.signal, k.velocity * 127, level, k.expectDb);
                         CHECK(std::fabs(level - k.expectDb) < k.tolerance, "level %.3f vs %.3f", level,
                               k.expectDb);
                         if (k.signal == 0.0)
                         {
                             int crossings = 0;
                             for (size_t i = 48001; i < 96001; ++i)
                             {
                                 crossings += out.data[0][i - 1] < 0 && out.data[0][i] >= 0;
                             }
                             CHECK(std::abs(crossings - 440) <= 1,
                                   "A4 at 440 Hz (%d upward crossings in 1 s)", crossings);
                         }
                     }
                 });

        scenario(m.name + ": note off releases to silence",
                 [&]
                 {
                     Plugin p;
                     CHECK(p.create(m), "create");
                     CHECK(p.setup(48000, 480), "setup");
                     Audio out(2, 480);
                     EventList on;
                     on.noteOn(0, 60, 0.9f, 5);
                     EventList off;
                     off.noteOff(100, 60, 5);
                     p.process(480, nullptr, out.at(0), nullptr, &on);
                     CHECK(rmsDb(out.data[0], 100, 480) > -30, "sounding");
                     p.process(480, nullptr, out.at(0), nullptr, &off);
                     p.process(480, nullptr, out.at(0)); // the 10 ms release ends 100 frames into this block
                     CHECK(rmsDb(out.data[0], 0, 100) > -90, "release tail present");
                     CHECK(rmsDb(out.data[0], 101, 480) < -200, "silent after release (%.1f dB)",
                           rmsDb(out.data[0], 101, 480));
                     p.process(480, nullptr, out.at(0));
                     CHECK(rmsDb(out.data[0], 0, 480) < -200, "silent after release (%.1f dB)",
                           rmsDb(out.data[0], 0, 480));
                 });
    }
}

// --- another .NET in the process; a broken install (each in its own child process) ----------
// "coreclr": another component (a .NET plug-in of another vendor) started a CoreCLR runtime in
// the DAW's process before MixMate loads; the compiled core has its own runtime and must work
// beside it. Returns 77 when no .NET is installed to start one.
int preRuntime(const std::string& bundle)
{
    char_t fxrPath[4096];
    size_t size = sizeof(fxrPath);
    if (get_hostfxr_path(fxrPath, &size, nullptr) != 0)
    {
        std::printf("no hostfxr: .NET is not installed here\n");
        return 77;
    }
    void* fxr = dlopen(fxrPath, RTLD_NOW | RTLD_LOCAL);
    auto init = fxr == nullptr ? nullptr
                               : reinterpret_cast<hostfxr_initialize_for_runtime_config_fn>(
                                     dlsym(fxr, "hostfxr_initialize_for_runtime_config"));
    auto getDelegate = fxr == nullptr ? nullptr
                                      : reinterpret_cast<hostfxr_get_runtime_delegate_fn>(
                                            dlsym(fxr, "hostfxr_get_runtime_delegate"));
    auto close = fxr == nullptr ? nullptr : reinterpret_cast<hostfxr_close_fn>(dlsym(fxr, "hostfxr_close"));
    if (init == nullptr || getDelegate == nullptr || close == nullptr)
    {
        std::printf("hostfxr %s unusable\n", fxrPath);
        return 77;
    }
    const std::string config = "/tmp/mixmate-testhost-" + std::to_string(getpid()) + "-other.runtimeconfig.json";
    std::ofstream(config) << "{\"runtimeOptions\":{\"tfm\":\"net10.0\",\"rollForward\":\"LatestMajor\","
                             "\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"8.0.0\"},"
                             "\"configProperties\":{\"Some.Other.Component.Setting\":true}}}\n";
    hostfxr_handle h = nullptr;
    int rc = init(config.c_str(), nullptr, &h);
    void* fn = nullptr;
    std::remove(config.c_str());
    if (rc != 0 || getDelegate(h, hdt_load_assembly_and_get_function_pointer, &fn) != 0)
    {
        std::printf("pre-start failed rc=%x\n", rc);
        return 2;
    }
    close(h);
    std::printf("pre-started a CoreCLR runtime (%s)\n", fxrPath);

    Module m;
    if (!m.load(bundle))
    {
        return 3;
    }
    Plugin p;
    const bool created = p.create(m);
    std::printf("createInstance %s %s\n", created ? "succeeded" : "failed", m.lastHostingError().c_str());
    Audio in(2, 256);
    Audio out(2, 256);
    fillTestSignal(in, 48000, 256);
    EventList ev;
    ev.noteOn(0, 69, 0.8f);
    return created && p.setup(48000, 256) &&
                   p.process(256, in.at(0), out.at(0), nullptr, m.instrument ? &ev : nullptr) == kResultOk &&
                   rmsDb(out.data[0], 0, 256) > -60
               ? 0
               : 1;
}

// "broken": the bundle's core library is missing or unloadable. Class info must still answer (a
// scan never needs the core), every createInstance must fail cleanly, and the reason is said
// once, however many instances the host tries.
int brokenInstall(const std::string& bundle)
{
    Module m;
    if (!m.load(bundle))
    {
        return 3;
    }
    if (std::strlen(m.info.name) == 0)
    {
        std::printf("no class info\n");
        return 4;
    }
    for (int i = 0; i < 3; ++i)
    {
        Plugin p;
        if (p.create(m))
        {
            std::printf("createInstance succeeded without a core\n");
            return 5;
        }
    }
    std::printf("reason: %s\n", m.lastHostingError().c_str());
    return m.lastHostingError().empty() ? 6 : 0;
}

// --- benchmark (issue 4): prints figures, never fails on them; see docs/plugin-benchmarks.md ----
double monoMs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

double clockMs(clockid_t id)
{
    timespec t{};
    clock_gettime(id, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// Nearest-rank percentile (q in 0…1) of an unsorted copy.
double percentile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, k == 0 ? 0 : k - 1)];
}

double maxOf(const std::vector<double>& v)
{
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

std::string loadAverage()
{
    std::ifstream f("/proc/loadavg");
    double a = 0, b = 0, c = 0;
    f >> a >> b >> c;
    char text[64];
    std::snprintf(text, sizeof(text), "%.2f %.2f %.2f", a, b, c);
    return text;
}

// The effect's whole chain: limiter on (default), learning on, all six EQ bands on with gain,
// +6 dB input gain so the limiter works. Delivered as a host does: controller + first block's queue.
void fullChainChanges(const Module& m, Plugin& p, ParameterChanges& q)
{
    q.clear();
    if (m.instrument)
    {
        return;
    }
    int32_t qi = 0;
    int32_t pi = 0;
    auto set = [&](ParamID id, double v)
    {
        p.controller->setParamNormalized(id, v);
        q.addParameterData(id, qi)->addPoint(0, v, pi);
    };
    set(5, 30.0 / 48.0); // Input Gain +6 dB (range −24…24)
    set(6, 1.0);         // Limiter
    set(7, 1.0);         // Learn
    for (uint32_t b = 0; b < 6; ++b)
    {
        set(100 + 10 * b, 1.0);                          // EQ b On
        set(100 + 10 * b + 2, b % 2 == 0 ? 0.58 : 0.44); // EQ b Gain ≈ ±3.8 dB
    }
}

constexpr double kRate = 48000;
constexpr int kBlock = 64;

// Held notes for MixMate Tone (an instrument only sounds with notes).
void holdNotes(EventList& ev)
{
    ev.events.clear();
    ev.noteOn(0, 57, 0.8f);
    ev.noteOn(0, 64, 0.6f);
}

// One fresh process: cold first instance, then 15 more. Prints one machine-readable line per
// figure: "cold dlopen_factory runtime setup first_process total process_cpu" and "more ms".
int benchCold(const std::string& bundlePath, int more)
{
    Audio in(2, kBlock);
    Audio out(2, kBlock);
    fillTestSignal(in, kRate, kBlock);
    EventList ev;
    holdNotes(ev);
    std::vector<ParameterChanges> changes(static_cast<size_t>(more) + 1); // allocated before timing
    std::vector<std::unique_ptr<Plugin>> plugins;
    for (int i = 0; i <= more; ++i)
    {
        plugins.push_back(std::make_unique<Plugin>());
    }

    const double cpu0 = clockMs(CLOCK_PROCESS_CPUTIME_ID);
    const double t0 = monoMs();
    Module m;
    if (!m.load(bundlePath))
    {
        return 3;
    }
    const double t1 = monoMs();
    if (!plugins[0]->create(m))
    {
        std::printf("createInstance failed: %s\n", m.lastHostingError().c_str());
        return 4;
    }
    const double t2 = monoMs();
    fullChainChanges(m, *plugins[0], changes[0]);
    if (!plugins[0]->setup(kRate, kBlock))
    {
        return 5;
    }
    const double t3 = monoMs();
    if (plugins[0]->process(kBlock, in.at(0), out.at(0), &changes[0], m.instrument ? &ev : nullptr) !=
        kResultOk)
    {
        return 6;
    }
    const double t4 = monoMs();
    const double cpu1 = clockMs(CLOCK_PROCESS_CPUTIME_ID);
    std::printf("cold %.3f %.3f %.3f %.3f %.3f %.3f\n", t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0,
                cpu1 - cpu0);

    for (int i = 1; i <= more; ++i)
    {
        Plugin& p = *plugins[static_cast<size_t>(i)];
        const double c0 = clockMs(CLOCK_THREAD_CPUTIME_ID);
        const double s = monoMs();
        if (!p.create(m))
        {
            return 7;
        }
        const double a = monoMs();
        fullChainChanges(m, p, changes[static_cast<size_t>(i)]);
        if (!p.setup(kRate, kBlock))
        {
            return 8;
        }
        const double b = monoMs();
        if (p.process(kBlock, in.at(0), out.at(0), &changes[static_cast<size_t>(i)],
                      m.instrument ? &ev : nullptr) != kResultOk)
        {
            return 9;
        }
        const double e = monoMs();
        const double c1 = clockMs(CLOCK_THREAD_CPUTIME_ID);
        std::printf("more %.3f %.3f %.3f %.3f %.3f\n", e - s, c1 - c0, a - s, b - a, e - b);
    }
    std::fflush(stdout);
    // Plugins are destroyed before the module goes out of scope.
    plugins.clear();
    return 0;
}

// Steady state: kBlock-frame blocks at 48 kHz, back to back on one thread, each block timed by
// the monotonic clock and by this thread's CPU clock, while a second thread keeps reading state,
// parameters and meters (what a DAW's UI thread does).
void benchSteady(Module& m, long blocks, bool uiThread)
{
    Plugin p;
    if (!p.create(m))
    {
        std::printf("  createInstance failed\n");
        return;
    }
    ParameterChanges first;
    ParameterChanges outParams;
    fullChainChanges(m, p, first);
    if (!p.setup(kRate, kBlock))
    {
        std::printf("  setup failed\n");
        return;
    }
    // A long signal, so blocks are not all the same audio (the limiter and meters see music-like
    // level changes): 10 s of the test signal, looped.
    const size_t loop = static_cast<size_t>(kRate) * 10 / kBlock * kBlock;
    Audio in(2, loop);
    fillTestSignal(in, kRate, loop, 7);
    for (size_t i = 0; i < loop; ++i)
    {
        const float env = static_cast<float>(0.25 + 0.75 * std::fabs(std::sin(2 * M_PI * 0.37 * i / kRate)));
        in.data[0][i] *= env;
        in.data[1][i] *= env;
    }
    Audio out(2, kBlock);
    EventList ev;
    holdNotes(ev);
    EventList none;
    std::vector<float*> inPtr(2);

    // Background "UI" thread: getState, getParamNormalized on every parameter (meters included),
    // getParamStringByValue — the plug-in's non-real-time paths.
    std::atomic<bool> stop{false};
    std::atomic<long> uiCalls{0};
    std::vector<ParamID> ids;
    for (int32_t i = 0; i < p.controller->getParameterCount(); ++i)
    {
        ParameterInfo info{};
        p.controller->getParameterInfo(i, info);
        ids.push_back(info.id);
    }
    std::thread ui(
        [&]
        {
            if (!uiThread)
            {
                uiCalls = -1;
                return;
            }
            MemoryStream s;
            s.data.reserve(1 << 16);
            String128 text{};
            double sink = 0;
            while (!stop.load(std::memory_order_relaxed))
            {
                s.data.clear();
                s.position = 0;
                p.component->getState(&s);
                for (ParamID id : ids)
                {
                    const double v = p.controller->getParamNormalized(id);
                    p.controller->getParamStringByValue(id, v, text);
                    sink += v;
                }
                uiCalls.fetch_add(1, std::memory_order_relaxed);
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            if (sink < -1e300)
            {
                std::printf("?\n");
            }
        });

    while (uiCalls.load() == 0) // -1 with --no-ui
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // its first round JIT-compiles
    }

    // Realtime priority as a DAW's audio thread would have, if the system allows it.
    sched_param sp{};
    sp.sched_priority = 50;
    const bool fifo = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0;

    long position = 0;
    auto processOne = [&](ParameterChanges* changes)
    {
        const size_t off = static_cast<size_t>(position * kBlock) % loop;
        inPtr[0] = in.data[0].data() + off;
        inPtr[1] = in.data[1].data() + off;
        outParams.clear();
        EventList* events = nullptr;
        if (m.instrument)
        {
            events = position % 3000 == 0 ? &ev : &none; // notes re-triggered now and then
        }
        p.process(kBlock, inPtr.data(), out.at(0), changes, events, &outParams);
        ++position;
    };
    // Under SCHED_FIFO the kernel throttles a thread that runs for more than
    // sched_rt_runtime_us (0.95 s) of every second, which would show up as a 50 ms "block".
    // A DAW's audio thread sleeps between blocks; we rest 5 ms every 2048 blocks (not timed).
    auto rest = [&](long b)
    {
        if (b % 2048 == 2047)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    };
    // Warm-up: tiered compilation (on in the runtimeconfig) replaces tier-0 code with optimized
    // code in the background after about 100 ms of stable call counts: process for 3 s first.
    processOne(&first);
    const double warmStart = monoMs();
    long warmBlocks = 1;
    while (monoMs() - warmStart < 3000 || warmBlocks < 2000)
    {
        processOne(nullptr);
        rest(warmBlocks++);
    }

    // Pass 1: monotonic clock only (vDSO, tens of ns), and this thread's rusage over the pass.
    std::vector<double> wall(static_cast<size_t>(blocks));
    rusage ru0{};
    getrusage(RUSAGE_THREAD, &ru0);
    const double w0 = monoMs();
    for (long b = 0; b < blocks; ++b)
    {
        const double s = monoMs();
        processOne(nullptr);
        wall[static_cast<size_t>(b)] = monoMs() - s;
        rest(b);
    }
    const double w1 = monoMs();
    rusage ru1{};
    getrusage(RUSAGE_THREAD, &ru1);
    // Pass 2: this thread's CPU clock per block (a system call each: costs more, but it is what
    // excludes the time other processes on this loaded machine take from us).
    std::vector<double> cpu(static_cast<size_t>(blocks));
    for (long b = 0; b < blocks; ++b)
    {
        const double c0 = clockMs(CLOCK_THREAD_CPUTIME_ID);
        processOne(nullptr);
        cpu[static_cast<size_t>(b)] = clockMs(CLOCK_THREAD_CPUTIME_ID) - c0;
        rest(b);
    }
    stop = true;
    ui.join();
    sp.sched_priority = 0;
    pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp);

    auto tvMs = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + t.tv_usec * 1e-3; };
    const double threadCpu =
        tvMs(ru1.ru_utime) + tvMs(ru1.ru_stime) - tvMs(ru0.ru_utime) - tvMs(ru0.ru_stime);
    const double blockMs = kBlock * 1000.0 / kRate;
    const double audioMs = blockMs * static_cast<double>(blocks);
    std::printf(
        "  steady state: 2 × %ld blocks of %d frames at %.0f Hz (%.1f s of audio each) after %ld warm-up "
        "blocks, SCHED_FIFO %s, UI-thread rounds %ld, involuntary context switches in pass 1: %ld\n",
        blocks, kBlock, kRate, audioMs / 1000, warmBlocks, fifo ? "on" : "refused (normal priority)",
        uiCalls.load(), ru1.ru_nivcsw - ru0.ru_nivcsw);
    std::printf("  pass 1 per block wall µs: median %.2f  p99 %.2f  p99.9 %.2f  max %.1f   (%% of real time: "
                "median %.3f "
                "p99 %.3f)\n",
                percentile(wall, 0.5) * 1e3, percentile(wall, 0.99) * 1e3, percentile(wall, 0.999) * 1e3,
                maxOf(wall) * 1e3, 100 * percentile(wall, 0.5) / blockMs,
                100 * percentile(wall, 0.99) / blockMs);
    std::printf("  pass 2 per block CPU  µs: median %.2f  p99 %.2f  p99.9 %.2f  max %.1f   (%% of real time: "
                "median %.3f "
                "p99 %.3f)\n",
                percentile(cpu, 0.5) * 1e3, percentile(cpu, 0.99) * 1e3, percentile(cpu, 0.999) * 1e3,
                maxOf(cpu) * 1e3, 100 * percentile(cpu, 0.5) / blockMs,
                100 * percentile(cpu, 0.99) / blockMs);
    long over1ms = 0;
    double wallSum = 0;
    for (double w : wall)
    {
        over1ms += w > 1.0 ? 1 : 0;
        wallSum += w;
    }
    std::printf(
        "  pass 1 whole: sum of block wall times %.1f ms = %.3f %% of real time (pass took %.1f ms with its "
        "rests), audio-thread CPU (getrusage) %.1f ms = %.3f %% of one core; blocks over 1 ms wall: %ld\n",
        wallSum, 100 * wallSum / audioMs, w1 - w0, threadCpu, 100 * threadCpu / audioMs, over1ms);
    std::printf(
        "  (one thread-CPU clock read costs about %.2f µs here, half of it inside each pass-2 figure)\n",
        [&]
        {
            const double a = monoMs();
            for (int i = 0; i < 10000; ++i)
            {
                clockMs(CLOCK_THREAD_CPUTIME_ID);
            }
            return (monoMs() - a) * 1e3 / 10000;
        }());
}

// Parent: fresh child processes for the cold figures, then the steady state in this process.
int bench(const std::vector<std::string>& bundles, int runs, long blocks, bool uiThread)
{
    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0)
    {
        return 2;
    }
    std::printf("MixMate plug-in benchmark — %u CPUs, load average %s\n", std::thread::hardware_concurrency(),
                loadAverage().c_str());
    for (const auto& bundle : bundles)
    {
        std::printf("%s\n", bundle.c_str());
        std::vector<double> dl, rt, setup, first, total, pcpu, more, moreCpu, moreCreate, moreSetup,
            moreFirst;
        for (int r = 0; r < runs; ++r)
        {
            const std::string cmd = std::string("'") + self + "' --bench-cold '" + bundle + "' 15";
            FILE* f = popen(cmd.c_str(), "r");
            if (f == nullptr)
            {
                return 2;
            }
            char line[512];
            while (std::fgets(line, sizeof(line), f) != nullptr)
            {
                double a = 0, b = 0, c = 0, d = 0, e = 0, g = 0;
                if (std::sscanf(line, "cold %lf %lf %lf %lf %lf %lf", &a, &b, &c, &d, &e, &g) == 6)
                {
                    dl.push_back(a);
                    rt.push_back(b);
                    setup.push_back(c);
                    first.push_back(d);
                    total.push_back(e);
                    pcpu.push_back(g);
                }
                else if (std::sscanf(line, "more %lf %lf %lf %lf %lf", &a, &b, &c, &d, &e) == 5)
                {
                    more.push_back(a);
                    moreCpu.push_back(b);
                    moreCreate.push_back(c);
                    moreSetup.push_back(d);
                    moreFirst.push_back(e);
                }
                else
                {
                    std::printf("  child: %s", line);
                }
            }
            const int rc = pclose(f);
            if (rc != 0)
            {
                std::printf("  child run %d exited %d\n", r, rc);
            }
        }
        std::printf("  cold first instance, median of %zu fresh processes (min … max):\n", total.size());
        auto row = [](const char* what, const std::vector<double>& v)
        {
            std::printf("    %-44s %8.1f ms  (%.1f … %.1f)\n", what, percentile(v, 0.5),
                        v.empty() ? 0 : *std::min_element(v.begin(), v.end()), maxOf(v));
        };
        row("dlopen + ModuleEntry + factory", dl);
        row("first createInstance + initialize (runtime)", rt);
        row("setBusArrangements + setupProcessing + setActive", setup);
        row("first process (64 frames)", first);
        row("total wall", total);
        row("process CPU time, all threads", pcpu);
        std::printf("  further instances (create → first processed block), %zu samples:\n", more.size());
        std::printf("    wall median %.2f ms, max %.2f ms; this thread's CPU median %.2f ms, max %.2f ms\n",
                    percentile(more, 0.5), maxOf(more), percentile(moreCpu, 0.5), maxOf(moreCpu));
        std::printf(
            "    median split: createInstance + initialize %.2f ms, setup + setActive %.2f ms, first process "
            "%.2f ms\n",
            percentile(moreCreate, 0.5), percentile(moreSetup, 0.5), percentile(moreFirst, 0.5));
        std::fflush(stdout);

        Module m;
        if (!m.load(bundle))
        {
            return 3;
        }
        benchSteady(m, blocks, uiThread);
        std::fflush(stdout);
    }
    std::printf("load average at the end: %s\n", loadAverage().c_str());
    return 0;
}

} // namespace

// --- the editor (IPlugView on X11) ----------------------------------------------------------
// A frame that offers no run loop (some hosts give none): the editor must drive itself.
class BareFrame final : public IPlugFrame
{
public:
    tresult queryInterface(const char* iid, void** obj) override
    {
        if (tuidEquals(iid, kIidFUnknown) || tuidEquals(iid, kIidIPlugFrame))
        {
            *obj = this;
            return kResultOk;
        }
        *obj = nullptr;
        return kNoInterface;
    }
    uint32_t addRef() override { return 1; }
    uint32_t release() override { return 1; }
    tresult resizeView(IPlugView* view, ViewRect* r) override { return view->onSize(r); }
};

double nowMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Pumps the host loop until `done` or `limitMs` (generous: a loaded machine is slow).
bool pumpUntil(testhost::HostFrame& frame, const std::function<bool()>& done, double limitMs = 20000)
{
    const double end = nowMs() + limitMs;
    while (!done())
    {
        if (nowMs() > end)
        {
            return false;
        }
        frame.pump(20);
    }
    return true;
}

IPlugView* openView(Plugin& p) { return static_cast<IPlugView*>(p.controller->createView("editor")); }

// Where each editor's first control is (logical units = pixels at scale 1; the layout constants
// MasteringEditor.LearnBounds and ToneEditor.SignalBounds in src/MixMate.Plugin/Editor).
struct ClickTarget
{
    ParamID id;
    int x;
    int y;
    double after;
};

ClickTarget firstControl(bool instrument)
{
    return instrument ? ClickTarget{0, 144, 82, 1.0 / 3.0} : ClickTarget{7, 832, 29, 1.0};
}

void runEditor(Module& m, Display* dpy, const std::string& whyNoX)
{
    const std::string n = m.name + ": editor";
    if (dpy == nullptr)
    {
        for (const char* what : {"opens in an X11 parent, draws, takes a click, resizes",
                                 "opens and closes 100 times without growth",
                                 "process allocates nothing while the editor draws",
                                 "without a host run loop it drives itself"})
        {
            skipScenario(n + " " + what, whyNoX.c_str());
        }
        return;
    }
    const ClickTarget target = firstControl(m.instrument);

    scenario(n + " opens in an X11 parent (run loop from IPlugFrame), draws real content, takes clicks and a drag as begin/perform/end, resizes",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m) && p.setup(48000, 512), "create and set up");
                 IPlugView* v = openView(p);
                 CHECK(v != nullptr, "createView(\"editor\")");
                 if (v == nullptr)
                 {
                     return;
                 }
                 CHECK(p.controller->createView("editor") == nullptr, "one editor at a time");
                 CHECK(p.controller->createView("other") == nullptr, "only the editor view type");
                 CHECK(v->isPlatformTypeSupported(kPlatformTypeX11EmbedWindowID) == kResultTrue, "X11 supported");
                 CHECK(v->isPlatformTypeSupported("HWND") == kResultFalse, "HWND refused");
                 CHECK(v->canResize() == kResultTrue, "resizable");
                 ViewRect r{};
                 CHECK(v->getSize(&r) == kResultTrue && r.right - r.left >= 400 && r.bottom - r.top >= 300,
                       "size %d x %d", r.right - r.left, r.bottom - r.top);
                 const int w = r.right - r.left;
                 const int h = r.bottom - r.top;
                 const Window parent = testhost::createParent(dpy, w, h);
                 testhost::HostFrame frame(dpy, parent);
                 CHECK(v->setFrame(&frame) == kResultTrue, "setFrame");
                 CHECK(v->attached(reinterpret_cast<void*>(parent), kPlatformTypeX11EmbedWindowID) == kResultTrue,
                       "attached");
                 CHECK(frame.handlers() == 1 && frame.timers() == 1, "registered %zu fd handlers, %zu timers",
                       frame.handlers(), frame.timers());
                 // Signal through the effect so the meters show something; the host forwards meters.
                 Audio in(2, 512);
                 Audio out(2, 512);
                 fillTestSignal(in, 48000, 512);
                 ParameterChanges meters;
                 for (int b = 0; b < 200; ++b)
                 {
                     meters.clear();
                     p.process(512, in.at(0), out.at(0), nullptr, nullptr, &meters);
                     p.forwardToController(meters);
                     if (b % 20 == 0)
                     {
                         frame.pump(5);
                     }
                 }
                 const int timersBefore = frame.timerCalls;
                 pumpUntil(frame, [&] { return frame.timerCalls >= timersBefore + 5; });
                 const std::vector<uint32_t> shot = testhost::screenshot(dpy, parent, w, h);
                 CHECK(shot.size() == static_cast<size_t>(w * h), "screenshot");
                 if (shot.size() == static_cast<size_t>(w * h))
                 {
                     if (const char* dir = std::getenv("MIXMATE_EDITOR_SCREENSHOTS"))
                     {
                         testhost::writePpm(std::string(dir) + "/" + m.name + ".ppm", shot, w, h);
                     }
                     const int colours = testhost::distinctColours(shot);
                     CHECK(colours > 100, "%d distinct colours on screen", colours);
                     const int text = testhost::brightPixels(shot, w, 16, 14, 200, 44);
                     CHECK(text > 80, "%d bright (text) pixels in the title area", text);
                 }

                 const int begins = p.handler.begins;
                 const int ends = p.handler.ends;
                 const size_t editsBefore = p.handler.edits.size();
                 CHECK(testhost::click(dpy, parent, target.x, target.y), "XTest click");
                 CHECK(pumpUntil(frame, [&] { return p.handler.ends > ends; }), "no endEdit within 20 s of the click");
                 CHECK(p.handler.begins == begins + 1 && p.handler.ends == ends + 1, "one gesture (%d begins, %d ends)",
                       p.handler.begins - begins, p.handler.ends - ends);
                 CHECK(p.handler.outsideBeginEnd == 0, "every performEdit inside begin/end");
                 bool performed = false;
                 for (size_t i = editsBefore; i < p.handler.edits.size(); ++i)
                 {
                     performed |= p.handler.edits[i].id == target.id && std::fabs(p.handler.edits[i].value - target.after) < 1e-9;
                 }
                 CHECK(performed, "performEdit(%u, %.3f) reached the host", target.id, target.after);
                 CHECK(std::fabs(p.controller->getParamNormalized(target.id) - target.after) < 1e-9,
                       "controller holds the clicked value");

                 if (!m.instrument)
                 {
                     // A suggestion's move toggled (EQ 1 on: parameter 100) and a slider dragged
                     // (Amount, 8: from 90 % to 25 % of its track, logical 612…872 at y 345).
                     const int b2 = p.handler.begins;
                     const int e2 = p.handler.ends;
                     testhost::click(dpy, parent, 632, 298);
                     CHECK(pumpUntil(frame, [&] { return p.handler.ends > e2; }), "no endEdit after the EQ 1 click");
                     CHECK(std::fabs(p.controller->getParamNormalized(100) - 1.0) < 1e-9, "EQ 1 switched on");
                     const size_t before = p.handler.edits.size();
                     testhost::drag(dpy, parent, 612 + 234, 345, 612 + 65, 345, 8);
                     CHECK(pumpUntil(frame, [&] { return p.handler.ends > e2 + 1; }), "no endEdit after the Amount drag");
                     CHECK(p.handler.begins == b2 + 2 && p.handler.ends == e2 + 2, "two gestures (%d begins, %d ends)",
                           p.handler.begins - b2, p.handler.ends - e2);
                     size_t performs = 0;
                     for (size_t i = before; i < p.handler.edits.size(); ++i)
                     {
                         performs += p.handler.edits[i].id == 8 ? 1 : 0;
                     }
                     CHECK(performs >= 1 && p.handler.outsideBeginEnd == 0, "%zu performEdit(Amount) inside begin/end", performs);
                     const double amount = p.controller->getParamNormalized(8);
                     CHECK(std::fabs(amount - 0.25) < 0.02, "Amount dragged to %.3f (want 0.25)", amount);
                 }

                 IPlugViewContentScaleSupport* scale = nullptr;
                 CHECK(v->queryInterface(reinterpret_cast<const char*>(kIidIPlugViewContentScaleSupport.bytes),
                                         reinterpret_cast<void**>(&scale)) == kResultOk && scale != nullptr,
                       "IPlugViewContentScaleSupport");
                 if (scale != nullptr)
                 {
                     CHECK(scale->setContentScaleFactor(1.5f) == kResultTrue, "setContentScaleFactor");
                     ViewRect s{};
                     v->getSize(&s);
                     CHECK(frame.resizes == 1 && s.right - s.left == (w * 3 + 1) / 2, "resized through IPlugFrame to %d x %d (%d calls)",
                           s.right - s.left, s.bottom - s.top, frame.resizes);
                     scale->release();
                 }
                 ViewRect ask{0, 0, 2000, 300};
                 CHECK(v->checkSizeConstraint(&ask) == kResultTrue, "checkSizeConstraint");
                 CHECK(std::abs((ask.right * h) - (ask.bottom * w)) <= w + h, "aspect ratio kept: %d x %d", ask.right, ask.bottom);
                 ViewRect grow{0, 0, w * 2, h * 2};
                 CHECK(v->onSize(&grow) == kResultTrue, "onSize");
                 pumpUntil(frame, [&] { return frame.timerCalls >= timersBefore + 3; });
                 char16 none = 0;
                 CHECK(v->onKeyDown(none, 0, 0) == kResultFalse, "an unused key stays the host's");
                 CHECK(v->removed() == kResultTrue, "removed");
                 CHECK(frame.handlers() == 0 && frame.timers() == 0, "unregistered from the run loop");
                 v->setFrame(nullptr);
                 v->release();
                 XDestroyWindow(dpy, parent);
                 XSync(dpy, False);
             });

    scenario(n + " opens and closes 100 times without growth (resident memory, managed heap)",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 const Window parent = testhost::createParent(dpy, 900, 560);
                 testhost::HostFrame frame(dpy, parent);
                 auto cycle = [&]
                 {
                     IPlugView* v = openView(p);
                     if (v == nullptr)
                     {
                         return false;
                     }
                     v->setFrame(&frame);
                     const bool ok = v->attached(reinterpret_cast<void*>(parent), kPlatformTypeX11EmbedWindowID) == kResultTrue;
                     frame.pump(40);
                     v->removed();
                     v->setFrame(nullptr);
                     v->release();
                     return ok;
                 };
                 bool ok = true;
                 for (int i = 0; i < 10; ++i)
                 {
                     ok &= cycle();
                 }
                 int64_t heapBefore = 0;
                 int64_t heapAfter = 0;
                 const mm_test_api* api = m.testApi();
                 if (api != nullptr)
                 {
                     api->collect_garbage(&heapBefore);
                 }
                 const long rssBefore = rssKiB();
                 for (int i = 0; i < 100; ++i)
                 {
                     ok &= cycle();
                 }
                 if (api != nullptr)
                 {
                     api->collect_garbage(&heapAfter);
                 }
                 const long rssAfter = rssKiB();
                 CHECK(ok, "every open attached");
                 // One leaked editor would keep its 2 MB pixel buffer: 100 of them, 200 MB.
                 CHECK(rssAfter - rssBefore < 16 * 1024, "resident memory grew %ld KiB over 100 opens", rssAfter - rssBefore);
                 CHECK(api == nullptr || heapAfter - heapBefore < 512 * 1024, "managed heap grew %lld bytes",
                       static_cast<long long>(heapAfter - heapBefore));
                 XDestroyWindow(dpy, parent);
                 XSync(dpy, False);
             });

    if (m.testApi() == nullptr)
    {
        skipScenario(n + ": process allocates nothing while the editor draws", "the core has no " MM_TEST_API_SYMBOL);
    }
    else
    {
        scenario(n + ": process allocates nothing while the editor is open and drawing",
                 [&]
                 {
                     Plugin p;
                     CHECK(p.create(m) && p.setup(48000, 256), "create and set up");
                     IPlugView* v = openView(p);
                     CHECK(v != nullptr, "createView");
                     if (v == nullptr)
                     {
                         return;
                     }
                     const Window parent = testhost::createParent(dpy, 900, 560);
                     testhost::HostFrame frame(dpy, parent);
                     v->setFrame(&frame);
                     CHECK(v->attached(reinterpret_cast<void*>(parent), kPlatformTypeX11EmbedWindowID) == kResultTrue, "attached");
                     std::atomic<bool> done{false};
                     int64_t before = -1;
                     int64_t after = -2;
                     bool ok = true;
                     std::thread audio(
                         [&]
                         {
                             Audio in(2, 256);
                             Audio out(2, 256);
                             fillTestSignal(in, 48000, 256);
                             ParameterChanges meters;
                             EventList notes;
                             notes.noteOn(0, 69, 0.8f);
                             EventList none;
                             for (int b = 0; b < 4000 && ok; ++b)
                             {
                                 if (b == 1000)
                                 {
                                     m.testApi()->thread_allocated_bytes(&before);
                                 }
                                 meters.clear();
                                 ok = p.process(256, in.at(0), out.at(0), nullptr,
                                                m.instrument ? (b % 400 == 0 ? &notes : &none) : nullptr, &meters) == kResultOk;
                                 if (b % 8 == 0)
                                 {
                                     std::this_thread::sleep_for(std::chrono::microseconds(500));
                                 }
                             }
                             m.testApi()->thread_allocated_bytes(&after);
                             done = true;
                         });
                     const int timersBefore = frame.timerCalls;
                     pumpUntil(frame, [&] { return done.load(); }, 120000);
                     audio.join();
                     CHECK(ok, "all blocks ok");
                     CHECK(frame.timerCalls > timersBefore, "the editor was pumped while audio ran");
                     CHECK(before >= 0 && after == before, "managed bytes allocated on the audio thread over 3,000 blocks: %lld",
                           static_cast<long long>(after - before));
                     v->removed();
                     v->setFrame(nullptr);
                     v->release();
                     XDestroyWindow(dpy, parent);
                     XSync(dpy, False);
                 });
    }

    scenario(n + " without a host run loop (nor MIT-SHM) drives itself (own thread) and still sends edits on the main thread",
             [&]
             {
                 Plugin p;
                 CHECK(p.create(m), "create");
                 IPlugView* v = openView(p);
                 CHECK(v != nullptr, "createView");
                 if (v == nullptr)
                 {
                     return;
                 }
                 ViewRect r{};
                 v->getSize(&r);
                 const Window parent = testhost::createParent(dpy, r.right, r.bottom);
                 BareFrame frame;
                 v->setFrame(&frame);
                 // And the plain XPutImage path (no MIT-SHM), which a remote display gets.
                 setenv("MIXMATE_NO_SHM", "1", 1);
                 CHECK(v->attached(reinterpret_cast<void*>(parent), kPlatformTypeX11EmbedWindowID) == kResultTrue, "attached");
                 unsetenv("MIXMATE_NO_SHM");
                 std::this_thread::sleep_for(std::chrono::milliseconds(300));
                 const int ends = p.handler.ends;
                 testhost::click(dpy, parent, target.x, target.y);
                 // A host's main thread calls the controller often (parameter reads for its UI).
                 const double end = nowMs() + 20000;
                 while (p.handler.ends == ends && nowMs() < end)
                 {
                     p.controller->getParamNormalized(target.id);
                     std::this_thread::sleep_for(std::chrono::milliseconds(20));
                 }
                 CHECK(p.handler.ends == ends + 1 && p.handler.outsideBeginEnd == 0, "one gesture reached the host (%d ends)",
                       p.handler.ends - ends);
                 CHECK(std::fabs(p.controller->getParamNormalized(target.id) - target.after) < 1e-9, "value set");
                 const std::vector<uint32_t> shot = testhost::screenshot(dpy, parent, r.right, r.bottom);
                 CHECK(testhost::distinctColours(shot) > 100, "drawn by its own thread");
                 CHECK(v->removed() == kResultTrue, "removed");
                 v->setFrame(nullptr);
                 v->release();
                 XDestroyWindow(dpy, parent);
                 XSync(dpy, False);
             });
}

// --- editor benchmark (--bench-editor): open time, UI-thread CPU at ~30 fps, audio blocks -------
struct EditorRun
{
    double uiPercent = 0;   // UI thread CPU time / wall time, % of one core
    int timerCalls = 0;     // run-loop timer callbacks (≈ frames offered)
    double blockMeanUs = 0; // audio thread CPU per 256-frame block
    double blockP99Us = 0;
    size_t blocks = 0;
};

EditorRun editorRun(Module& m, Plugin& p, Display* dpy, bool withEditor, bool withAudio, double seconds)
{
    EditorRun run;
    const Window parent = testhost::createParent(dpy, 900, 560);
    testhost::HostFrame frame(dpy, parent);
    IPlugView* v = nullptr;
    if (withEditor)
    {
        v = openView(p);
        if (v != nullptr)
        {
            v->setFrame(&frame);
            v->attached(reinterpret_cast<void*>(parent), kPlatformTypeX11EmbedWindowID);
        }
    }
    std::atomic<bool> stop{false};
    std::vector<double> cpu;
    cpu.reserve(1 << 16);
    std::thread audio;
    if (withAudio)
    {
        audio = std::thread(
            [&]
            {
                Audio in(2, 256);
                Audio out(2, 256);
                fillTestSignal(in, 48000, 256);
                ParameterChanges meters;
                EventList notes;
                notes.noteOn(0, 69, 0.8f);
                EventList none;
                const double period = 256.0 / 48.0; // ms of audio per block
                double next = monoMs();
                for (size_t b = 0; !stop; ++b)
                {
                    meters.clear();
                    const double c0 = clockMs(CLOCK_THREAD_CPUTIME_ID);
                    p.process(256, in.at(0), out.at(0), nullptr, m.instrument ? (b % 200 == 0 ? &notes : &none) : nullptr,
                              &meters);
                    const double c1 = clockMs(CLOCK_THREAD_CPUTIME_ID);
                    if (cpu.size() < cpu.capacity())
                    {
                        cpu.push_back((c1 - c0) * 1000.0);
                    }
                    next += period; // real time: one block per 5.33 ms
                    const double wait = next - monoMs();
                    if (wait > 0)
                    {
                        std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(wait * 1000)));
                    }
                }
            });
    }
    frame.pump(500); // settle
    const int timers0 = frame.timerCalls;
    const double u0 = clockMs(CLOCK_THREAD_CPUTIME_ID);
    const double w0 = monoMs();
    frame.pump(static_cast<int>(seconds * 1000));
    const double u1 = clockMs(CLOCK_THREAD_CPUTIME_ID);
    const double w1 = monoMs();
    run.uiPercent = 100.0 * (u1 - u0) / (w1 - w0);
    run.timerCalls = frame.timerCalls - timers0;
    stop = true;
    if (audio.joinable())
    {
        audio.join();
    }
    if (!cpu.empty())
    {
        double sum = 0;
        for (double c : cpu)
        {
            sum += c;
        }
        run.blockMeanUs = sum / static_cast<double>(cpu.size());
        run.blockP99Us = percentile(cpu, 0.99);
        run.blocks = cpu.size();
    }
    if (v != nullptr)
    {
        v->removed();
        v->setFrame(nullptr);
        v->release();
    }
    XDestroyWindow(dpy, parent);
    XSync(dpy, False);
    return run;
}

int benchEditor(const std::vector<std::string>& bundles, double seconds)
{
    testhost::XServer xserver;
    std::string why;
    Display* dpy = xserver.start(why) ? XOpenDisplay(nullptr) : nullptr;
    if (dpy == nullptr)
    {
        std::printf("editor benchmark skipped: %s\n", why.empty() ? "no X connection" : why.c_str());
        return 77;
    }
    std::printf("MixMate editor benchmark — %u CPUs, load average %s, Xvfb %s, %.0f s per run\n",
                std::thread::hardware_concurrency(), loadAverage().c_str(), xserver.display().c_str(), seconds);
    for (const std::string& bundle : bundles)
    {
        Module m;
        Plugin p;
        if (!m.load(bundle) || !p.create(m) || !p.setup(48000, 256))
        {
            std::printf("%s: cannot load\n", bundle.c_str());
            return 1;
        }
        const Window parent = testhost::createParent(dpy, 900, 560);
        testhost::HostFrame frame(dpy, parent);
        std::vector<double> opens;
        for (int i = 0; i < 21; ++i)
        {
            const double t0 = monoMs();
            IPlugView* v = openView(p);
            if (v == nullptr)
            {
                break;
            }
            v->setFrame(&frame);
            v->attached(reinterpret_cast<void*>(parent), kPlatformTypeX11EmbedWindowID); // draws the first frame
            XSync(dpy, False);
            opens.push_back(monoMs() - t0);
            v->removed();
            v->setFrame(nullptr);
            v->release();
        }
        XDestroyWindow(dpy, parent);
        if (opens.size() < 2)
        {
            std::printf("%s: the editor does not open\n", m.name.c_str());
            return 1;
        }
        const std::vector<double> warm(opens.begin() + 1, opens.end());
        std::printf("%s\n  open (createView + attached + first frame): first %.1f ms, then median %.1f ms, max %.1f ms (20 opens)\n",
                    m.name.c_str(), opens[0], percentile(warm, 0.5), maxOf(warm));
        const EditorRun ref = editorRun(m, p, dpy, false, true, seconds);
        const EditorRun live = editorRun(m, p, dpy, true, true, seconds);
        const EditorRun idle = editorRun(m, p, dpy, true, false, seconds);
        std::printf("  %-34s %14s %10s %18s %16s\n", "run", "UI thread", "timer", "audio block CPU", "block vs ref");
        auto row = [&](const char* name, const EditorRun& r)
        {
            std::printf("  %-34s %12.2f %% %10d %9.1f / %5.1f µs %15.2fx\n", name, r.uiPercent, r.timerCalls, r.blockMeanUs,
                        r.blockP99Us, ref.blockMeanUs > 0 && r.blocks > 0 ? r.blockMeanUs / ref.blockMeanUs : 0.0);
        };
        row("reference: audio, no editor", ref);
        row("editor open, audio (meters move)", live);
        row("editor open, no audio (idle)", idle);
    }
    std::printf("load average at the end: %s\n", loadAverage().c_str());
    XCloseDisplay(dpy);
    return 0;
}

int main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "--pre-runtime")
    {
        const int rc = preRuntime(argv[2]);
        std::printf("pre-runtime: %s\n", rc == 0 ? "ok" : rc == 77 ? "skipped" : "FAILED");
        return rc;
    }
    if (argc == 3 && std::string(argv[1]) == "--broken-install")
    {
        return brokenInstall(argv[2]);
    }
    if (argc >= 3 && std::string(argv[1]) == "--bench-editor")
    {
        double seconds = 10;
        std::vector<std::string> bundles;
        for (int i = 2; i < argc; ++i)
        {
            if (std::string(argv[i]) == "--seconds" && i + 1 < argc)
            {
                seconds = std::max(1.0, std::atof(argv[++i]));
            }
            else
            {
                bundles.push_back(argv[i]);
            }
        }
        return benchEditor(bundles, seconds);
    }
    if (argc == 2 && std::string(argv[1]) == "--x-intern")
    {
        // Interns the XEmbed atoms on $DISPLAY (a host that looks them up with only_if_exists,
        // as Steinberg's editorhost does, finds none on a bare Xvfb); exit 0 once connected.
        Display* d = XOpenDisplay(nullptr);
        if (d == nullptr)
        {
            return 1;
        }
        XInternAtom(d, "_XEMBED_INFO", False);
        XInternAtom(d, "_XEMBED", False);
        XSync(d, False);
        XCloseDisplay(d);
        return 0;
    }
    if (argc == 5 && std::string(argv[1]) == "--x-screenshot")
    {
        // --x-screenshot OUT.ppm WIDTH HEIGHT: the top-left of $DISPLAY's screen; prints its
        // number of distinct colours.
        Display* d = XOpenDisplay(nullptr);
        if (d == nullptr)
        {
            std::printf("0\n");
            return 1;
        }
        const int w = std::atoi(argv[3]);
        const int h = std::atoi(argv[4]);
        const std::vector<uint32_t> shot = testhost::screenshot(d, DefaultRootWindow(d), w, h);
        XCloseDisplay(d);
        testhost::writePpm(argv[2], shot, w, h);
        std::printf("%d\n", testhost::distinctColours(shot));
        return shot.empty() ? 1 : 0;
    }
    if (argc == 4 && std::string(argv[1]) == "--bench-cold")
    {
        return benchCold(argv[2], std::atoi(argv[3]));
    }
    if (argc >= 2 && std::string(argv[1]) == "--bench")
    {
        int runs = 7;
        long blocks = 100000;
        bool uiThread = true;
        std::vector<std::string> bundles;
        for (int i = 2; i < argc; ++i)
        {
            const std::string a = argv[i];
            if (a == "--runs" && i + 1 < argc)
            {
                runs = std::max(1, std::atoi(argv[++i]));
            }
            else if (a == "--blocks" && i + 1 < argc)
            {
                blocks = std::max(1L, std::atol(argv[++i]));
            }
            else if (a == "--no-ui")
            {
                uiThread = false;
            }
            else
            {
                bundles.push_back(a);
            }
        }
        return bench(bundles, runs, blocks, uiThread);
    }
    if (argc < 2)
    {
        std::printf("usage: %s BUNDLE.vst3 [BUNDLE.vst3 ...]\n0 passed, 1 failed, 0 skipped\n", argv[0]);
        return 2;
    }
    std::vector<std::unique_ptr<Module>> modules;
    for (int i = 1; i < argc; ++i)
    {
        auto m = std::make_unique<Module>();
        scenario(std::string("load ") + argv[i], [&] { CHECK(m->load(argv[i]), "module loads"); });
        if (m->factory != nullptr)
        {
            modules.push_back(std::move(m));
        }
    }
    // Both bundles live in this one process: the second one finds the runtime already started.
    for (auto& m : modules)
    {
        runBundle(*m);
    }
    {
        // The editors, in a private headless X server.
        testhost::XServer xserver;
        std::string why;
        Display* dpy = xserver.start(why) ? XOpenDisplay(nullptr) : nullptr;
        if (dpy == nullptr && why.empty())
        {
            why = "cannot connect to the Xvfb just started";
        }
        std::printf("editors (X11%s%s)\n", dpy != nullptr ? " on Xvfb " : ": ", dpy != nullptr ? xserver.display().c_str() : why.c_str());
        for (auto& m : modules)
        {
            runEditor(*m, dpy, why);
        }
        if (dpy != nullptr)
        {
            XCloseDisplay(dpy);
        }
    }
    std::printf("another .NET in the process; a broken install (child processes)\n");
    char self[4096] = {};
    const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    for (auto& mod : modules)
    {
        const std::string what = mod->name + ": works beside a CoreCLR runtime another component started";
        if (n <= 0)
        {
            skipScenario(what, "cannot read /proc/self/exe to start the child process");
            continue;
        }
        const std::string log = "/tmp/mixmate-pre-" + std::to_string(getpid()) + ".log";
        const int rc = std::system(
            (std::string("'") + self + "' --pre-runtime '" + mod->bundle + "' > '" + log + "' 2>&1").c_str());
        std::ifstream text(log);
        const std::string out((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
        std::remove(log.c_str());
        if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
        {
            skipScenario(what, "no .NET installed to start a CoreCLR runtime");
            continue;
        }
        scenario(what, [&] { CHECK(rc == 0, "child exited %d: %s", rc, out.c_str()); });
    }
    for (auto& mod : modules)
    {
        scenario(mod->name + ": without its core library: scans, refuses instances, says why once (stderr, ~/.cache/mixmate)",
                 [&]
                 {
                     const std::string tmp = "/tmp/mixmate-broken-" + std::to_string(getpid());
                     const std::string copy = tmp + "/" + mod->name + ".vst3";
                     const std::string cache = tmp + "/cache";
                     const std::string setupCmd = "rm -rf '" + tmp + "' && mkdir -p '" + tmp + "' && cp -r '" +
                                                  mod->bundle + "' '" + copy + "' && rm -f '" + copy +
                                                  "/Contents/Resources/MixMate.Core.so'";
                     CHECK(n > 0 && std::system(setupCmd.c_str()) == 0, "copy the bundle without its core");
                     const std::string err = tmp + "/stderr";
                     const int rc = std::system((std::string("XDG_CACHE_HOME='") + cache + "' '" + self +
                                                 "' --broken-install '" + copy + "' > /dev/null 2> '" + err + "'")
                                                    .c_str());
                     std::ifstream e(err);
                     const std::string stderrText((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
                     std::ifstream f(cache + "/mixmate/plugin-errors.log");
                     const std::string logText((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
                     size_t lines = 0;
                     for (size_t at = stderrText.find("[MixMate]"); at != std::string::npos;
                          at = stderrText.find("[MixMate]", at + 1))
                     {
                         ++lines;
                     }
                     std::system(("rm -rf '" + tmp + "'").c_str());
                     CHECK(rc == 0, "child exited %d", rc);
                     CHECK(lines == 1 && stderrText.find("MixMate.Core.so") != std::string::npos,
                           "one stderr line naming MixMate.Core.so (got %zu): %s", lines, stderrText.c_str());
                     CHECK(logText.find("MixMate.Core.so") != std::string::npos &&
                               std::count(logText.begin(), logText.end(), '\n') == 1,
                           "one line in ~/.cache/mixmate/plugin-errors.log: %s", logText.c_str());
                 });
    }
    std::printf("%d passed, %d failed, %d skipped\n", gPassed, gFailed, gSkipped);
    return gFailed == 0 ? 0 : 1;
}
