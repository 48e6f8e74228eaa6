// Loading the managed core (compiled ahead of time into Contents/Resources/MixMate.Core.so) and
// handing out its function table.
#pragma once

#include "mixmate_abi.h"

#include <string>

namespace mixmate
{

// [any thread] Loads the core on first use (once per process and module; later calls return the
// cached result) and returns its API table, or nullptr with *status set to MM_ERR_RUNTIME. A
// failure is reported once: one line on stderr (the host's log) and the same text appended to
// $XDG_CACHE_HOME/mixmate/plugin-errors.log (default ~/.cache). Never throws.
const mm_api* managedApi(mm_status* status);

// [any thread] Text of the last loading failure (the dynamic linker's own message included),
// for tests and for MixMateHostingError.
std::string lastHostingError();

// [any thread] The bundle's Contents/Resources folder, where the core and its libraries lie.
std::string resourcesDirectory();

} // namespace mixmate
