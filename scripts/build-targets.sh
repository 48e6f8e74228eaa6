#!/usr/bin/env bash
# Rebuilds the style targets that ship in targets/ (mixmate master/suggest/mix --target-curve NAME)
# from allowed material only, every step a command anyone can rerun:
#   acoustic    FluidSynth + FluidR3_GM renders of openmsx MIDI songs with acoustic instruments
#               (harp, strings, acoustic guitar, piano, winds), mastered to -16 LUFS
#   band        FluidR3_GM renders of openmsx songs for a band (drum kit, bass, piano/guitars,
#               horns), mastered to -11 LUFS
#   electronic  FluidR3_GM renders of planetblupi and openmsx songs built on synth leads, synth
#               bass and pads, mastered to -9 LUFS
#   drums       Hydrogen's demo songs (h2cli, the hydrogen-drumkits kits they name), mastered to -10 LUFS
#   speech      espeak-ng reading a few paragraphs in five voices (mono, 22.05 kHz), mastered to -16 LUFS
# Each render is the first 60 s (the whole song when shorter; at least 10 s), mastered with
# `mixmate master --eq off --lufs L` (the renders are unmastered: the loudness of a target is
# the level chosen here for its style, not a measurement of commercial releases), then averaged by
# `mixmate target build`. Needs: fluidsynth, fluid-soundfont-gm, openttd-openmsx,
# planetblupi-music-midi, hydrogen, hydrogen-drumkits, espeak-ng, sox, and a Release build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${MIXMATE_TARGETS_WORK:-$root/artifacts/targets}"
mm=(dotnet "${MIXMATE_DLL:-$root/artifacts/bin/MixMate.Cli/release/mixmate.dll}")
sf2=/usr/share/sounds/sf2/FluidR3_GM.sf2
openmsx=/usr/share/games/openttd/baseset/openmsx
blupi="$(dirname "$(dpkg -L planetblupi-music-midi | grep -m1 'music000.mid')")"
songs=/usr/share/hydrogen/data/demo_songs
mkdir -p "$work"

render_midi() { # MIDI → 60 s 44.1 kHz stereo WAV
  local mid="$1" out="$2"
  [[ -f "$out" ]] && return
  fluidsynth -ni -q -g 0.5 -r 44100 -F "$work/raw.wav" "$sf2" "$mid" >/dev/null 2>&1
  sox "$work/raw.wav" "$out" trim 0 60
  rm -f "$work/raw.wav"
}

master() { # IN OUT LUFS
  "${mm[@]}" master "$1" -o "$2" --eq off --lufs "$3" --quiet --force
}

build() { # NAME LUFS FILE...
  local name="$1" lufs="$2"; shift 2
  local refs=()
  for f in "$@"; do
    local m="$work/$name-$(basename "$f")"
    master "$f" "$m" "$lufs"
    refs+=("$m")
  done
  "${mm[@]}" target build "${refs[@]}" -o "$root/targets/$name.json" --name "$name" --force
}

midi_set() { # PREFIX DIR SONG... → renders
  local dir="$1"; shift
  for s in "$@"; do render_midi "$dir/$s.mid" "$work/${s}.wav"; echo "$work/${s}.wav"; done
}

mapfile -t acoustic < <(midi_set "$openmsx" linns_basket harp_harmony wood_whistles chemistry_lab boogi_marabi_redfarn)
build acoustic -16 "${acoustic[@]}"

mapfile -t band < <(midi_set "$openmsx" keep_on_rolling tttheme2 5432gone_redfarn be_sharp_bw_redfarn mosey_along_redfarn no_work_song_redfarn run_for_your_life)
build band -11 "${band[@]}"

mapfile -t electronic < <(midi_set "$blupi" music003 music005 music006 music009; midi_set "$openmsx" ttsong_iii_imuh3 flying_scotsman)
build electronic -9 "${electronic[@]}"

drums=()
for s in "$songs"/*.h2song; do
  out="$work/h2-$(basename "$s" .h2song).wav"
  if [[ ! -f "$out" ]]; then
    h2cli -s "$s" -o "$work/h2raw.wav" >/dev/null 2>&1 || true
    if [[ -f "$work/h2raw.wav" ]]; then sox "$work/h2raw.wav" "$out" trim 0 60; fi
    rm -f "$work/h2raw.wav"
  fi
  if [[ -f "$out" ]] && (( $(printf '%.0f' "$(soxi -D "$out")") >= 10 )); then drums+=("$out"); fi
done
build drums -10 "${drums[@]}"

text="The committee met on a grey morning to decide where the new bridge would go. Some wanted it near
the old mill, where the river is narrow and the banks are firm; others argued for the market
square, because that is where people actually walk. After two hours of maps, coffee and polite
disagreement they chose neither, and asked the engineers for a third plan by the end of the month.
Meanwhile the ferry keeps running every twenty minutes, and nobody seems to mind very much."
speech=()
for voice in en en-us en-gb-x-rp en-gb-scotland en-us+f3; do
  out="$work/speech-${voice//[^a-z0-9]/-}.wav"
  [[ -f "$out" ]] || espeak-ng -v "$voice" -s 150 -w "$out" "$text"
  speech+=("$out")
done
build speech -16 "${speech[@]}"
