#!/usr/bin/env bash
# Benchmark of the MixMate VST3 bundles (issue 4), driven by the native test host like a DAW:
# cold load of the first instance (fresh processes), further instances, and steady-state process
# cost of 64-frame blocks at 48 kHz with a concurrent "UI" thread. Prints figures; never fails on
# them (speed is not a pass/fail test). Method and results: docs/plugin-benchmarks.md.
#   native/bench.sh [--runs N] [--blocks N] [--no-ui]   (defaults: 7 fresh processes, 100000 blocks,
#                                                       a concurrent UI thread)
# Honours the variables of native/build.sh (MIXMATE_BUNDLE_DIR, MIXMATE_NATIVE_BUILD, …).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}"
build="${MIXMATE_NATIVE_BUILD:-$root/native/build}"

"$root/native/build.sh" >/dev/null
exec "$build/mixmate-testhost" --bench "$@" "$bundles/MixMate.vst3" "$bundles/MixMate Tone.vst3"
