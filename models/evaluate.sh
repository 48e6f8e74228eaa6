#!/usr/bin/env bash
# Rebuilds MixMate's learned models end to end and regenerates their evaluation:
#   1. the EQ dataset from the allowed sources (models/data/build_dataset.py), the role data
#      (models/role/build_role_data.py: song stems rendered by ../shared/eval/build-devset.sh,
#      GM phrases, our drum machines and synthesisers, kits, samples, voices, mixes),
#   2. the role model (models/role/train_role_cnn.py) (the tonal engine's references have their own
#      command, models/tonal/evaluate.sh),
#   3. models/SHA256SUMS and the model cards (models/write_cards.py).
# Needs Debian's python3-numpy python3-soundfile python3-torch python3-onnx, fluidsynth, the GM
# soundfonts (fluid-soundfont-gm timgm6mb-soundfont musescore-general-soundfont-small
# opl3-soundfont csound-soundfont), hydrogen-drumkits, sonic-pi-samples and espeak-ng.
# Usage: models/evaluate.sh [--skip-data] [--jobs N]   (see models/README.md for run times; --jobs 1
# by default because the machine is shared; --skip-data reuses a built dataset)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-/usr/bin/python3}"
data="${MIXMATE_DATA_DIR:-$root/artifacts/models-data}"
jobs=1
skip=0
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-data) skip=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) echo "evaluate: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
# Install what is missing (Debian packages; sudo when not root).
packages=(python3-numpy python3-scipy python3-soundfile python3-mido python3-torch python3-onnx
  openttd-openmsx planetblupi-music-midi fluidsynth fluid-soundfont-gm
  timgm6mb-soundfont musescore-general-soundfont-small opl3-soundfont csound-soundfont
  hydrogen-drumkits sonic-pi-samples espeak-ng)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "evaluate: installing ${missing[*]}" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ "$skip" = 0 ] || [ ! -f "$data/dataset.npz" ]; then
  nice "$py" "$root/models/data/build_dataset.py" --out "$data" --jobs "$jobs"
fi
# Song stems for the role data: the dev benchmark's builder (its default soundfonts, FluidR3_GM
# and TimGM6mb); shared/ sits beside the checkout.
songs="${MIXMATE_SONGS_DIR:-$data/songs}"
if [ "$skip" = 0 ] || [ ! -f "$data/role/patches.npz" ]; then
  DEVSET_JOBS="$jobs" bash "$root/../shared/eval/build-devset.sh" "$songs" >&2
  nice "$py" "$root/models/role/build_role_data.py" --out "$data/role" --songs "$songs" --jobs "$jobs"
fi
nice "$py" "$root/models/role/train_role_cnn.py" --data "$data/role" --threads "$jobs"
(cd "$root/models" && sha256sum role/role.onnx > SHA256SUMS)
"$py" "$root/models/write_cards.py"
echo "evaluate: models, SHA256SUMS and model cards updated" >&2
