#!/usr/bin/env bash
# Runs Tracktion's pluginval (a locally built copy, never in the repository: MIXMATE_PLUGINVAL or
# /opt/pluginval/pluginval) at strictness level 10 on both bundles under a private Xvfb, WITH its
# GUI tests (Editor, Open editor whilst processing, Editor Automation, Background thread state).
# A bundle passes when pluginval exits 0, reports SUCCESS, its log shows the 4 GUI tests ran and a
# screenshot taken while it runs shows the editor drew (over 100 distinct colours).
# Without pluginval or Xvfb the checks are skipped, never passed. Last line:
# "N passed, N failed, N skipped".
#   native/pluginval-test.sh [BUNDLE_DIR]      (default: <repo>/artifacts/vst3)
# Environment: MIXMATE_PLUGINVAL_LOGS=DIR keeps pluginval's logs, MIXMATE_EDITOR_SCREENSHOTS=DIR
# the most colourful screenshot (PPM); MIXMATE_PLUGINVAL_ARGS adds arguments (e.g. "--random-seed
# 0x1234 --repeat 3 --randomise").
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${1:-${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}}"
build="${MIXMATE_NATIVE_BUILD:-$root/native/build}"
pluginval="${MIXMATE_PLUGINVAL:-/opt/pluginval/pluginval}"
testhost="$build/mixmate-testhost"
names=("MixMate" "MixMate Tone")

echo "Tracktion's pluginval (strictness 10, GUI tests)"
skip_all() {
  for n in "${names[@]}"; do echo "  SKIP pluginval on $n: $1"; done
  echo "0 passed, 0 failed, ${#names[@]} skipped"
  exit 0
}
[[ -x "$pluginval" ]] || skip_all "no pluginval at $pluginval (build it from source; see docs/editor.md)"
command -v Xvfb >/dev/null || skip_all "Xvfb is not installed"
[[ -x "$testhost" ]] || skip_all "no test host at $testhost (native/build.sh)"

work="$(mktemp -d)"
xvfb_pid=""
pv_pid=""
cleanup() {
  [[ -n "$pv_pid" ]] && kill "$pv_pid" 2>/dev/null
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=native/private-xvfb.sh
source "$root/native/private-xvfb.sh"
start_private_xvfb

# pluginval reads its options from the environment too: none of the caller's may turn the GUI
# tests off or change the level.
unset SKIP_GUI_TESTS STRICTNESS_LEVEL TIMEOUT_MS DISABLED_TESTS REPEAT RANDOMISE SAMPLE_RATES BLOCK_SIZES \
  OUTPUT_DIR OUTPUT_FILENAME VST3VALIDATOR
read -r -a extra <<<"${MIXMATE_PLUGINVAL_ARGS:-}"

passed=0
failed=0
for n in "${names[@]}"; do
  log="$work/$n.log"
  start=$SECONDS
  # A test that prints nothing for 5 minutes fails (the default, 30 s, is too short for this
  # shared 2-core machine).
  "$pluginval" --strictness-level 10 --timeout-ms 300000 "${extra[@]}" --validate "$bundles/$n.vst3" >"$log" 2>&1 &
  pv_pid=$!
  # While it runs, the screen shows the editors its GUI tests open (Editor Automation keeps one
  # open for 10 s at this level): the most distinct colours on a screenshot tells whether the
  # editor drew real content inside pluginval's window, not just that createView succeeded.
  colours=0
  while kill -0 "$pv_pid" 2>/dev/null; do
    sleep 1
    c="$("$testhost" --x-screenshot "$work/shot.ppm" 1280 800 2>/dev/null || echo 0)"
    [[ "$c" =~ ^[0-9]+$ ]] || c=0
    if (( c > colours )); then
      colours=$c
      [[ -n "${MIXMATE_EDITOR_SCREENSHOTS:-}" ]] && cp "$work/shot.ppm" "$MIXMATE_EDITOR_SCREENSHOTS/pluginval-$n.ppm"
    fi
  done
  wait "$pv_pid"
  rc=$?
  pv_pid=""
  took=$((SECONDS - start))
  [[ -n "${MIXMATE_PLUGINVAL_LOGS:-}" ]] && mkdir -p "$MIXMATE_PLUGINVAL_LOGS" && cp "$log" "$MIXMATE_PLUGINVAL_LOGS/pluginval-$n.log"
  gui=0
  for t in "Editor" "Open editor whilst processing" "Editor Automation" "Background thread state"; do
    grep -qF "Starting tests in: pluginval / $t..." "$log" && gui=$((gui + 1))
  done
  if [[ $rc == 0 ]] && grep -q '^SUCCESS' "$log" && [[ $gui == 4 ]] && (( colours > 100 )); then
    echo "  ok   pluginval passes $n at strictness 10 with its 4 GUI tests (editor on screen: $colours distinct colours; ${took} s)"
    passed=$((passed + 1))
  else
    echo "  FAIL pluginval on $n (exit $rc, $gui of 4 GUI tests started, at most $colours colours on screen, ${took} s); its output:"
    grep -E 'FAILED|!!!|Starting tests in' "$log" | tail -n 20 | sed 's/^/    /'
    tail -n 20 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed, 0 skipped"
[[ $failed == 0 ]]
