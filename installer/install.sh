#!/usr/bin/env bash
# Installs MixMate: the VST3 bundles ("MixMate.vst3", "MixMate Tone.vst3") and the `mixmate`
# command. Neither needs .NET: the plug-ins' core and the command are compiled ahead of time.
#
#   installer/install.sh                 build if needed; bundles to ~/.vst3, command to ~/.local/bin
#   installer/install.sh --system        bundles to /usr/lib/vst3, command to /usr/local/bin (root)
#   installer/install.sh --prefix DIR    bundles to DIR (e.g. /usr/local/lib/vst3); the command to
#                                        the bin/ beside DIR's lib/ (/usr/local/bin), or DIR/bin
#   installer/install.sh --bin-dir DIR   where the `mixmate` link goes (overrides the above)
#   installer/install.sh --uninstall [--system | --prefix DIR] [--bin-dir DIR]
#   installer/install.sh --tarball [OUT_DIR]   build a release tarball instead of installing
#
# The command is a folder (mixmate, libonnxruntime.so, models/) installed as <libdir>/mixmate
# next to the bundles' folder, with a symbolic link in the bin folder. It reads and writes audio
# through the system's libsndfile (Debian: libsndfile1). Hosts search ~/.vst3, /usr/lib/vst3 and
# /usr/local/lib/vst3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}"
cli="${MIXMATE_CLI_DIR:-$root/artifacts/cli}"
names=("MixMate" "MixMate Tone")
dest="$HOME/.vst3"
cli_dest="$HOME/.local/lib/mixmate"
bin_dir="$HOME/.local/bin"
bin_given=0
action=install
out_dir="$root/artifacts"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --system) dest=/usr/lib/vst3; cli_dest=/usr/local/lib/mixmate; [[ $bin_given == 1 ]] || bin_dir=/usr/local/bin ;;
    --prefix)
      dest="${2:?--prefix needs a directory}"; shift
      if [[ "$dest" == */lib/vst3 ]]; then
        cli_dest="${dest%/vst3}/mixmate"; [[ $bin_given == 1 ]] || bin_dir="${dest%/lib/vst3}/bin"
      else
        cli_dest="$dest/mixmate-cli"; [[ $bin_given == 1 ]] || bin_dir="$dest/bin"
      fi ;;
    --bin-dir) bin_dir="${2:?--bin-dir needs a directory}"; bin_given=1; shift ;;
    --uninstall) action=uninstall ;;
    --tarball) action=tarball; if [[ $# -gt 1 && "$2" != --* ]]; then out_dir="$2"; shift; fi ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

build_if_needed() {
  # Both are incremental: a no-op when the outputs are current.
  "$root/native/build.sh" >/dev/null
  "$root/scripts/build-cli.sh" >/dev/null
  for n in "${names[@]}"; do
    [[ -f "$bundles/$n.vst3/Contents/x86_64-linux/$n.so" && -f "$bundles/$n.vst3/Contents/Resources/MixMate.Core.so" ]] \
      || { echo "bundle $n.vst3 is incomplete after the build" >&2; exit 1; }
  done
  [[ -x "$cli/mixmate" ]] || { echo "the mixmate command is missing from $cli after the build" >&2; exit 1; }
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
    mkdir -p "$(dirname "$cli_dest")" "$bin_dir"
    rm -rf "${cli_dest:?}"
    cp -r "$cli" "$cli_dest"
    ln -sfn "$cli_dest/mixmate" "$bin_dir/mixmate"
    echo "installed $bin_dir/mixmate -> $cli_dest/mixmate"
    case ":$PATH:" in *":$bin_dir:"*) ;; *) echo "note: $bin_dir is not on PATH" >&2 ;; esac
    ;;
  uninstall)
    for n in "${names[@]}"; do
      if [[ -d "$dest/$n.vst3" ]]; then
        rm -rf "${dest:?}/$n.vst3"
        echo "removed $dest/$n.vst3"
      fi
    done
    if [[ -L "$bin_dir/mixmate" && "$(readlink "$bin_dir/mixmate")" == "$cli_dest/mixmate" ]]; then
      rm -f "$bin_dir/mixmate"
      echo "removed $bin_dir/mixmate"
    fi
    if [[ -d "$cli_dest" ]]; then
      rm -rf "${cli_dest:?}"
      echo "removed $cli_dest"
    fi
    ;;
  tarball)
    build_if_needed
    version="$(sed -n 's/.*"Version": "\([^"]*\)".*/\1/p' "$bundles/MixMate.vst3/Contents/Resources/moduleinfo.json" | head -1)"
    staging="$(mktemp -d)"
    trap 'rm -rf "$staging"' EXIT
    pkg="mixmate-vst3-${version:-0.0.0}-linux-x86_64"
    mkdir -p "$staging/$pkg/installer" "$staging/$pkg/artifacts/vst3" "$staging/$pkg/native" "$staging/$pkg/scripts"
    for n in "${names[@]}"; do cp -r "$bundles/$n.vst3" "$staging/$pkg/artifacts/vst3/"; done
    cp -r "$cli" "$staging/$pkg/artifacts/cli"
    cp "$root/installer/install.sh" "$staging/$pkg/installer/"
    # In the tarball everything is prebuilt: stub build scripts keep install.sh working.
    for stub in native/build.sh scripts/build-cli.sh; do
      printf '#!/usr/bin/env bash\n# Prebuilt release: nothing to build.\nexit 0\n' > "$staging/$pkg/$stub"
      chmod +x "$staging/$pkg/$stub"
    done
    chmod +x "$staging/$pkg/installer/install.sh"
    mkdir -p "$out_dir"
    tar -C "$staging" --owner=0 --group=0 --sort=name -czf "$out_dir/$pkg.tar.gz" "$pkg"
    echo "wrote $out_dir/$pkg.tar.gz"
    ;;
esac
