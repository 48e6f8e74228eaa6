#!/usr/bin/env bash
# Installs the MixMate VST3 bundles ("MixMate.vst3", "MixMate Tone.vst3").
#
#   installer/install.sh                 build if needed, install to ~/.vst3
#   installer/install.sh --system        install to /usr/lib/vst3 (needs root)
#   installer/install.sh --prefix DIR    install to DIR (e.g. /usr/local/lib/vst3)
#   installer/install.sh --uninstall [--system | --prefix DIR]
#   installer/install.sh --tarball [OUT_DIR]   build a release tarball instead of installing
#
# The bundles need a .NET 10 runtime (Microsoft.NETCore.App) on the machine; the plug-ins find
# it the way `dotnet` does (DOTNET_ROOT, /etc/dotnet/install_location, /usr/share/dotnet,
# /usr/lib/dotnet). Hosts search ~/.vst3, /usr/lib/vst3 and /usr/local/lib/vst3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}"
names=("MixMate" "MixMate Tone")
dest="$HOME/.vst3"
action=install
out_dir="$root/artifacts"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --system) dest=/usr/lib/vst3 ;;
    --prefix) dest="${2:?--prefix needs a directory}"; shift ;;
    --uninstall) action=uninstall ;;
    --tarball) action=tarball; if [[ $# -gt 1 && "$2" != --* ]]; then out_dir="$2"; shift; fi ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

build_if_needed() {
  # build.sh is incremental: a no-op when the bundles are current.
  "$root/native/build.sh" >/dev/null
  for n in "${names[@]}"; do
    [[ -f "$bundles/$n.vst3/Contents/x86_64-linux/$n.so" && -f "$bundles/$n.vst3/Contents/Resources/MixMate.Plugin.dll" ]] \
      || { echo "bundle $n.vst3 is incomplete after the build" >&2; exit 1; }
  done
}

case "$action" in
  install)
    build_if_needed
    mkdir -p "$dest"
    for n in "${names[@]}"; do
      rm -rf "${dest:?}/$n.vst3"
      cp -r "$bundles/$n.vst3" "$dest/"
      echo "installed $dest/$n.vst3"
    done
    if ! command -v dotnet >/dev/null && [[ ! -d /usr/share/dotnet/shared/Microsoft.NETCore.App && ! -d /usr/lib/dotnet/shared/Microsoft.NETCore.App ]]; then
      echo "warning: no .NET runtime found; install the .NET 10 runtime for the plug-ins to load" >&2
    fi
    ;;
  uninstall)
    for n in "${names[@]}"; do
      if [[ -d "$dest/$n.vst3" ]]; then
        rm -rf "${dest:?}/$n.vst3"
        echo "removed $dest/$n.vst3"
      fi
    done
    ;;
  tarball)
    build_if_needed
    version="$(sed -n 's/.*"Version": "\([^"]*\)".*/\1/p' "$bundles/MixMate.vst3/Contents/Resources/moduleinfo.json" | head -1)"
    staging="$(mktemp -d)"
    trap 'rm -rf "$staging"' EXIT
    pkg="mixmate-vst3-${version:-0.0.0}-linux-x86_64"
    mkdir -p "$staging/$pkg/installer" "$staging/$pkg/artifacts/vst3" "$staging/$pkg/native"
    for n in "${names[@]}"; do cp -r "$bundles/$n.vst3" "$staging/$pkg/artifacts/vst3/"; done
    cp "$root/installer/install.sh" "$staging/$pkg/installer/"
    # In the tarball the bundles are prebuilt: a stub build script keeps install.sh working.
    printf '#!/usr/bin/env bash\n# Prebuilt release: nothing to build.\nexit 0\n' > "$staging/$pkg/native/build.sh"
    chmod +x "$staging/$pkg/native/build.sh" "$staging/$pkg/installer/install.sh"
    mkdir -p "$out_dir"
    tar -C "$staging" --owner=0 --group=0 --sort=name -czf "$out_dir/$pkg.tar.gz" "$pkg"
    echo "wrote $out_dir/$pkg.tar.gz"
    ;;
esac
