#!/usr/bin/env bash
# Runs every MixMate test: installs what is missing, builds, runs the xunit suites and the native
# scenarios, and ends with one line "N passed, N failed, N skipped". A test that cannot set itself
# up (no mount rights, Ardour missing) counts as skipped, never as passed.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
scripts/setup.sh --for test || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test MixMate.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=1

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

if [ -x native/run-tests.sh ]; then
  nlog="$(mktemp)"
  MIXMATE_ARDOUR_RENDER="${MIXMATE_ARDOUR_RENDER:-1}" native/run-tests.sh 2>&1 | tee "$nlog" || status=1
  # Each part (Ardour checks, test host, installer) ends with "N passed, N failed[, N skipped]".
  read -r np nf ns < <(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/p' "$nlog" \
    | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
  passed=$((passed + np))
  failed=$((failed + nf))
  skipped=$((skipped + ns))
  rm -f "$nlog"
fi

[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
