#!/usr/bin/env bash
# Opens both editors in Steinberg's SDK editorhost (a locally built copy, never in the
# repository: MIXMATE_EDITORHOST or /opt/vst3-editorhost/editorhost) under a private Xvfb, and
# checks each draws real content (a screenshot with over 100 distinct colours within 60 s).
# Without editorhost or Xvfb the checks are skipped, never passed. Last line:
# "N passed, N failed, N skipped".
#   native/editorhost-test.sh [BUNDLE_DIR]      (default: <repo>/artifacts/vst3)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${1:-${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}}"
build="${MIXMATE_NATIVE_BUILD:-$root/native/build}"
host="${MIXMATE_EDITORHOST:-/opt/vst3-editorhost/editorhost}"
testhost="$build/mixmate-testhost"
names=("MixMate" "MixMate Tone")

echo "Steinberg's editorhost"
skip_all() {
  for n in "${names[@]}"; do echo "  SKIP editorhost opens $n's editor: $1"; done
  echo "0 passed, 0 failed, ${#names[@]} skipped"
  exit 0
}
[[ -x "$host" ]] || skip_all "no editorhost at $host (build it from the SDK; see docs/editor.md)"
command -v Xvfb >/dev/null || skip_all "Xvfb is not installed"
[[ -x "$testhost" ]] || skip_all "no test host at $testhost (native/build.sh)"

work="$(mktemp -d)"
xvfb_pid=""
host_pid=""
cleanup() {
  [[ -n "$host_pid" ]] && kill "$host_pid" 2>/dev/null
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=native/private-xvfb.sh
source "$root/native/private-xvfb.sh"
start_private_xvfb

passed=0
failed=0
for n in "${names[@]}"; do
  "$host" "$bundles/$n.vst3" >"$work/host.log" 2>&1 &
  host_pid=$!
  colours=0
  for _ in $(seq 1 60); do
    sleep 1
    colours="$("$testhost" --x-screenshot "$work/shot.ppm" 1000 700 2>/dev/null || echo 0)"
    [[ "$colours" =~ ^[0-9]+$ ]] || colours=0
    (( colours > 100 )) && break
    kill -0 "$host_pid" 2>/dev/null || break
  done
  kill "$host_pid" 2>/dev/null
  wait "$host_pid" 2>/dev/null
  host_pid=""
  if (( colours > 100 )); then
    echo "  ok   editorhost opens $n's editor ($colours distinct colours on screen)"
    passed=$((passed + 1))
    [[ -n "${MIXMATE_EDITOR_SCREENSHOTS:-}" ]] && cp "$work/shot.ppm" "$MIXMATE_EDITOR_SCREENSHOTS/editorhost-$n.ppm"
  else
    echo "  FAIL editorhost did not show $n's editor ($colours colours); its output:"
    sed 's/^/    /' "$work/host.log" | tail -n 20
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed, 0 skipped"
[[ $failed == 0 ]]
