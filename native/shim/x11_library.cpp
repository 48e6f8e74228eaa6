#include "x11_library.h"

#include <dlfcn.h>
#include <mutex>

namespace mixmate
{
namespace
{

template <typename F> bool bind(void* lib, const char* name, F& out)
{
    out = reinterpret_cast<F>(dlsym(lib, name));
    return out != nullptr;
}

bool load(X11& x)
{
    void* lib = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (lib == nullptr)
    {
        return false;
    }
    return bind(lib, "XOpenDisplay", x.OpenDisplay) && bind(lib, "XCloseDisplay", x.CloseDisplay) &&
           bind(lib, "XCreateSimpleWindow", x.CreateSimpleWindow) && bind(lib, "XDestroyWindow", x.DestroyWindow) &&
           bind(lib, "XMapWindow", x.MapWindow) && bind(lib, "XResizeWindow", x.ResizeWindow) &&
           bind(lib, "XSelectInput", x.SelectInput) && bind(lib, "XInternAtom", x.InternAtom) &&
           bind(lib, "XChangeProperty", x.ChangeProperty) && bind(lib, "XFlush", x.Flush) &&
           bind(lib, "XSync", x.Sync) && bind(lib, "XPending", x.Pending) && bind(lib, "XNextEvent", x.NextEvent) &&
           bind(lib, "XConnectionNumber", x.Connection) && bind(lib, "XCreateGC", x.CreateGC) &&
           bind(lib, "XFreeGC", x.FreeGC) && bind(lib, "XCreateImage", x.CreateImage) &&
           bind(lib, "XPutImage", x.PutImage) && bind(lib, "XGetWindowAttributes", x.GetWindowAttributes) &&
           bind(lib, "XSetErrorHandler", x.SetErrorHandler);
}

bool loadShm(XShm& x)
{
    void* lib = dlopen("libXext.so.6", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (lib == nullptr)
    {
        return false;
    }
    return bind(lib, "XShmQueryExtension", x.QueryExtension) && bind(lib, "XShmCreateImage", x.CreateImage) &&
           bind(lib, "XShmAttach", x.Attach) && bind(lib, "XShmDetach", x.Detach) &&
           bind(lib, "XShmPutImage", x.PutImage);
}

} // namespace

const XShm* xshm()
{
    static std::once_flag once;
    static XShm table{};
    static bool ok = false;
    std::call_once(once, [] { ok = loadShm(table); });
    return ok ? &table : nullptr;
}

const X11* x11()
{
    static std::once_flag once;
    static X11 table{};
    static bool ok = false;
    std::call_once(once, [] { ok = load(table); });
    return ok ? &table : nullptr;
}

} // namespace mixmate
