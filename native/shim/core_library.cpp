#include "core_library.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <dlfcn.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace mixmate
{
namespace
{

constexpr const char* kCoreFile = "MixMate.Core.so";
constexpr const char* kGetApiSymbol = "mixmate_get_api";

std::mutex gMutex;
bool gTried = false;
mm_status gStatus = MM_ERR_RUNTIME;
mm_api gApi{};
std::string gError;

std::string selfPath()
{
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&managedApi), &info) == 0 || info.dli_fname == nullptr)
    {
        return {};
    }
    return info.dli_fname;
}

std::string parentOf(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// $XDG_CACHE_HOME/mixmate or ~/.cache/mixmate, created if needed; empty when neither is known.
std::string cacheDirectory()
{
    std::string base;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/')
    {
        base = xdg;
    }
    else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/')
    {
        base = std::string(home) + "/.cache";
    }
    else
    {
        return {};
    }
    mkdir(base.c_str(), 0755);
    const std::string dir = base + "/mixmate";
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    {
        return {};
    }
    return dir;
}

std::string processName()
{
    char buffer[4096] = {};
    const ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string("unknown process");
}

// Called once, under gMutex, when the core cannot be loaded: the user learns why the plug-in is
// missing from the DAW instead of finding nothing. Not on the audio thread (createInstance runs
// on the host's main thread).
void reportOnce(const std::string& text)
{
    gError = text;
    std::fprintf(stderr, "[MixMate] %s\n", text.c_str());
    std::fflush(stderr);
    const std::string dir = cacheDirectory();
    if (dir.empty())
    {
        return;
    }
    if (FILE* log = std::fopen((dir + "/plugin-errors.log").c_str(), "a"))
    {
        char stamp[32] = {};
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &utc);
        std::fprintf(log, "%s %s (in %s)\n", stamp, text.c_str(), processName().c_str());
        std::fclose(log);
    }
}

mm_status start()
{
    // Keep this module mapped for the life of the process: the core cannot be unloaded (its
    // runtime's threads and handlers stay), so neither may the code whose table points into it.
    const std::string self = selfPath();
    if (!self.empty())
    {
        dlopen(self.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    }

    // The core is compiled for x86-64-v3 (AVX2, FMA, BMI2…; Intel Haswell 2013, AMD Excavator
    // 2015 and later): on an older CPU its runtime would refuse to start inside the host's process.
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("x86-64-v3"))
    {
        reportOnce("MixMate needs a CPU with AVX2 and FMA (x86-64-v3: Intel since 2013, AMD since "
                   "2015); this one lacks them, so the plug-in is unavailable.");
        return MM_ERR_RUNTIME;
    }

    const std::string core = resourcesDirectory() + "/" + kCoreFile;
    // RTLD_LOCAL: the core's symbols never interpose on the host's or on another bundle's copy.
    void* lib = dlopen(core.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (lib == nullptr)
    {
        const char* why = dlerror();
        reportOnce("MixMate cannot load its core library, so the plug-in is unavailable: " +
                   std::string(why != nullptr ? why : core.c_str()) +
                   ". Reinstall the bundle (installer/install.sh) so that " + kCoreFile +
                   " and the libraries beside it are in " + resourcesDirectory() + ".");
        return MM_ERR_RUNTIME;
    }
    auto getApi = reinterpret_cast<mm_get_api_fn>(dlsym(lib, kGetApiSymbol));
    if (getApi == nullptr)
    {
        reportOnce("MixMate's core library " + core + " has no " + kGetApiSymbol +
                   " (a broken or mismatched install); reinstall the bundle.");
        return MM_ERR_RUNTIME;
    }

    mm_api api{};
    api.struct_size = static_cast<int32_t>(sizeof(mm_api));
    const mm_status status = getApi(&api);
    if (status != MM_OK || api.abi_version != MM_ABI_VERSION)
    {
        reportOnce("MixMate's core library " + core + " does not match this shim (ABI version " +
                   std::to_string(api.abi_version) + ", expected " + std::to_string(MM_ABI_VERSION) +
                   "); reinstall the bundle.");
        return MM_ERR_RUNTIME;
    }
    gApi = api;
    return MM_OK;
}

} // namespace

std::string resourcesDirectory()
{
    // <bundle>/Contents/x86_64-linux/<name>.so → <bundle>/Contents/Resources
    return parentOf(parentOf(selfPath())) + "/Resources";
}

const mm_api* managedApi(mm_status* status)
{
    std::lock_guard<std::mutex> lock(gMutex);
    if (!gTried)
    {
        gTried = true;
        gStatus = start();
    }
    if (status != nullptr)
    {
        *status = gStatus;
    }
    return gStatus == MM_OK ? &gApi : nullptr;
}

std::string lastHostingError()
{
    std::lock_guard<std::mutex> lock(gMutex);
    return gError;
}

} // namespace mixmate
