#!/usr/bin/env bash
# Installs what MixMate needs on a Debian 12 machine with the .NET 10 SDK, then builds.
# Idempotent and quick when everything is in place. Usage: scripts/setup.sh [--for run|test] [--quiet]
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
say() { [ "$quiet" = 1 ] || echo "setup: $*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
# run: reading/writing audio, the reference meter, the demo's synthesiser and soundfont, the
# native build of the VST3 bundles.
packages=(libsndfile1 libebur128-1 fluidsynth fluid-soundfont-gm cmake g++)
if [ "$purpose" = test ]; then
  # test: independent references and benchmark peers (ffmpeg loudnorm, x42 limiter, sox), the
  # real host (Ardour), the browser for report rendering.
  packages+=(sox ffmpeg x42-plugins ardour)
  [ -f "$root/scripts/test-packages.txt" ] && mapfile -t -O "${#packages[@]}" packages < <(grep -v '^#' "$root/scripts/test-packages.txt" | sed '/^$/d')
fi
[ -f "$root/scripts/run-packages.txt" ] && mapfile -t -O "${#packages[@]}" packages < <(grep -v '^#' "$root/scripts/run-packages.txt" | sed '/^$/d')

# ONNX Runtime's native library comes from its npm package: npm itself may be missing.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# --- ONNX Runtime (native library from the npm package, checksum pinned) ----------------------
if [ -x "$root/scripts/fetch-onnxruntime.sh" ]; then
  "$root/scripts/fetch-onnxruntime.sh" >&2
fi

# --- Build (only when a source is newer than the last build) ---------------------------------
stamp="$root/artifacts/.build-stamp"
if [ ! -f "$stamp" ] || [ -n "$(find "$root/src" "$root/tests" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -newer "$stamp" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
  say "building (Release)"
  dotnet build "$root/MixMate.sln" -c Release -nologo -clp:ErrorsOnly -v:q >&2
  mkdir -p "$root/artifacts" && touch "$stamp"
fi

# --- Native VST3 bundles ----------------------------------------------------------------------
if [ -x "$root/native/build.sh" ]; then
  "$root/native/build.sh" >&2
fi

# --- Demo stems (rendered once with FluidSynth; cached) --------------------------------------
dotnet "$root/artifacts/bin/MixMate.Cli/release/mixmate.dll" demo --render-only >&2
