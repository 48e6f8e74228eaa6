#include "editor_host.h"

#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

namespace testhost
{
namespace
{

double nowMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

XServer::~XServer()
{
    if (pid_ > 0)
    {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
}

bool XServer::start(std::string& why)
{
    const char* candidates[] = {"/usr/bin/Xvfb", "/usr/local/bin/Xvfb"};
    const char* xvfb = nullptr;
    for (const char* c : candidates)
    {
        if (access(c, X_OK) == 0)
        {
            xvfb = c;
        }
    }
    if (xvfb == nullptr)
    {
        why = "Xvfb is not installed (apt-get install xvfb)";
        return false;
    }
    int fds[2];
    if (pipe(fds) != 0)
    {
        why = "pipe failed";
        return false;
    }
    pid_ = fork();
    if (pid_ == 0)
    {
        close(fds[0]);
        const std::string fd = std::to_string(fds[1]);
        const int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
        {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execl(xvfb, "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "2200x1400x24", "-nolisten", "tcp", "-noreset",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    // Xvfb writes the display number when it is ready to accept connections.
    char buffer[32] = {};
    size_t got = 0;
    pollfd p{fds[0], POLLIN, 0};
    const double deadline = nowMs() + 60000;
    while (got < sizeof(buffer) - 1 && nowMs() < deadline)
    {
        if (poll(&p, 1, 500) > 0)
        {
            const ssize_t n = read(fds[0], buffer + got, sizeof(buffer) - 1 - got);
            if (n <= 0)
            {
                break;
            }
            got += static_cast<size_t>(n);
            if (std::memchr(buffer, '\n', got) != nullptr)
            {
                break;
            }
        }
    }
    close(fds[0]);
    const int number = std::atoi(buffer);
    if (got == 0 || std::memchr(buffer, '\n', got) == nullptr)
    {
        why = "Xvfb did not start within 60 s";
        return false;
    }
    display_ = ":" + std::to_string(number);
    setenv("DISPLAY", display_.c_str(), 1);
    return true;
}

vst3::tresult HostFrame::queryInterface(const char* iid, void** obj)
{
    if (vst3::tuidEquals(iid, vst3::kIidFUnknown) || vst3::tuidEquals(iid, vst3::kIidIPlugFrame))
    {
        *obj = static_cast<vst3::IPlugFrame*>(this);
        return vst3::kResultOk;
    }
    if (vst3::tuidEquals(iid, vst3::kIidLinuxIRunLoop))
    {
        *obj = static_cast<vst3::linux_ui::IRunLoop*>(this);
        return vst3::kResultOk;
    }
    *obj = nullptr;
    return vst3::kNoInterface;
}

vst3::tresult HostFrame::resizeView(vst3::IPlugView* view, vst3::ViewRect* newSize)
{
    ++resizes;
    XResizeWindow(display_, parent_, static_cast<unsigned>(newSize->right - newSize->left),
                  static_cast<unsigned>(newSize->bottom - newSize->top));
    XFlush(display_);
    return view->onSize(newSize);
}

vst3::tresult HostFrame::registerEventHandler(vst3::linux_ui::IEventHandler* handler, int fd)
{
    fds_.push_back(Fd{handler, fd});
    return vst3::kResultOk;
}

vst3::tresult HostFrame::unregisterEventHandler(vst3::linux_ui::IEventHandler* handler)
{
    fds_.erase(std::remove_if(fds_.begin(), fds_.end(), [&](const Fd& f) { return f.handler == handler; }), fds_.end());
    return vst3::kResultOk;
}

vst3::tresult HostFrame::registerTimer(vst3::linux_ui::ITimerHandler* handler, uint64_t milliseconds)
{
    timers_.push_back(Timer{handler, std::max<uint64_t>(1, milliseconds), nowMs() + static_cast<double>(milliseconds)});
    return vst3::kResultOk;
}

vst3::tresult HostFrame::unregisterTimer(vst3::linux_ui::ITimerHandler* handler)
{
    timers_.erase(std::remove_if(timers_.begin(), timers_.end(), [&](const Timer& t) { return t.handler == handler; }),
                  timers_.end());
    return vst3::kResultOk;
}

void HostFrame::pump(int milliseconds)
{
    const double end = nowMs() + milliseconds;
    while (true)
    {
        // The host's own connection: nothing to do with its events here but drain them.
        while (XPending(display_) > 0)
        {
            XEvent e;
            XNextEvent(display_, &e);
        }
        const double now = nowMs();
        if (now >= end)
        {
            break;
        }
        double next = end;
        for (const Timer& t : timers_)
        {
            next = std::min(next, t.due);
        }
        std::vector<pollfd> polls;
        for (const Fd& f : fds_)
        {
            polls.push_back(pollfd{f.fd, POLLIN, 0});
        }
        // Rounded up: a wait truncated to 0 ms would spin until the timer is due.
        const int wait = std::max(0, static_cast<int>(std::ceil(next - now)));
        const int ready = poll(polls.data(), polls.size(), wait);
        if (ready > 0)
        {
            const std::vector<Fd> snapshot = fds_;
            for (size_t i = 0; i < polls.size() && i < snapshot.size(); ++i)
            {
                if (polls[i].revents & POLLIN)
                {
                    snapshot[i].handler->onFDIsSet(snapshot[i].fd);
                }
            }
        }
        const double after = nowMs();
        for (size_t i = 0; i < timers_.size(); ++i)
        {
            if (timers_[i].due <= after)
            {
                timers_[i].due = after + static_cast<double>(timers_[i].interval);
                ++timerCalls;
                timers_[i].handler->onTimer(); // may unregister: index checked again by the loop
            }
        }
    }
}

Window createParent(Display* display, int width, int height)
{
    const int screen = DefaultScreen(display);
    const Window w = XCreateSimpleWindow(display, RootWindow(display, screen), 0, 0, static_cast<unsigned>(width),
                                         static_cast<unsigned>(height), 0, BlackPixel(display, screen),
                                         BlackPixel(display, screen));
    XMapWindow(display, w);
    XSync(display, False);
    return w;
}

std::vector<uint32_t> screenshot(Display* display, Window window, int width, int height)
{
    std::vector<uint32_t> pixels;
    XSync(display, False);
    int x = 0;
    int y = 0;
    Window child = 0;
    const Window root = DefaultRootWindow(display);
    XTranslateCoordinates(display, window, root, 0, 0, &x, &y, &child);
    XImage* image = XGetImage(display, root, x, y, static_cast<unsigned>(width), static_cast<unsigned>(height),
                              AllPlanes, ZPixmap);
    if (image == nullptr)
    {
        return pixels;
    }
    pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(height));
    for (int row = 0; row < height; ++row)
    {
        for (int col = 0; col < width; ++col)
        {
            pixels[static_cast<size_t>(row) * static_cast<size_t>(width) + static_cast<size_t>(col)] =
                static_cast<uint32_t>(XGetPixel(image, col, row)) | 0xFF000000u;
        }
    }
    XDestroyImage(image);
    return pixels;
}

bool writePpm(const std::string& path, const std::vector<uint32_t>& pixels, int width, int height)
{
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
    {
        return false;
    }
    std::fprintf(f, "P6\n%d %d\n255\n", width, height);
    for (uint32_t p : pixels)
    {
        const unsigned char rgb[3] = {static_cast<unsigned char>(p >> 16), static_cast<unsigned char>(p >> 8),
                                      static_cast<unsigned char>(p)};
        std::fwrite(rgb, 1, 3, f);
    }
    return std::fclose(f) == 0;
}

bool click(Display* display, Window window, int x, int y)
{
    // A press and release in place: a drag that does not move.
    return drag(display, window, x, y, x, y, 0);
}

bool drag(Display* display, Window window, int x0, int y0, int x1, int y1, int steps)
{
    int event = 0;
    int error = 0;
    int major = 0;
    int minor = 0;
    if (!XTestQueryExtension(display, &event, &error, &major, &minor))
    {
        return false;
    }
    int rx = 0;
    int ry = 0;
    Window child = 0;
    XTranslateCoordinates(display, window, DefaultRootWindow(display), x0, y0, &rx, &ry, &child);
    XTestFakeMotionEvent(display, -1, rx, ry, CurrentTime);
    XTestFakeButtonEvent(display, 1, True, CurrentTime);
    for (int i = 1; i <= steps; ++i)
    {
        XTestFakeMotionEvent(display, -1, rx + ((x1 - x0) * i) / steps, ry + ((y1 - y0) * i) / steps, CurrentTime);
    }
    XTestFakeButtonEvent(display, 1, False, CurrentTime);
    XSync(display, False);
    return true;
}

int distinctColours(const std::vector<uint32_t>& pixels)
{
    std::set<uint32_t> set(pixels.begin(), pixels.end());
    return static_cast<int>(set.size());
}

int brightPixels(const std::vector<uint32_t>& pixels, int width, int x0, int y0, int x1, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; ++y)
    {
        for (int x = x0; x < x1; ++x)
        {
            const uint32_t p = pixels[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)];
            n += ((p >> 16) & 0xFF) + ((p >> 8) & 0xFF) + (p & 0xFF) > 500 ? 1 : 0;
        }
    }
    return n;
}

} // namespace testhost
