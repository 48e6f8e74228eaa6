#!/usr/bin/env bash
# Regenerates models/mixeval/RESULTS.md: renders the evaluation songs with FluidSynth (cached in
# ${MIXMATE_MIXEVAL_CACHE:-~/.cache/mixmate/mixeval}), scrambles the stem gains with fixed seeds,
# runs the mix assistant and scores it against the equal-loudness baseline.
# Extra arguments go to the harness: --tune prints the role table fitted on the training songs,
# --songs a,b limits the songs, --scrambles N sets the seeds per song (default 4).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
artifacts="${MIXMATE_MIXEVAL_ARTIFACTS:-${TMPDIR:-/tmp}/mixmate-mixeval-build}"
cache="${MIXMATE_MIXEVAL_CACHE:-$HOME/.cache/mixmate/mixeval}"
dotnet run --project "$here/MixEval.csproj" -c Release --artifacts-path "$artifacts" -- \
  --cache "$cache" --out "$here/RESULTS.md" "$@"
