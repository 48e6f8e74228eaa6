#!/usr/bin/env bash
# Renders audio through the MixMate bundle inside Ardour 7 (headless, Dummy backend) using
# /work/shared/tools/ardour-render.lua (or $MIXMATE_ARDOUR_RENDER_LUA), and checks the result:
#   1. default settings: a −12 dBFS sine comes out unchanged (peak and RMS within 0.05 dB);
#   2. input gain +24 dB: the true-peak limiter holds the Spotify ceiling (−1 dBTP), so the
#      sample peak lies in [−1.5, −0.95] dBFS.
# Every attempt renders a control first (the same session, no plug-in: native/ardour-control-render.lua)
# and then the plug-in, each from a fresh copy of the session. A check passes when the plug-in's
# render passes; it fails when the plug-in's render has the wrong levels while the control under
# the same conditions came out right (a plug-in fault, intermittent or not). Only Ardour's own
# faults (the control failing too, or the full-scale export glitch described below) repeat an
# attempt, up to three; a check left without a clean render is skipped, never passed. Each
# result says its attempt count.
# Runs in a private HOME so the user's ~/.vst3 and Ardour cache are untouched.
#   native/ardour-render-test.sh BUNDLE_DIR  (exit 0 = no failure; prints "N passed, N failed, N skipped")
set -euo pipefail

bundles="${1:?usage: $0 BUNDLE_DIR}"
lua="${MIXMATE_ARDOUR_RENDER_LUA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/tools/ardour-render.lua}"
[[ -f "$lua" ]] || lua=/work/shared/tools/ardour-render.lua
work="$(mktemp -d)"
trap '[[ -n "${MIXMATE_KEEP:-}" ]] || rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME/.vst3"
# -a keeps the build times: Ardour trusts its scan cache only when it is newer than the module.
cp -a "$bundles/MixMate.vst3" "$HOME/.vst3/"
sox -n -r 48000 -c 2 -b 24 "$work/in.wav" synth 6 sine 440 gain -12
# Ardour may abort at exit after writing the session: only a missing session is a failed set-up.
timeout 300 ardour7-lua "$lua" setup "$work/session" "$work/in.wav" >"$work/setup.log" 2>&1 || true
if [[ ! -f "$work/session/render.ardour" ]]; then
  tail -5 "$work/setup.log"
  echo "  SKIP ardour render: Ardour could not create the session: both renders skipped"
  echo "0 passed, 0 failed, 2 skipped"
  exit 0
fi
# Scan after Ardour's first start in this HOME (which initialises its cache folders).
LD_LIBRARY_PATH=/usr/lib/ardour7 /usr/lib/ardour7/ardour-vst3-scanner -f "$HOME/.vst3/MixMate.vst3" >/dev/null 2>&1

cp -a "$work/session" "$work/pristine"
control_lua="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ardour-control-render.lua"

passed=0
failed=0
skipped=0
# Levels of a render over all channels: peak and RMS in dBFS of the samples below full scale,
# and the count of full-scale samples (Ardour's own export glitch, see below; neither check can
# legitimately reach full scale).
levels() { # file -> "P R N"
  sox "$1" -t dat - 2>/dev/null | awk '/^; Channels/ { ch = $3 } !/^;/ { for (i = 2; i <= ch + 1; i++) { x = $i < 0 ? -$i : $i
      if (x >= 0.9999) { full++ } else { s += x * x; n++; if (x > pk) pk = x } } }
    END { p = pk > 0 ? 20 * log(pk) / log(10) : -999; r = n > 0 ? 10 * log(s / n) / log(10) : -999
      printf "%.2f %.2f %d\n", p, r, full + 0 }'
}
# file, condition (awk expression over p and r): prints what it measured; status 0 = meets it
# with no full-scale sample, 2 = meets it apart from full-scale samples, 1 = fails.
meets() {
  [[ -f "$1" ]] || { echo "no output"; return 1; }
  local p r n
  read -r p r n < <(levels "$1")
  echo "peak $p dB, RMS $r dB$([[ $n == 0 ]] || echo ", $n full-scale samples")"
  awk -v p="$p" -v r="$r" "BEGIN { exit !($2) }" || return 1
  [[ $n == 0 ]] || return 2
}
fresh_session() { rm -rf "$work/session" && cp -a "$work/pristine" "$work/session"; }
# The control: no plug-in, so the input comes out as it went in.
transparent="p > -12.05 && p < -11.95 && r > -15.06 && r < -14.96"

# Ardour 7.3's headless session (luasession) is itself flaky here: with no plug-in at all it
# aborts at exit with heap corruption in about 1 of 4 runs and, in about 1 of 8, writes a few
# full-scale samples per 2048-frame export block. The control render without the plug-in tells
# a plug-in fault from Ardour's: a plug-in render whose levels are wrong while the control came
# out right fails at once. A render whose levels are right but that holds full-scale samples
# (Ardour's glitch) is repeated, and so is a render with no file at all (Ardour crashed before its
# export; about 1 in 10 here); in all three attempts beside clean controls, either fails too.
render() { # output, condition, name, args for the plug-in...
  local out="$1" cond="$2" name="$3"; shift 3
  local attempt control plugin control_ok rc glitches=0 crashes=0 clean_controls=0
  for attempt in 1 2 3; do
    fresh_session
    rm -f "$work/control-$out" "$work/$out"
    timeout 300 ardour7-lua "$control_lua" "$work/session" "$work/control-$out" >"$work/control-$out.log" 2>&1 || true
    control_ok=0
    control="$(meets "$work/control-$out" "$transparent")" && control_ok=1
    clean_controls=$((clean_controls + control_ok))
    fresh_session
    timeout 300 ardour7-lua "$lua" render "$work/session" "$work/$out" "$@" >"$work/$out.log" 2>&1 || true
    rc=0
    plugin="$(meets "$work/$out" "$cond")" || rc=$?
    if [[ $rc == 0 ]]; then
      echo "  ok   ardour render: $name ($plugin; attempt $attempt of 3, control $([[ $control_ok == 1 ]] && echo ok || echo "failed: $control"))"
      passed=$((passed + 1)); return
    fi
    if [[ $rc == 1 && $control_ok == 1 && ! -f "$work/$out" ]]; then
      # No file at all: Ardour died before exporting. Under gdb that was a segfault on its main
      # thread in ARDOUR::SimpleExport::set_preset -> PBD::UUID::to_s, no plug-in frame on the
      # stack (MixMate's threads idle); it strikes the control's identical export call as well.
      # Retried like Ardour's other faults; a crash in every attempt beside clean controls fails.
      crashes=$((crashes + 1))
      echo "       attempt $attempt: Ardour died before exporting the plug-in render (control: $control), retrying"
      continue
    fi
    if [[ $rc == 1 && $control_ok == 1 ]]; then
      echo "  FAIL ardour render: $name ($plugin; attempt $attempt of 3) while the control without the plug-in came out right ($control)"
      tail -5 "$work/$out.log"; failed=$((failed + 1)); return
    fi
    if [[ $rc == 2 ]]; then
      glitches=$((glitches + 1))
      echo "       attempt $attempt: the plug-in render has Ardour's full-scale glitch ($plugin; control: $control), retrying"
    else
      echo "       attempt $attempt: the plug-in render ($plugin) and the control without it ($control) both failed: Ardour's fault, retrying"
    fi
  done
  if [[ $crashes == 3 && $clean_controls == 3 ]]; then
    echo "  FAIL ardour render: $name: Ardour died before exporting in all 3 plug-in renders while every control was clean"
    tail -5 "$work/$out.log"; failed=$((failed + 1)); return
  fi
  if [[ $glitches == 3 && $clean_controls == 3 ]]; then
    echo "  FAIL ardour render: $name: full-scale samples in all 3 plug-in renders while every control was clean"
    failed=$((failed + 1)); return
  fi
  echo "  SKIP ardour render: $name: no attempt of 3 gave a plug-in render free of Ardour's own faults (controls clean in $clean_controls)"
  skipped=$((skipped + 1))
}

render unity.wav "$transparent" "default settings are transparent" "MixMate"
# Ardour's Lua API sets plain values: parameter index 5 is Input Gain in dB.
render loud.wav "p >= -1.5 && p <= -0.95" "+24 dB is held at the -1 dBTP ceiling" "MixMate" 5 24
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]]
