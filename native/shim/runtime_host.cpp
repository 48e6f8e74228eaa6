#include "runtime_host.h"

#include <coreclr_delegates.h>
#include <hostfxr.h>
#include <nethost.h>

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

namespace mixmate
{
namespace
{

std::mutex gMutex;
bool gTried = false;
mm_status gStatus = MM_ERR_RUNTIME;
mm_api gApi{};
std::string gError;

void appendError(const std::string& text)
{
    gError += text;
    if (!gError.empty() && gError.back() != '\n')
    {
        gError += '\n';
    }
    if (std::getenv("MIXMATE_DEBUG") != nullptr)
    {
        std::fprintf(stderr, "[MixMate] %s\n", text.c_str());
    }
}

// hostfxr reports through this instead of the DAW's stderr. Called with gMutex held (only
// during initialisation, which runs under the lock).
void HOSTFXR_CALLTYPE hostfxrErrorWriter(const char_t* message)
{
    appendError(std::string("hostfxr: ") + message);
}

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

mm_status start()
{
    const std::string resources = resourcesDirectory();
    const std::string assembly = resources + "/MixMate.Plugin.dll";
    const std::string config = resources + "/MixMate.Plugin.runtimeconfig.json";

    // Keep this module mapped for the life of the process: the runtime cannot be unloaded, and a
    // reloaded copy would see fresh statics while the runtime keeps the old state.
    const std::string self = selfPath();
    if (!self.empty())
    {
        dlopen(self.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    }

    char_t hostfxrPath[4096];
    size_t size = sizeof(hostfxrPath) / sizeof(char_t);
    get_hostfxr_parameters params{sizeof(get_hostfxr_parameters), assembly.c_str(), nullptr};
    int rc = get_hostfxr_path(hostfxrPath, &size, &params);
    if (rc != 0)
    {
        appendError("get_hostfxr_path failed (is .NET installed? set DOTNET_ROOT), rc=" + std::to_string(rc));
        return MM_ERR_RUNTIME;
    }

    void* lib = dlopen(hostfxrPath, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr)
    {
        appendError(std::string("cannot load hostfxr: ") + dlerror());
        return MM_ERR_RUNTIME;
    }
    auto setErrorWriter =
        reinterpret_cast<hostfxr_set_error_writer_fn>(dlsym(lib, "hostfxr_set_error_writer"));
    auto initialize = reinterpret_cast<hostfxr_initialize_for_runtime_config_fn>(
        dlsym(lib, "hostfxr_initialize_for_runtime_config"));
    auto getDelegate =
        reinterpret_cast<hostfxr_get_runtime_delegate_fn>(dlsym(lib, "hostfxr_get_runtime_delegate"));
    auto close = reinterpret_cast<hostfxr_close_fn>(dlsym(lib, "hostfxr_close"));
    if (setErrorWriter == nullptr || initialize == nullptr || getDelegate == nullptr || close == nullptr)
    {
        appendError("hostfxr lacks the hosting API (needs .NET 6 or later)");
        return MM_ERR_RUNTIME;
    }

    hostfxr_error_writer_fn previousWriter = setErrorWriter(&hostfxrErrorWriter);
    hostfxr_handle context = nullptr;
    rc = initialize(config.c_str(), nullptr, &context);
    // 0: we started the runtime. 1: the same runtime already runs (same config). 2: it runs with
    // other properties; ours are ignored, which is fine for a component. Anything else (negative
    // HRESULT) is a failure, e.g. 0x800080a5 when a runtime the config cannot use is running.
    if (rc < 0 || rc > 2 || context == nullptr)
    {
        char hex[16];
        std::snprintf(hex, sizeof(hex), "0x%08x", static_cast<unsigned>(rc));
        appendError(std::string("hostfxr_initialize_for_runtime_config failed: ") + hex);
        if (context != nullptr)
        {
            close(context);
        }
        setErrorWriter(previousWriter);
        return rc == static_cast<int>(0x800080a5) || rc == static_cast<int>(0x800080a4)
                   ? MM_ERR_RUNTIME_CONFLICT
                   : MM_ERR_RUNTIME;
    }
    if (rc != 0)
    {
        appendError("a .NET runtime was already running in this process (rc=" + std::to_string(rc) +
                    "); using it");
    }

    load_assembly_and_get_function_pointer_fn loadAssembly = nullptr;
    rc = getDelegate(context, hdt_load_assembly_and_get_function_pointer,
                     reinterpret_cast<void**>(&loadAssembly));
    close(context);
    if (rc != 0 || loadAssembly == nullptr)
    {
        appendError("hostfxr_get_runtime_delegate failed: " + std::to_string(rc));
        setErrorWriter(previousWriter);
        return MM_ERR_RUNTIME;
    }

    mm_get_api_fn getApi = nullptr;
    rc = loadAssembly(assembly.c_str(), "MixMate.Plugin.Abi.Exports, MixMate.Plugin", "GetApi",
                      UNMANAGEDCALLERSONLY_METHOD, nullptr, reinterpret_cast<void**>(&getApi));
    setErrorWriter(previousWriter);
    if (rc != 0 || getApi == nullptr)
    {
        char hex[16];
        std::snprintf(hex, sizeof(hex), "0x%08x", static_cast<unsigned>(rc));
        appendError(std::string("loading ") + assembly + " failed: " + hex);
        return MM_ERR_RUNTIME;
    }

    mm_api api{};
    api.struct_size = static_cast<int32_t>(sizeof(mm_api));
    const mm_status status = getApi(&api);
    if (status != MM_OK || api.abi_version != MM_ABI_VERSION)
    {
        appendError("managed GetApi failed or ABI version mismatch");
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
