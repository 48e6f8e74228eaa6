#!/usr/bin/env bash
# Runs every MixMate test: installs what is missing, builds, runs the xunit suites and the native
# scenarios, and ends with one line "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
scripts/setup.sh --for test || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test MixMate.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=1

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

if [ -x native/run-tests.sh ]; then
  nlog="$(mktemp)"
  MIXMATE_ARDOUR_RENDER="${MIXMATE_ARDOUR_RENDER:-1}" native/run-tests.sh 2>&1 | tee "$nlog" || status=1
  np=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$nlog" | awk '{p+=$1; f+=$3} END {print p+0, f+0}')
  passed=$((passed + ${np% *}))
  failed=$((failed + ${np#* }))
  rm -f "$nlog"
fi

[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "${passed} passed, ${failed} failed"
exit "$status"
