// Starting .NET inside a host process and handing out the managed function table.
#pragma once

#include "mixmate_abi.h"

#include <string>

namespace mixmate
{

// [any thread] Starts the runtime on first use (once per loaded module; later calls return the
// cached result) and returns the managed API table, or nullptr with *status set to
// MM_ERR_RUNTIME / MM_ERR_RUNTIME_CONFLICT. Never throws.
const mm_api* managedApi(mm_status* status);

// [any thread] Text of the last hosting failure (hostfxr's own messages included), for tests
// and for MIXMATE_DEBUG logging.
std::string lastHostingError();

// [any thread] The directory holding the managed assemblies: <bundle>/Contents/Resources.
std::string resourcesDirectory();

} // namespace mixmate
