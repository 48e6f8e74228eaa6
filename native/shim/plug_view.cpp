#include "plug_view.h"

#include "x11_library.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <cstdio>
#include <cstdlib>
#include <poll.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <thread>
#include <vector>

namespace mixmate
{
namespace
{

using namespace vst3;
using vst3::linux_ui::IEventHandler;
using vst3::linux_ui::IRunLoop;
using vst3::linux_ui::ITimerHandler;

constexpr uint64_t kFrameMilliseconds = 33; // ~30 frames a second
constexpr int32_t kMaxViewEdits = 64;

// Set by shmErrorHandler while an MIT-SHM attach is being checked (XSync right after it).
std::atomic<bool> gShmFailed{false};

int shmErrorHandler(Display* /*display*/, XErrorEvent* /*error*/)
{
    gShmFailed = true;
    return 0;
}

int32_t translateKey(int16_t keyCode)
{
    switch (keyCode)
    {
    case kKeyLeft: return MM_KEY_LEFT;
    case kKeyRight: return MM_KEY_RIGHT;
    case kKeyUp: return MM_KEY_UP;
    case kKeyDown: return MM_KEY_DOWN;
    case kKeyReturn:
    case kKeyEnter: return MM_KEY_ENTER;
    case kKeyEscape: return MM_KEY_ESCAPE;
    case kKeyTab: return MM_KEY_TAB;
    default: return MM_KEY_NONE;
    }
}

class PlugView final : public IPlugView, public IPlugViewContentScaleSupport, public IEventHandler, public ITimerHandler
{
public:
    PlugView(const mm_api* api, void* view, int32_t width, int32_t height, ViewOwner* owner)
        : api_(api), view_(view), owner_(owner), width_(width), height_(height)
    {
        owner_->retainOwner();
    }

    ~PlugView()
    {
        if (attached_)
        {
            removed();
        }
        api_->view_close(view_);
        setFrame(nullptr);
        owner_->viewDestroyed(static_cast<IPlugView*>(this));
        owner_->releaseOwner();
    }

    PlugView(const PlugView&) = delete;
    PlugView& operator=(const PlugView&) = delete;

    // --- FUnknown (one object, four faces) ---------------------------------------------------
    tresult queryInterface(const char* iid, void** obj) override
    {
        if (obj == nullptr)
        {
            return kInvalidArgument;
        }
        *obj = nullptr;
        if (tuidEquals(iid, kIidFUnknown) || tuidEquals(iid, kIidIPlugView))
        {
            *obj = static_cast<IPlugView*>(this);
        }
        else if (tuidEquals(iid, kIidIPlugViewContentScaleSupport))
        {
            *obj = static_cast<IPlugViewContentScaleSupport*>(this);
        }
        else if (tuidEquals(iid, kIidLinuxIEventHandler))
        {
            *obj = static_cast<IEventHandler*>(this);
        }
        else if (tuidEquals(iid, kIidLinuxITimerHandler))
        {
            *obj = static_cast<ITimerHandler*>(this);
        }
        else
        {
            return kNoInterface;
        }
        addRef();
        return kResultOk;
    }

    uint32_t addRef() override { return ++refs_; }

    uint32_t release() override
    {
        const uint32_t left = --refs_;
        if (left == 0)
        {
            delete this;
        }
        return left;
    }

    // --- IPlugView ---------------------------------------------------------------------------
    tresult isPlatformTypeSupported(FIDString type) override
    {
        return type != nullptr && std::strcmp(type, kPlatformTypeX11EmbedWindowID) == 0 ? kResultTrue : kResultFalse;
    }

    tresult attached(void* parent, FIDString type) override
    {
        if (attached_ || parent == nullptr || isPlatformTypeSupported(type) != kResultTrue)
        {
            return kResultFalse;
        }
        x_ = x11();
        if (x_ == nullptr)
        {
            return kResultFalse;
        }
        display_ = x_->OpenDisplay(nullptr);
        if (display_ == nullptr)
        {
            return kResultFalse;
        }
        const auto parentWindow = static_cast<Window>(reinterpret_cast<uintptr_t>(parent));
        window_ = x_->CreateSimpleWindow(display_, parentWindow, 0, 0, static_cast<unsigned>(width_),
                                         static_cast<unsigned>(height_), 0, 0, 0x171A21);
        XWindowAttributes attributes{};
        if (window_ == 0 || x_->GetWindowAttributes(display_, window_, &attributes) == 0 ||
            (attributes.depth != 24 && attributes.depth != 32) || attributes.visual == nullptr ||
            attributes.visual->red_mask != 0xFF0000 || attributes.visual->blue_mask != 0xFF)
        {
            // Only TrueColor visuals whose pixels are BGRA in memory (what Skia draws).
            closeWindow();
            return kResultFalse;
        }
        visual_ = attributes.visual;
        depth_ = attributes.depth;
        // MIT-SHM only for a local server (a remote one cannot map our memory).
        const char* name = DisplayString(display_);
        shm_ = std::getenv("MIXMATE_NO_SHM") == nullptr && name != nullptr && (name[0] == ':' || std::strncmp(name, "unix:", 5) == 0)
                   ? xshm()
                   : nullptr;
        if (shm_ != nullptr && !shm_->QueryExtension(display_))
        {
            shm_ = nullptr;
        }
        x_->SelectInput(display_, window_,
                        ExposureMask | ButtonPressMask | ButtonReleaseMask | PointerMotionMask | StructureNotifyMask);
        // XEmbed: version 0, not asking the embedder to map (hosts that follow XEmbed map it; the
        // window maps itself as well for those that do not).
        const Atom embedInfo = x_->InternAtom(display_, "_XEMBED_INFO", False);
        const long info[2] = {0, 0};
        x_->ChangeProperty(display_, window_, embedInfo, embedInfo, 32, PropModeReplace,
                           reinterpret_cast<const unsigned char*>(info), 2);
        gc_ = x_->CreateGC(display_, window_, 0, nullptr);
        x_->MapWindow(display_, window_);
        makeImage();
        x_->Flush(display_);
        attached_ = true;

        runLoop_ = findRunLoop();
        if (runLoop_ != nullptr)
        {
            runLoop_->registerEventHandler(static_cast<IEventHandler*>(this), x_->Connection(display_));
            runLoop_->registerTimer(static_cast<ITimerHandler*>(this), kFrameMilliseconds);
        }
        else
        {
            // No run loop offered: a thread of our own drives events and drawing; gestures wait in
            // the core until a main-thread call forwards them (pumpViewEdits).
            stop_ = false;
            fallback_ = std::thread([this] { fallbackLoop(); });
        }
        std::lock_guard<std::mutex> lock(mutex_);
        drawLocked(true);
        return kResultTrue;
    }

    tresult removed() override
    {
        if (!attached_)
        {
            return kResultFalse;
        }
        if (runLoop_ != nullptr)
        {
            runLoop_->unregisterTimer(static_cast<ITimerHandler*>(this));
            runLoop_->unregisterEventHandler(static_cast<IEventHandler*>(this));
            runLoop_->release();
            runLoop_ = nullptr;
        }
        if (fallback_.joinable())
        {
            stop_ = true;
            fallback_.join();
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (pressed_)
            {
                int32_t handled = 0;
                api_->view_mouse(view_, MM_MOUSE_UP, lastX_, lastY_, 0, &handled);
                pressed_ = false;
            }
        }
        forwardEdits();
        std::lock_guard<std::mutex> lock(mutex_);
        if (std::getenv("MIXMATE_DEBUG_VIEW") != nullptr)
        {
            std::fprintf(stderr, "[MixMate] editor: %llu frames put (%s)\n", static_cast<unsigned long long>(frames_),
                         shmAttached_ ? "MIT-SHM" : "XPutImage");
        }
        closeWindow();
        attached_ = false;
        return kResultTrue;
    }

    tresult onWheel(float distance) override
    {
        std::lock_guard<std::mutex> lock(mutex_);
        int32_t handled = 0;
        api_->view_mouse(view_, MM_MOUSE_WHEEL, lastX_, lastY_, distance, &handled);
        forwardEditsLocked();
        return handled ? kResultTrue : kResultFalse;
    }

    tresult onKeyDown(char16 key, int16_t keyCode, int16_t modifiers) override { return onKey(1, key, keyCode, modifiers); }

    tresult onKeyUp(char16 key, int16_t keyCode, int16_t modifiers) override { return onKey(0, key, keyCode, modifiers); }

    tresult getSize(ViewRect* size) override
    {
        if (size == nullptr)
        {
            return kInvalidArgument;
        }
        *size = ViewRect{0, 0, width_, height_};
        return kResultTrue;
    }

    tresult onSize(ViewRect* newSize) override
    {
        if (newSize == nullptr)
        {
            return kInvalidArgument;
        }
        const int32_t w = newSize->right - newSize->left;
        const int32_t h = newSize->bottom - newSize->top;
        if (w <= 0 || h <= 0)
        {
            return kInvalidArgument;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        width_ = w;
        height_ = h;
        api_->view_set_size(view_, w, h);
        if (attached_)
        {
            x_->ResizeWindow(display_, window_, static_cast<unsigned>(w), static_cast<unsigned>(h));
            makeImage();
            drawLocked(true);
        }
        return kResultTrue;
    }

    tresult onFocus(TBool /*state*/) override { return kResultTrue; }

    tresult setFrame(IPlugFrame* frame) override
    {
        if (frame != nullptr)
        {
            frame->addRef();
        }
        if (frame_ != nullptr)
        {
            frame_->release();
        }
        frame_ = frame;
        return kResultTrue;
    }

    tresult canResize() override { return kResultTrue; }

    tresult checkSizeConstraint(ViewRect* rect) override
    {
        if (rect == nullptr)
        {
            return kInvalidArgument;
        }
        int32_t w = rect->right - rect->left;
        int32_t h = rect->bottom - rect->top;
        std::lock_guard<std::mutex> lock(mutex_);
        if (api_->view_check_size(view_, &w, &h) != MM_OK)
        {
            return kResultFalse;
        }
        rect->right = rect->left + w;
        rect->bottom = rect->top + h;
        return kResultTrue;
    }

    // --- IPlugViewContentScaleSupport ----------------------------------------------------------
    tresult setContentScaleFactor(float factor) override
    {
        int32_t w = width_;
        int32_t h = height_;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (api_->view_set_scale(view_, factor, &w, &h) != MM_OK)
            {
                return kResultFalse;
            }
        }
        if (w == width_ && h == height_)
        {
            return kResultTrue;
        }
        if (attached_ && frame_ != nullptr)
        {
            // The host answers with onSize (the only place the window changes size).
            ViewRect rect{0, 0, w, h};
            frame_->resizeView(this, &rect);
        }
        else if (!attached_)
        {
            std::lock_guard<std::mutex> lock(mutex_);
            width_ = w;
            height_ = h;
            api_->view_set_size(view_, w, h);
        }
        return kResultTrue;
    }

    // --- Linux::IEventHandler, ITimerHandler (the host's run loop, main thread) -----------------
    void onFDIsSet(int /*fd*/) override { pump(); }

    void onTimer() override { pump(); }

    // [main-thread] Gestures made while the fallback thread drives the view.
    void forwardEdits()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        forwardEditsLocked();
    }

private:
    tresult onKey(int32_t down, char16 key, int16_t keyCode, int16_t modifiers)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        int32_t handled = 0;
        api_->view_key(view_, down, key, translateKey(keyCode), modifiers, &handled);
        forwardEditsLocked();
        return handled ? kResultTrue : kResultFalse;
    }

    IRunLoop* findRunLoop()
    {
        IRunLoop* loop = nullptr;
        if (frame_ != nullptr &&
            frame_->queryInterface(reinterpret_cast<const char*>(kIidLinuxIRunLoop.bytes), reinterpret_cast<void**>(&loop)) ==
                kResultOk &&
            loop != nullptr)
        {
            return loop;
        }
        FUnknown* context = owner_->hostContext();
        if (context != nullptr &&
            context->queryInterface(reinterpret_cast<const char*>(kIidLinuxIRunLoop.bytes), reinterpret_cast<void**>(&loop)) ==
                kResultOk)
        {
            return loop;
        }
        return nullptr;
    }

    void pump()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!attached_)
        {
            return;
        }
        const bool expose = dispatchEventsLocked();
        forwardEditsLocked();
        drawLocked(expose);
    }

    void fallbackLoop()
    {
        const int fd = x_->Connection(display_);
        while (!stop_)
        {
            pollfd p{fd, POLLIN, 0};
            poll(&p, 1, static_cast<int>(kFrameMilliseconds));
            std::lock_guard<std::mutex> lock(mutex_);
            const bool expose = dispatchEventsLocked();
            drawLocked(expose);
        }
    }

    // Reads every queued X event; returns whether the window needs a full repaint.
    bool dispatchEventsLocked()
    {
        bool expose = false;
        while (x_->Pending(display_) > 0)
        {
            XEvent e{};
            x_->NextEvent(display_, &e);
            int32_t handled = 0;
            switch (e.type)
            {
            case Expose: expose = true; break;
            case ButtonPress:
                lastX_ = static_cast<float>(e.xbutton.x);
                lastY_ = static_cast<float>(e.xbutton.y);
                if (e.xbutton.button == Button1)
                {
                    pressed_ = true;
                    api_->view_mouse(view_, MM_MOUSE_DOWN, lastX_, lastY_, 0, &handled);
                }
                else if (e.xbutton.button == Button4 || e.xbutton.button == Button5)
                {
                    api_->view_mouse(view_, MM_MOUSE_WHEEL, lastX_, lastY_, e.xbutton.button == Button4 ? 1.0f : -1.0f,
                                     &handled);
                }
                break;
            case ButtonRelease:
                lastX_ = static_cast<float>(e.xbutton.x);
                lastY_ = static_cast<float>(e.xbutton.y);
                if (e.xbutton.button == Button1 && pressed_)
                {
                    pressed_ = false;
                    api_->view_mouse(view_, MM_MOUSE_UP, lastX_, lastY_, 0, &handled);
                }
                break;
            case MotionNotify:
                lastX_ = static_cast<float>(e.xmotion.x);
                lastY_ = static_cast<float>(e.xmotion.y);
                if (pressed_)
                {
                    api_->view_mouse(view_, MM_MOUSE_MOVE, lastX_, lastY_, 0, &handled);
                }
                break;
            default: break;
            }
        }
        return expose;
    }

    void forwardEditsLocked()
    {
        mm_view_edit edits[kMaxViewEdits];
        int32_t count = 0;
        while (api_->view_poll_edits(view_, edits, kMaxViewEdits, &count) == MM_OK && count > 0)
        {
            owner_->forwardViewEdits(edits, count);
            if (count < kMaxViewEdits)
            {
                break;
            }
        }
    }

    void drawLocked(bool force)
    {
        if (image_ == nullptr)
        {
            return;
        }
        int32_t drawn = 0;
        api_->view_draw(view_, reinterpret_cast<uint8_t*>(image_->data), imageWidth_, imageHeight_, image_->bytes_per_line,
                        force ? 1 : 0, &drawn);
        if (drawn)
        {
            if (shmAttached_)
            {
                shm_->PutImage(display_, window_, gc_, image_, 0, 0, 0, 0, static_cast<unsigned>(imageWidth_),
                               static_cast<unsigned>(imageHeight_), False);
            }
            else
            {
                x_->PutImage(display_, window_, gc_, image_, 0, 0, 0, 0, static_cast<unsigned>(imageWidth_),
                             static_cast<unsigned>(imageHeight_));
            }
            x_->Flush(display_);
            ++frames_;
        }
    }

    void makeImage()
    {
        freeImage();
        imageWidth_ = width_;
        imageHeight_ = height_;
        if (shm_ != nullptr && makeShmImage())
        {
            return;
        }
        pixels_.assign(static_cast<size_t>(imageWidth_) * static_cast<size_t>(imageHeight_), 0u);
        image_ = x_->CreateImage(display_, visual_, static_cast<unsigned>(depth_), ZPixmap, 0,
                                 reinterpret_cast<char*>(pixels_.data()), static_cast<unsigned>(imageWidth_),
                                 static_cast<unsigned>(imageHeight_), 32, imageWidth_ * 4);
    }

    // The image's pixels in a shared memory segment the server reads directly; false (nothing
    // left behind) when the server or the system refuses.
    bool makeShmImage()
    {
        XImage* image = shm_->CreateImage(display_, visual_, static_cast<unsigned>(depth_), ZPixmap, nullptr, &shmInfo_,
                                          static_cast<unsigned>(imageWidth_), static_cast<unsigned>(imageHeight_));
        if (image == nullptr)
        {
            return false;
        }
        if (image->bits_per_pixel != 32 || image->bytes_per_line < imageWidth_ * 4)
        {
            XDestroyImage(image);
            return false;
        }
        const size_t bytes = static_cast<size_t>(image->bytes_per_line) * static_cast<size_t>(imageHeight_);
        shmInfo_.shmid = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
        if (shmInfo_.shmid < 0)
        {
            XDestroyImage(image);
            return false;
        }
        void* address = shmat(shmInfo_.shmid, nullptr, 0);
        if (address == reinterpret_cast<void*>(-1))
        {
            shmctl(shmInfo_.shmid, IPC_RMID, nullptr);
            XDestroyImage(image);
            return false;
        }
        shmInfo_.shmaddr = static_cast<char*>(address);
        shmInfo_.readOnly = False;
        image->data = shmInfo_.shmaddr;
        gShmFailed = false;
        auto previous = x_->SetErrorHandler(shmErrorHandler);
        const Status attached = shm_->Attach(display_, &shmInfo_);
        x_->Sync(display_, False);
        x_->SetErrorHandler(previous);
        shmctl(shmInfo_.shmid, IPC_RMID, nullptr); // freed once both sides detach
        if (attached == 0 || gShmFailed)
        {
            shmdt(shmInfo_.shmaddr);
            image->data = nullptr;
            XDestroyImage(image);
            shm_ = nullptr; // not again for this window
            return false;
        }
        std::memset(shmInfo_.shmaddr, 0, bytes);
        image_ = image;
        shmAttached_ = true;
        return true;
    }

    void freeImage()
    {
        if (image_ == nullptr)
        {
            return;
        }
        if (shmAttached_)
        {
            shm_->Detach(display_, &shmInfo_);
            x_->Sync(display_, False);
            shmdt(shmInfo_.shmaddr);
            shmAttached_ = false;
        }
        image_->data = nullptr; // the pixels are ours (pixels_ or the segment), not Xlib's to free
        XDestroyImage(image_);
        image_ = nullptr;
    }

    void closeWindow()
    {
        freeImage();
        if (gc_ != nullptr)
        {
            x_->FreeGC(display_, gc_);
            gc_ = nullptr;
        }
        if (window_ != 0)
        {
            x_->DestroyWindow(display_, window_);
            window_ = 0;
        }
        if (display_ != nullptr)
        {
            x_->Sync(display_, False);
            x_->CloseDisplay(display_);
            display_ = nullptr;
        }
    }

    const mm_api* api_;
    void* view_;
    ViewOwner* owner_;
    std::atomic<uint32_t> refs_{1};
    int32_t width_;
    int32_t height_;
    IPlugFrame* frame_ = nullptr;
    IRunLoop* runLoop_ = nullptr;
    const X11* x_ = nullptr;
    Display* display_ = nullptr;
    Window window_ = 0;
    GC gc_ = nullptr;
    Visual* visual_ = nullptr;
    int depth_ = 24;
    XImage* image_ = nullptr;
    std::vector<uint32_t> pixels_;
    const XShm* shm_ = nullptr;
    XShmSegmentInfo shmInfo_{};
    bool shmAttached_ = false;
    int32_t imageWidth_ = 0;
    int32_t imageHeight_ = 0;
    bool attached_ = false;
    bool pressed_ = false;
    float lastX_ = 0;
    float lastY_ = 0;
    uint64_t frames_ = 0;
    std::mutex mutex_;
    std::thread fallback_;
    std::atomic<bool> stop_{false};
};

} // namespace

IPlugView* createPlugView(const mm_api* api, void* handle, ViewOwner* owner)
{
    if (api->view_open == nullptr)
    {
        return nullptr;
    }
    void* view = nullptr;
    int32_t width = 0;
    int32_t height = 0;
    if (api->view_open(handle, 1.0f, &view, &width, &height) != MM_OK || view == nullptr || width <= 0 || height <= 0)
    {
        return nullptr;
    }
    return new PlugView(api, view, width, height, owner);
}

void pumpViewEdits(IPlugView* view)
{
    static_cast<PlugView*>(view)->forwardEdits();
}

} // namespace mixmate
