#!/usr/bin/env bash
# Checks the release the way a producer without .NET gets it: builds the release tarball
# (installer/install.sh --tarball), then, in a private mount namespace (unshare -m) where every
# .NET install folder of this machine is covered by an empty bind mount, installs it from the
# tarball and runs: the test host's scenarios on both installed bundles, Ardour 7's VST3 scanner,
# Steinberg's validator -e (when built locally: MIXMATE_VST3_VALIDATOR or /opt/vst3-validator/
# validator; never in the repository), and the installed `mixmate --version`, `analyze`, `master`
# and `suggest` (the role model through ONNX Runtime) on a generated file. Needs root for the
# mounts; without it every check is skipped, never passed. The last line is
# "N passed, N failed, N skipped"; exit status non-zero on any failure. Run by native/run-tests.sh.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MIXMATE_NATIVE_BUILD:-$root/native/build}"
checks=("the machine's .NET is hidden" "install from the tarball" "test host on both installed bundles"
  "Ardour's scanner indexes both bundles" "Steinberg's validator -e passes MixMate" "Steinberg's validator -e passes MixMate Tone"
  "mixmate --version" "mixmate analyze" "mixmate master" "mixmate suggest (role model, ONNX Runtime)")

echo "Without .NET (the machine's .NET install hidden)"
skip_all() {
  for c in "${checks[@]}"; do echo "  SKIP $c: $1"; done
  echo "0 passed, 0 failed, ${#checks[@]} skipped"
  exit 0
}
[[ "$(id -u)" == 0 ]] || skip_all "needs root for unshare -m and bind mounts"
command -v unshare >/dev/null || skip_all "unshare (util-linux) is missing"
unshare -m true 2>/dev/null || skip_all "unshare -m is not permitted here"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! "$root/installer/install.sh" --tarball "$work/release" >"$work/tarball.log" 2>&1; then
  sed 's/^/       /' "$work/tarball.log"
  echo "  FAIL building the release tarball"
  echo "0 passed, 1 failed, $((${#checks[@]} - 1)) skipped"
  exit 1
fi
tar -C "$work/release" -xzf "$work/release"/mixmate-vst3-*.tar.gz

# Every place a .NET runtime could be found: the dotnet on PATH, the usual install folders,
# DOTNET_ROOT, ~/.dotnet, /etc/dotnet (install_location files), and the NuGet cache (which holds
# runtime packs and ONNX Runtime: the release must use only what it carries).
hide=()
if command -v dotnet >/dev/null; then hide+=("$(dirname "$(readlink -f "$(command -v dotnet)")")"); fi
for d in /usr/share/dotnet /usr/lib/dotnet /usr/local/share/dotnet /opt/dotnet "$HOME/.dotnet" "$HOME/.nuget" /etc/dotnet "${DOTNET_ROOT:-}"; do
  [[ -n "$d" && -d "$d" ]] && hide+=("$d")
done
mkdir -p "$work/empty"

validator="${MIXMATE_VST3_VALIDATOR:-/opt/vst3-validator/validator}"
cat >"$work/inner.sh" <<'INNER'
set -uo pipefail
work="$1"; build="$2"; validator="$3"; shift 3
for d in "$@"; do mount --bind "$work/empty" "$d" || { echo "cannot hide $d"; exit 2; }; done
unset DOTNET_ROOT DOTNET_HOST_PATH MSBuildExtensionsPath MSBuildSDKsPath
export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" PATH="$work/inst/bin:$PATH"
mkdir -p "$HOME"
passed=0; failed=0; skipped=0
result() { # rc what [log]
  if [[ $1 == 0 ]]; then passed=$((passed + 1)); echo "  ok   $2"
  elif [[ $1 == 77 ]]; then skipped=$((skipped + 1)); echo "  SKIP $2: $(tail -1 "$3")"
  else failed=$((failed + 1)); echo "  FAIL $2"; [[ -n "${3:-}" ]] && sed 's/^/       /' "$3" | tail -40; fi
}
run() { local what="$1"; shift; local rc=0; "$@" >"$work/out" 2>&1 || rc=$?; result $rc "$what" "$work/out"; }

hidden() {
  ! command -v dotnet >/dev/null 2>&1 || ! dotnet --info >/dev/null 2>&1 || { echo "dotnet still runs"; return 1; }
  local found; found="$(find "$@" -name 'libhostfxr.so' -o -name 'libcoreclr.so' 2>/dev/null | head -1)"
  [[ -z "$found" ]] || { echo "still visible: $found"; return 1; }
}
run "the machine's .NET is hidden" hidden "$@"
pkg="$(ls -d "$work"/release/mixmate-vst3-*/)"
run "install from the tarball" "$pkg/installer/install.sh" --prefix "$work/inst/lib/vst3"
vst3="$work/inst/lib/vst3"
run "test host on both installed bundles" "$build/mixmate-testhost" "$vst3/MixMate.vst3" "$vst3/MixMate Tone.vst3"

scan() {
  local scanner=/usr/lib/ardour7/ardour-vst3-scanner
  [[ -x "$scanner" ]] || { echo "Ardour 7 is not installed (apt-get install ardour)"; return 77; }
  for n in "MixMate" "MixMate Tone"; do
    LD_LIBRARY_PATH=/usr/lib/ardour7 "$scanner" -f -v "$vst3/$n.vst3" >"$work/scan" 2>&1 || { cat "$work/scan"; return 1; }
    grep -q "name=\"$n\"" "$work/scan" || { cat "$work/scan"; return 1; }
    grep -q "Failed\|No plugins" "$work/scan" && { cat "$work/scan"; return 1; }
  done
  echo "both indexed"
}
run "Ardour's scanner indexes both bundles" scan

validate() { # bundle
  [[ -x "$validator" ]] || { echo "Steinberg's validator is not built here (MIXMATE_VST3_VALIDATOR or /opt/vst3-validator/validator)"; return 77; }
  "$validator" -e "$1" >"$work/validator" 2>&1; local rc=$?
  tail -15 "$work/validator"
  [[ $rc == 0 ]] && grep -q "Result: .* tests passed, 0 tests failed" "$work/validator"
}
run "Steinberg's validator -e passes MixMate" validate "$vst3/MixMate.vst3"
run "Steinberg's validator -e passes MixMate Tone" validate "$vst3/MixMate Tone.vst3"

mm="$work/inst/bin/mixmate"
run "mixmate --version" bash -c "'$mm' --version | grep -E '^mixmate [0-9.]+ .*ONNX Runtime 1\.'"
audio() {
  command -v sox >/dev/null || { echo "sox is missing (apt-get install sox)"; return 77; }
  sox -n -r 48000 -c 2 -b 24 "$work/in.wav" synth 12 pinknoise synth 12 sine mix 220 vol 0.25 2>&1
}
if audio >"$work/out" 2>&1; then
  run "mixmate analyze" bash -c "'$mm' analyze --json '$work/in.wav' | grep -q '\"integratedLufs\"'"
  run "mixmate master" bash -c "'$mm' master '$work/in.wav' -o '$work/master.wav' --target spotify --report '$work/master.json' \
    && '$mm' analyze --json '$work/master.wav' > '$work/after.json' && grep -Eq '\"integratedLufs\": *-1[345](\.|,)' '$work/after.json'"
  run "mixmate suggest (role model, ONNX Runtime)" bash -c "'$mm' suggest --json '$work/in.wav' | grep -q '\"roleSource\": *\"model\"'"
else
  for c in "mixmate analyze" "mixmate master" "mixmate suggest (role model, ONNX Runtime)"; do result 77 "$c" "$work/out"; done
fi
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]]
INNER
unshare -m --propagation private bash "$work/inner.sh" "$work" "$build" "$validator" "${hide[@]}"
