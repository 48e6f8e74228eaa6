#!/usr/bin/env bash
# Builds the release `mixmate` command: compiled ahead of time (NativeAOT, dotnet publish -r
# linux-x64 -p:PublishAot=true), so it runs without .NET, into artifacts/cli/ with what it loads
# beside it: libonnxruntime.so (Microsoft.ML.OnnxRuntime) and the checksummed models. The
# ./mixmate launcher of a checkout keeps running the JIT build (quick to rebuild); the installer
# and the release tarball ship this one. Incremental: skipped when no source is newer than the
# last build.
#   scripts/build-cli.sh            (MIXMATE_CLI_DIR: output folder; MIXMATE_DOTNET_ARTIFACTS as in native/build.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${MIXMATE_CLI_DIR:-$root/artifacts/cli}"
stamp="$out/.built"
sources=("$root/src/MixMate.Cli" "$root/src/MixMate.Assistant" "$root/src/MixMate.Dsp" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/models" "$root/targets")
if [[ -f "$stamp" && -x "$out/mixmate" && -d "$out/targets" ]] && [[ -z "$(find "${sources[@]}" -newer "$stamp" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.onnx' -o -name SHA256SUMS -o -name '*.json' \) -not -path '*/obj/*' -print -quit)" ]]; then
  exit 0
fi
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
args=(publish "$root/src/MixMate.Cli/MixMate.Cli.csproj" -c Release -r linux-x64 -p:PublishAot=true -o "$stage" --nologo -v quiet -clp:ErrorsOnly)
if [[ -n "${MIXMATE_DOTNET_ARTIFACTS:-}" ]]; then
  args+=(--artifacts-path "$MIXMATE_DOTNET_ARTIFACTS")
fi
touch "$stage/.started"
dotnet "${args[@]}"
[[ -x "$stage/mixmate" ]] || { echo "scripts/build-cli.sh: the AOT publish made no mixmate" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/models/role" "$out/models/balance"
cp "$stage/mixmate" "$stage/libonnxruntime.so" "$out/"
cp "$root/models/SHA256SUMS" "$out/models/"
cp "$root/models/role/role.onnx" "$out/models/role/"
cp "$root/models/balance/role_offsets.json" "$out/models/balance/"
mkdir -p "$out/targets"
cp "$root"/targets/*.json "$out/targets/"
mv "$stage/.started" "$stamp"
echo "mixmate: $out/mixmate"
