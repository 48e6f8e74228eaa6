#!/usr/bin/env bash
# Builds the MixMate VST3 bundles: the native shim (CMake) and the managed plug-in
# (dotnet publish into each bundle's Contents/Resources). Incremental: when nothing changed it
# only asks CMake (a second or two) and skips the publish.
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

# Managed part: publish once into a staging folder, then copy into both bundles.
stage="$build/managed"
stamp="$stage/.published"
sources=("$root/src/MixMate.Plugin" "$root/src/MixMate.Assistant" "$root/src/MixMate.Dsp" "$root/Directory.Build.props" "$root/Directory.Packages.props")
needs_publish=1
if [[ -f "$stamp" ]] && [[ -z "$(find "${sources[@]}" -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit)" ]]; then
  needs_publish=0
fi
if [[ $needs_publish == 1 ]]; then
  args=(publish "$root/src/MixMate.Plugin/MixMate.Plugin.csproj" -c Release -o "$stage" --nologo -v quiet)
  if [[ -n "${MIXMATE_DOTNET_ARTIFACTS:-}" ]]; then
    args+=(--artifacts-path "$MIXMATE_DOTNET_ARTIFACTS")
  fi
  dotnet "${args[@]}"
  touch "$stamp"
fi

for name in "MixMate" "MixMate Tone"; do
  resources="$bundles/$name.vst3/Contents/Resources"
  mkdir -p "$resources"
  for f in "$stage"/*.dll "$stage"/*.deps.json "$stage"/*.runtimeconfig.json; do
    # -u: copy only when newer, so an unchanged build leaves the bundles untouched
    cp -u "$f" "$resources/"
  done
done

# The mix session's ears (role detection) and its learned balance table in the effect's bundle:
# the checksummed models and the ONNX Runtime library of the Microsoft.ML.OnnxRuntime package the
# publish restored (Linux x64). A component loaded through hostfxr has no base directory, so
# MixMate.Assistant finds it next to its own assembly. Without them the session still balances,
# with every role unknown (it says so in its reasons).
resources="$bundles/MixMate.vst3/Contents/Resources"
mkdir -p "$resources/models/role" "$resources/models/eq" "$resources/models/balance"
cp -u "$root/models/SHA256SUMS" "$resources/models/"
cp -u "$root/models/role/role.onnx" "$resources/models/role/"
cp -u "$root/models/eq/eq.onnx" "$resources/models/eq/"
cp -u "$root/models/balance/role_offsets.json" "$resources/models/balance/"
ort="$stage/runtimes/linux-x64/native/libonnxruntime.so"
if [[ -f "$ort" ]]; then
  cp -u "$ort" "$resources/"
fi
rm -f "$resources/libonnxruntime.so.1" # the npm-fetched copy of earlier builds
echo "bundles: $bundles"
