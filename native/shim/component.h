// One VST3 object per plug-in instance: component, audio processor and edit controller in one
// (the "single component" form: hosts find the controller with queryInterface), forwarding to
// the managed instance through the flat ABI.
#pragma once

#include "../vst3abi/vst3abi.h"
#include "mixmate_abi.h"
#include "plugin_classes.h"

namespace mixmate
{

// [main thread] Creates an instance with reference count 1, or returns nullptr with *status set
// (runtime or managed creation failure).
vst3::IComponent* createComponent(const PluginClass& cls, const mm_api* api, mm_status* status);

} // namespace mixmate
