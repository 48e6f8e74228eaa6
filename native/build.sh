#!/usr/bin/env bash
# Builds the MixMate VST3 bundles: the native shim (CMake) and the managed core, compiled ahead of
# time (NativeAOT: dotnet publish -r linux-x64) into one shared library that each bundle carries as
# Contents/Resources/MixMate.Core.so. The bundles need no .NET on the user's machine. Incremental:
# when nothing changed it only asks CMake (a second or two) and skips the publish (the AOT compile
# takes a minute or more).
#
#   native/build.sh            → artifacts/vst3/MixMate.vst3, artifacts/vst3/MixMate Tone.vst3
# Environment:
#   MIXMATE_BUNDLE_DIR      where bundles are assembled (default: <repo>/artifacts/vst3)
#   MIXMATE_NATIVE_BUILD    CMake build directory (default: <repo>/native/build, git-ignored)
#   MIXMATE_DOTNET_ARTIFACTS  --artifacts-path for dotnet publish (default: MSBuild's own)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}"
build="${MIXMATE_NATIVE_BUILD:-$root/native/build}"
mkdir -p "$bundles" "$build"

if [[ ! -f "$build/CMakeCache.txt" ]] || ! grep -q "MIXMATE_BUNDLE_DIR:PATH=$bundles\$" "$build/CMakeCache.txt"; then
  cmake -S "$root/native" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMIXMATE_BUNDLE_DIR="$bundles" >/dev/null
fi
cmake --build "$build" -j"$(nproc)"

# Managed core: compile once into a staging folder, then copy into both bundles.
stage="$build/core"
stamp="$stage/.published"
sources=("$root/src/MixMate.Plugin" "$root/src/MixMate.Assistant" "$root/src/MixMate.Dsp" "$root/Directory.Build.props" "$root/Directory.Packages.props")
needs_publish=1
if [[ -f "$stamp" && -f "$stage/MixMate.Plugin.so" ]] && [[ -z "$(find "${sources[@]}" -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit)" ]]; then
  needs_publish=0
fi
if [[ $needs_publish == 1 ]]; then
  rm -rf "$stage"
  args=(publish "$root/src/MixMate.Plugin/MixMate.Plugin.csproj" -c Release -r linux-x64 -o "$stage" --nologo -v quiet -clp:ErrorsOnly)
  if [[ -n "${MIXMATE_DOTNET_ARTIFACTS:-}" ]]; then
    args+=(--artifacts-path "$MIXMATE_DOTNET_ARTIFACTS")
  fi
  dotnet "${args[@]}"
  [[ -f "$stage/MixMate.Plugin.so" ]] || { echo "native/build.sh: the AOT publish made no MixMate.Plugin.so" >&2; exit 1; }
  touch "$stamp"
fi

for name in "MixMate" "MixMate Tone"; do
  resources="$bundles/$name.vst3/Contents/Resources"
  mkdir -p "$resources"
  # The hostfxr-hosted assemblies of earlier builds.
  rm -f "$resources"/*.dll "$resources"/*.deps.json "$resources"/*.runtimeconfig.json
  # Copy only when newer, so an unchanged build leaves the bundles untouched.
  if [[ ! -f "$resources/MixMate.Core.so" || "$stage/MixMate.Plugin.so" -nt "$resources/MixMate.Core.so" ]]; then
    cp "$stage/MixMate.Plugin.so" "$resources/MixMate.Core.so"
  fi
done

# The mix session's ears (role detection) and its learned balance table in the effect's bundle:
# the checksummed models and the ONNX Runtime library of the Microsoft.ML.OnnxRuntime package the
# publish restored (Linux x64). The core finds both next to itself (dladdr: a DAW's base directory
# is the DAW's). Without them the session still balances, with every role unknown (it says so in
# its reasons).
resources="$bundles/MixMate.vst3/Contents/Resources"
mkdir -p "$resources/models/role" "$resources/models/balance"
cp -u "$root/models/SHA256SUMS" "$resources/models/"
cp -u "$root/models/role/role.onnx" "$resources/models/role/"
cp -u "$root/models/balance/role_offsets.json" "$resources/models/balance/"
# The editor's drawing library (SkiaSharp's NoDependencies build: no fontconfig or freetype from
# the system) and its font, DejaVu Sans from Debian's fonts-dejavu-core (Bitstream Vera licence:
# redistributable with software; its copyright file travels with it), in both bundles.
for name in "MixMate" "MixMate Tone"; do
  res="$bundles/$name.vst3/Contents/Resources"
  if [[ -f "$stage/libSkiaSharp.so" ]]; then
    cp -u "$stage/libSkiaSharp.so" "$res/"
  fi
  mkdir -p "$res/fonts"
  for face in DejaVuSans.ttf DejaVuSans-Bold.ttf; do
    if [[ -f "/usr/share/fonts/truetype/dejavu/$face" ]]; then
      cp -u "/usr/share/fonts/truetype/dejavu/$face" "$res/fonts/"
    fi
  done
  if [[ -f /usr/share/doc/fonts-dejavu-core/copyright ]]; then
    cp -u /usr/share/doc/fonts-dejavu-core/copyright "$res/fonts/DejaVu-LICENSE"
  fi
done

ort="$stage/libonnxruntime.so"
if [[ -f "$ort" ]]; then
  cp -u "$ort" "$resources/"
fi
rm -f "$resources/libonnxruntime.so.1" # the npm-fetched copy of earlier builds
echo "bundles: $bundles"
