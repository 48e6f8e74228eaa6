// The editor window: VST3's IPlugView for X11 (kPlatformTypeX11EmbedWindowID). The shim owns the
// window (a child of the host's parent, XEmbed info set), a BGRA pixel buffer and the run-loop
// registrations; the managed core draws into the buffer and turns input into parameter gestures
// (mm_api.view_*), which the owner forwards to the host as beginEdit/performEdit/endEdit.
#pragma once

#include "../vst3abi/vst3abi.h"
#include "mixmate_abi.h"

namespace mixmate
{

// What a view needs from the component that created it. [main-thread]
class ViewOwner
{
public:
    // Sends the editor's gesture steps to the host's component handler, in order.
    virtual void forwardViewEdits(const mm_view_edit* edits, int32_t count) = 0;
    // The host context given to initialize() (may offer Linux::IRunLoop), or nullptr.
    virtual vst3::FUnknown* hostContext() = 0;
    // The view is going away (called from its destructor).
    virtual void viewDestroyed(vst3::IPlugView* view) = 0;
    virtual void retainOwner() = 0;
    virtual void releaseOwner() = 0;

protected:
    ~ViewOwner() = default;
};

// [main-thread] Opens the managed editor of `handle` and wraps it in an IPlugView (reference
// count 1), or returns nullptr when the core cannot open one. The view keeps its owner alive.
vst3::IPlugView* createPlugView(const mm_api* api, void* handle, ViewOwner* owner);

// [main-thread] Forwards gestures queued while no host run loop drives the view (the fallback
// thread does not call the host): the owner calls this from its main-thread entry points.
void pumpViewEdits(vst3::IPlugView* view);

} // namespace mixmate
