#!/usr/bin/env bash
# Builds the VST3 bundles (incrementally), lets real Ardour 7 tools load them when installed
# (its VST3 scanner; a headless render with MIXMATE_ARDOUR_RENDER=1), then runs the native test
# host on both bundles (the editors under a private Xvfb), opens both editors in Steinberg's
# editorhost and runs Tracktion's pluginval (strictness 10, GUI tests) when they are built locally,
# then checks the installer (installer/test-install.sh) and the release with
# the machine's .NET hidden (native/test-without-dotnet.sh). Exit status is
# non-zero on any failure; the Ardour checks, the test host and the installer check each print
# "N passed, N failed, N skipped" (a check that cannot set itself up, such as Ardour missing or
# the render not asked for, is skipped: never passed).
#   native/run-tests.sh            (honours the variables of native/build.sh)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}"
build="${MIXMATE_NATIVE_BUILD:-$root/native/build}"

"$root/native/build.sh" || exit 1

status=0
scanner=/usr/lib/ardour7/ardour-vst3-scanner
passed=0
failed=0
skipped=0
if [[ -x "$scanner" ]]; then
  echo "Ardour 7 VST3 scanner"
  cache="$(mktemp -d)"
  trap 'rm -rf "$cache"' EXIT
  check() { # bundle, expected attributes of the scanner's VST3Info...
    local bundle="$1"; shift
    local out
    # Ardour keeps its cache under $XDG_CACHE_HOME: use a private one.
    if ! out="$(XDG_CACHE_HOME="$cache" LD_LIBRARY_PATH=/usr/lib/ardour7 "$scanner" -f -v "$bundle" 2>&1)"; then
      echo "$out"; echo "  FAIL scanner exited non-zero on $bundle"; failed=$((failed + 1)); return
    fi
    for attr in "$@"; do
      if ! grep -q "$attr" <<<"$out"; then
        echo "$out"; echo "  FAIL $bundle: missing $attr"; failed=$((failed + 1)); return
      fi
    done
    echo "  ok   $(basename "$bundle") indexed"; passed=$((passed + 1))
  }
  check "$bundles/MixMate.vst3" 'name="MixMate"' 'category="Fx|Mastering"' 'n_inputs="2"' 'n_outputs="2"' 'n_midi_inputs="0"'
  check "$bundles/MixMate Tone.vst3" 'name="MixMate Tone"' 'category="Instrument|Synth"' 'n_inputs="0"' 'n_outputs="2"' 'n_midi_inputs="1"'
  echo "$passed passed, $failed failed, $skipped skipped"
  if [[ "${MIXMATE_ARDOUR_RENDER:-0}" == 1 ]] && command -v ardour7-lua >/dev/null; then
    echo "Ardour 7 headless render"
    "$root/native/ardour-render-test.sh" "$bundles" || status=1
  else
    echo "  SKIP ardour render: 2 renders (needs ardour7-lua and MIXMATE_ARDOUR_RENDER=1)"
    echo "0 passed, 0 failed, 2 skipped"
  fi
else
  echo "Ardour 7 not installed (apt-get install ardour): real-host checks skipped"
  echo "  SKIP 2 scanner checks, 2 renders"
  echo "0 passed, 0 failed, 4 skipped"
fi
[[ $failed == 0 ]] || status=1

echo "Test host"
"$build/mixmate-testhost" "$bundles/MixMate.vst3" "$bundles/MixMate Tone.vst3" || status=1

# Both editors in Steinberg's SDK editorhost under Xvfb (when built locally; prints its own
# summary line, skipped without it).
"$root/native/editorhost-test.sh" "$bundles" || status=1

# Tracktion's pluginval at strictness 10 with its GUI tests, under Xvfb (when built locally;
# prints its own summary line, skipped without it).
"$root/native/pluginval-test.sh" "$bundles" || status=1

# The installer as a user runs it (throw-away prefixes; prints its own summary line).
"$root/installer/test-install.sh" || status=1

# The release on a machine without .NET (root: the .NET folders hidden in a mount namespace).
"$root/native/test-without-dotnet.sh" || status=1
exit $status
