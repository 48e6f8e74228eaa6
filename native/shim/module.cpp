// The module's exported entry points and its factory.
#include "component.h"
#include "plugin_classes.h"
#include "core_library.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mixmate
{
namespace
{

using namespace vst3;

std::atomic<int> gModuleRefs{0};

void copyString(char* destination, size_t capacity, const char* source)
{
    std::strncpy(destination, source, capacity - 1);
    destination[capacity - 1] = '\0';
}

void copyString16(char16* destination, size_t capacity, const char* source)
{
    size_t i = 0;
    for (; source[i] != '\0' && i + 1 < capacity; ++i)
    {
        destination[i] = static_cast<char16>(static_cast<unsigned char>(source[i]));
    }
    destination[i] = 0;
}

// A process-lifetime singleton: reference counting is accepted but never frees it.
class Factory final : public IPluginFactory3
{
public:
    tresult queryInterface(const char* iid, void** obj) override
    {
        if (obj == nullptr)
        {
            return kInvalidArgument;
        }
        if (tuidEquals(iid, kIidFUnknown) || tuidEquals(iid, kIidIPluginFactory) ||
            tuidEquals(iid, kIidIPluginFactory2) || tuidEquals(iid, kIidIPluginFactory3))
        {
            *obj = static_cast<IPluginFactory3*>(this);
            return kResultOk;
        }
        *obj = nullptr;
        return kNoInterface;
    }
    uint32_t addRef() override { return 1; }
    uint32_t release() override { return 1; }

    tresult getFactoryInfo(PFactoryInfo* info) override
    {
        if (info == nullptr)
        {
            return kInvalidArgument;
        }
        std::memset(info, 0, sizeof(*info));
        copyString(info->vendor, sizeof(info->vendor), kVendor);
        copyString(info->url, sizeof(info->url), kVendorUrl);
        copyString(info->email, sizeof(info->email), kVendorEmail);
        info->flags = kFactoryUnicode;
        return kResultOk;
    }

    int32_t countClasses() override { return 1; }

    tresult getClassInfo(int32_t index, PClassInfo* info) override
    {
        if (index != 0 || info == nullptr)
        {
            return kInvalidArgument;
        }
        std::memset(info, 0, sizeof(*info));
        std::memcpy(info->cid, kThisClass.cid.bytes, 16);
        info->cardinality = kManyInstances;
        copyString(info->category, sizeof(info->category), "Audio Module Class");
        copyString(info->name, sizeof(info->name), kThisClass.name);
        return kResultOk;
    }

    tresult getClassInfo2(int32_t index, PClassInfo2* info) override
    {
        if (index != 0 || info == nullptr)
        {
            return kInvalidArgument;
        }
        std::memset(info, 0, sizeof(*info));
        std::memcpy(info->cid, kThisClass.cid.bytes, 16);
        info->cardinality = kManyInstances;
        copyString(info->category, sizeof(info->category), "Audio Module Class");
        copyString(info->name, sizeof(info->name), kThisClass.name);
        info->classFlags = 0;
        copyString(info->subCategories, sizeof(info->subCategories), kThisClass.subCategories);
        copyString(info->vendor, sizeof(info->vendor), kVendor);
        copyString(info->version, sizeof(info->version), kVersion);
        copyString(info->sdkVersion, sizeof(info->sdkVersion), kSdkVersion);
        return kResultOk;
    }

    tresult getClassInfoUnicode(int32_t index, PClassInfoW* info) override
    {
        if (index != 0 || info == nullptr)
        {
            return kInvalidArgument;
        }
        std::memset(info, 0, sizeof(*info));
        std::memcpy(info->cid, kThisClass.cid.bytes, 16);
        info->cardinality = kManyInstances;
        copyString(info->category, sizeof(info->category), "Audio Module Class");
        copyString16(info->name, 64, kThisClass.name);
        info->classFlags = 0;
        copyString(info->subCategories, sizeof(info->subCategories), kThisClass.subCategories);
        copyString16(info->vendor, 64, kVendor);
        copyString16(info->version, 64, kVersion);
        copyString16(info->sdkVersion, 64, kSdkVersion);
        return kResultOk;
    }

    tresult setHostContext(FUnknown* /*context*/) override { return kResultOk; }

    // The core is loaded here, at the first instance, never during a scan of class info.
    tresult createInstance(FIDString cid, FIDString iid, void** obj) override
    {
        if (obj == nullptr)
        {
            return kInvalidArgument;
        }
        *obj = nullptr;
        if (!tuidEquals(cid, kThisClass.cid))
        {
            return kNoInterface;
        }
        mm_status status = MM_OK;
        const mm_api* api = managedApi(&status);
        if (api == nullptr)
        {
            return kResultFalse; // managedApi said why, once (stderr and ~/.cache/mixmate)
        }
        IComponent* component = createComponent(kThisClass, api, &status);
        if (component == nullptr)
        {
            return kResultFalse;
        }
        const tresult result = component->queryInterface(iid, obj);
        component->release();
        return result;
    }
};

Factory gFactory;

} // namespace
} // namespace mixmate

extern "C"
{
    // Hosts may call ModuleEntry/ModuleExit more than once; they are counted. Nothing is torn
    // down at the last exit: the .NET runtime cannot be unloaded, so the module stays resident.
    __attribute__((visibility("default"))) bool ModuleEntry(void* /*sharedLibraryHandle*/)
    {
        ++mixmate::gModuleRefs;
        return true;
    }

    __attribute__((visibility("default"))) bool ModuleExit()
    {
        return mixmate::gModuleRefs.fetch_sub(1) > 0;
    }

    __attribute__((visibility("default"))) vst3::IPluginFactory* GetPluginFactory()
    {
        return &mixmate::gFactory;
    }

    // Not part of VST3: why the core could not be loaded (empty when it could), for the test host
    // and for support. The test hooks are not here: the test host takes them from the core itself
    // (native/testhost/mixmate_test_abi.h).
    __attribute__((visibility("default"))) int MixMateHostingError(char* buffer, int capacity)
    {
        const std::string text = mixmate::lastHostingError();
        if (buffer != nullptr && capacity > 0)
        {
            std::strncpy(buffer, text.c_str(), static_cast<size_t>(capacity) - 1);
            buffer[capacity - 1] = '\0';
        }
        return static_cast<int>(text.size());
    }
}
