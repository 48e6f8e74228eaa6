// What the factory reports for each bundle, answered from native data so that a DAW's scan
// never starts .NET. One .so per bundle; MIXMATE_KIND (set by CMake) selects the class.
#pragma once

#include "../vst3abi/vst3abi.h"
#include "mixmate_abi.h"

namespace mixmate
{

struct PluginClass
{
    int32_t kind;              // MM_KIND_*
    const char* name;          // class and bundle name
    vst3::Tuid cid;            // never change: sessions store it
    const char* subCategories; // VST3 sub-categories
    bool isInstrument;         // event input, no audio input
};

inline constexpr const char* kVendor = "MixMate";
inline constexpr const char* kVendorUrl = "";  // no public site yet; hosts show nothing rather than a made-up address
inline constexpr const char* kVendorEmail = "";
inline constexpr const char* kVersion = MIXMATE_VERSION;
inline constexpr const char* kSdkVersion = "VST 3.7.14"; // the interface revision our declarations follow

inline constexpr PluginClass kMasteringClass{MM_KIND_MASTERING, "MixMate",
                                             vst3::makeTuid(0x6CAA8C73, 0x466540A8, 0x986122D3, 0xFEDEE03E),
                                             "Fx|Mastering", false};
inline constexpr PluginClass kToneClass{MM_KIND_TONE, "MixMate Tone",
                                        vst3::makeTuid(0x89920459, 0xAD7041E9, 0x8417A457, 0x6A39ED76),
                                        "Instrument|Synth", true};

#if MIXMATE_KIND == 0
inline constexpr const PluginClass& kThisClass = kMasteringClass;
#elif MIXMATE_KIND == 1
inline constexpr const PluginClass& kThisClass = kToneClass;
#else
#error "MIXMATE_KIND must be 0 (MixMate) or 1 (MixMate Tone)"
#endif

} // namespace mixmate
