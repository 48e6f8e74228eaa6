// What a Linux DAW gives a plug-in editor, for the test host: a headless X server (Xvfb), a
// top-level parent window, an IPlugFrame that also offers Linux::IRunLoop (fds and timers pumped
// on the calling thread, as a host's UI loop does), screenshots and synthetic clicks (XTest).
#pragma once

#include "../vst3abi/vst3abi.h"

#include <X11/Xlib.h>
#include <atomic>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace testhost
{

// A private Xvfb on a display number it picks itself (-displayfd); stopped by the destructor.
class XServer
{
public:
    XServer() = default;
    ~XServer();
    XServer(const XServer&) = delete;
    XServer& operator=(const XServer&) = delete;

    // Starts Xvfb and sets $DISPLAY; false with the reason in `why` when it cannot.
    bool start(std::string& why);
    const std::string& display() const { return display_; }

private:
    pid_t pid_ = -1;
    std::string display_;
};

// IPlugFrame + Linux::IRunLoop, owned by the test (reference counting accepted and ignored).
class HostFrame final : public vst3::IPlugFrame, public vst3::linux_ui::IRunLoop
{
public:
    explicit HostFrame(Display* display, Window parent) : display_(display), parent_(parent) {}

    vst3::tresult queryInterface(const char* iid, void** obj) override;
    uint32_t addRef() override { return 1; }
    uint32_t release() override { return 1; }

    vst3::tresult resizeView(vst3::IPlugView* view, vst3::ViewRect* newSize) override;

    vst3::tresult registerEventHandler(vst3::linux_ui::IEventHandler* handler, int fd) override;
    vst3::tresult unregisterEventHandler(vst3::linux_ui::IEventHandler* handler) override;
    vst3::tresult registerTimer(vst3::linux_ui::ITimerHandler* handler, uint64_t milliseconds) override;
    vst3::tresult unregisterTimer(vst3::linux_ui::ITimerHandler* handler) override;

    // Runs the loop for `milliseconds`: readable fds call their handlers, due timers fire.
    void pump(int milliseconds);

    size_t handlers() const { return fds_.size(); }
    size_t timers() const { return timers_.size(); }
    int resizes = 0;
    int timerCalls = 0;

private:
    struct Fd
    {
        vst3::linux_ui::IEventHandler* handler;
        int fd;
    };
    struct Timer
    {
        vst3::linux_ui::ITimerHandler* handler;
        uint64_t interval;
        double due;
    };
    Display* display_;
    Window parent_;
    std::vector<Fd> fds_;
    std::vector<Timer> timers_;
};

// A mapped top-level window to embed into.
Window createParent(Display* display, int width, int height);

// The parent's pixels as 0xAARRGGBB (from the root window, so the child's content is included).
std::vector<uint32_t> screenshot(Display* display, Window window, int width, int height);

// Writes pixels as a binary PPM (for a look at what was drawn).
bool writePpm(const std::string& path, const std::vector<uint32_t>& pixels, int width, int height);

// A left click at (x, y) in `window`'s coordinates through XTest (as if a user clicked).
bool click(Display* display, Window window, int x, int y);

// A left-button drag from (x0, y0) to (x1, y1) in `window`'s coordinates, in `steps` moves.
bool drag(Display* display, Window window, int x0, int y0, int x1, int y1, int steps);

int distinctColours(const std::vector<uint32_t>& pixels);

// Pixels brighter than (r+g+b > 500) in the rectangle.
int brightPixels(const std::vector<uint32_t>& pixels, int width, int x0, int y0, int x1, int y1);

} // namespace testhost
