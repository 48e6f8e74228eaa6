#!/usr/bin/env bash
# Installs what MixMate needs on a Debian 12 machine with the .NET 10 SDK, then builds.
# Idempotent and quick when everything is in place. Usage: scripts/setup.sh [--for run|test] [--quiet]
# --quiet (the ./mixmate launcher): prints nothing when nothing needs doing; when something does,
# one progress line on stderr, the tools' output goes to artifacts/setup.log and is shown only
# when a step fails. Demo stems are then left to `mixmate demo`, which renders them on demand.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purpose=run
quiet=0
while [ $# -gt 0 ]; do
  case "$1" in
    --for) purpose="$2"; shift 2 ;;
    --quiet) quiet=1; shift ;;
    *) echo "setup: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log="$root/artifacts/setup.log"
announced=0
say() {
  if [ "$quiet" = 1 ]; then
    [ "$announced" = 1 ] || echo "mixmate: setting up and building (one time; log in artifacts/setup.log)" >&2
    announced=1
  else
    echo "setup: $*" >&2
  fi
}
# step CMD...: runs a tool; quiet, its output goes to the log and is shown only if it fails.
step() {
  if [ "$quiet" = 1 ]; then
    mkdir -p "$root/artifacts"
    if ! "$@" >>"$log" 2>&1; then
      echo "mixmate: set-up failed running '$*'; the last lines of $log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
  else
    "$@" >&2
  fi
}

# --- Debian packages -------------------------------------------------------------------------
# run: reading/writing audio, the reference meter, the demo's synthesiser and soundfont, the
# native build of the VST3 bundles (clang: the NativeAOT compiler's linker driver for the
# plug-ins' core and the release command; X11 and XTest headers (the bundles and the test host
# built beside them) and the font the plug-in editors ship).
packages=(libsndfile1 libebur128-1 fluidsynth fluid-soundfont-gm cmake g++ clang libx11-dev libxext-dev libxtst-dev fonts-dejavu-core)
if [ "$purpose" = test ]; then
  # test: independent references and benchmark peers (ffmpeg loudnorm, x42 limiter, sox), the
  # real host (Ardour), the browser for report rendering, a headless X server for the
  # editor tests.
  packages+=(sox ffmpeg x42-plugins ardour xvfb)
  [ -f "$root/scripts/test-packages.txt" ] && mapfile -t -O "${#packages[@]}" packages < <(grep -v '^#' "$root/scripts/test-packages.txt" | sed '/^$/d')
fi
[ -f "$root/scripts/run-packages.txt" ] && mapfile -t -O "${#packages[@]}" packages < <(grep -v '^#' "$root/scripts/run-packages.txt" | sed '/^$/d')

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  step $sudo apt-get update -qq
  step env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# ONNX Runtime, NAudio and MathNet come from NuGet with the build (Directory.Packages.props).

# --- Build (only when a source is newer than the last build) ---------------------------------
stamp="$root/artifacts/.build-stamp"
if [ ! -f "$stamp" ] || [ -n "$(find "$root/src" "$root/tests" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -newer "$stamp" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
  say "building (Release)"
  mkdir -p "$root/artifacts"
  touch "$stamp.new"
  step dotnet build "$root/MixMate.sln" -c Release -nologo -clp:ErrorsOnly -v:q
  mv -f "$stamp.new" "$stamp"
fi

# --- Native VST3 bundles (again only when the shim or the managed plug-in changed) ------------
native_stamp="$root/artifacts/.native-stamp"
if [ -x "$root/native/build.sh" ]; then
  if [ ! -f "$native_stamp" ] || [ ! -d "$root/artifacts/vst3/MixMate.vst3" ] || [ -n "$(find "$root/native" "$root/src/MixMate.Plugin" "$root/src/MixMate.Assistant" "$root/src/MixMate.Dsp" "$root/models" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
        -newer "$native_stamp" -type f -not -path "$root/native/build/*" -not -path '*/obj/*' -not -path '*/bin/*' -not -name '*.md' -print -quit)" ]; then
    say "building the VST3 bundles"
    touch "$native_stamp.new"
    step "$root/native/build.sh"
    mv -f "$native_stamp.new" "$native_stamp"
  fi
fi

# --- Demo stems (rendered once with FluidSynth; cached) --------------------------------------
if [ "$quiet" = 0 ]; then
  dotnet "$root/artifacts/bin/MixMate.Cli/release/mixmate.dll" demo --render-only >&2
fi
