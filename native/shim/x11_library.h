// libX11 loaded at run time (dlopen), only when an editor is attached: the bundles load, scan and
// process on machines without X11 (servers, render farms, the validator's headless runs).
#pragma once

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

namespace mixmate
{

// Function pointers into libX11.so.6, typed from Xlib's own declarations (nothing is linked).
struct X11
{
    decltype(&::XOpenDisplay) OpenDisplay;
    decltype(&::XCloseDisplay) CloseDisplay;
    decltype(&::XCreateSimpleWindow) CreateSimpleWindow;
    decltype(&::XDestroyWindow) DestroyWindow;
    decltype(&::XMapWindow) MapWindow;
    decltype(&::XResizeWindow) ResizeWindow;
    decltype(&::XSelectInput) SelectInput;
    decltype(&::XInternAtom) InternAtom;
    decltype(&::XChangeProperty) ChangeProperty;
    decltype(&::XFlush) Flush;
    decltype(&::XSync) Sync;
    decltype(&::XPending) Pending;
    decltype(&::XNextEvent) NextEvent;
    decltype(&::XConnectionNumber) Connection;
    decltype(&::XCreateGC) CreateGC;
    decltype(&::XFreeGC) FreeGC;
    decltype(&::XCreateImage) CreateImage;
    decltype(&::XPutImage) PutImage;
    decltype(&::XGetWindowAttributes) GetWindowAttributes;
    decltype(&::XSetErrorHandler) SetErrorHandler;
};

// MIT-SHM from libXext.so.6: the pixel buffer shared with a local X server, so a frame is not
// copied through the socket.
struct XShm
{
    decltype(&::XShmQueryExtension) QueryExtension;
    decltype(&::XShmCreateImage) CreateImage;
    decltype(&::XShmAttach) Attach;
    decltype(&::XShmDetach) Detach;
    decltype(&::XShmPutImage) PutImage;
};

// [main-thread] The library's functions, or nullptr when libX11.so.6 (or a symbol) is missing.
// Loaded once per process; never unloaded.
const X11* x11();

// [main-thread] MIT-SHM's functions, or nullptr without libXext.so.6 (drawing then uses XPutImage).
const XShm* xshm();

} // namespace mixmate
