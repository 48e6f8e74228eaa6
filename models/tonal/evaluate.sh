#!/usr/bin/env bash
# Rebuilds models/tonal/references.json (the tonal engine's content references) and the benchmark
# (benchmark.md, benchmark.json) from the dev set (shared/eval/build-devset.sh DEVSET) and
# espeak-ng speech. Usage: models/tonal/evaluate.sh [DEVSET] [--trials N] [--sweep]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
devset="${1:-/work/devset}"
shift || true
artifacts="${MIXMATE_TONAL_ARTIFACTS:-${TMPDIR:-/tmp}/mixmate-tonal-build}"
dotnet run --project "$here/TonalEval.csproj" -c Release --artifacts-path "$artifacts" -- \
  --devset "$devset" --out "$here" "$@"
