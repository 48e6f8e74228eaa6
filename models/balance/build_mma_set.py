#!/usr/bin/python3
"""Balance material from mma's groove library: per-part stems whose levels its author set.

    build_mma_set.py OUTDIR [--jobs N] [--bars 16] [--library stdlib] [--max-files 0]

For every groove file in one of mma's libraries (Debian package `mma`, /usr/share/mma/lib/stdlib by
default: the grooves of mma's author), one
song is written in mma's own language: a 16-bar chord progression played with one of the file's
grooves (the richest "…Plus"/"…Sus" groove where there is one, else the first). mma turns it into
a MIDI file whose track volumes, accents and velocities are those the groove's author wrote
(`Volume`, `RVolume`, `Accent`, sequence velocities). Each part is rendered alone through
FluidSynth, and the drum channel is split by GM note into kick, snare (claps included),
hi-hat/cymbals and percussion (toms, hand percussion) stems, so the author's balance inside the kit
is kept too. Soundfonts rotate by file (FluidR3_GM, TimGM6mb, MuseScore_General), so one
groove is heard through one soundfont.

Writes OUTDIR/<soundfont>/<song>/{stems/NN_name.wav, manifest.json} in the dev set's format
(`shared/eval/build-devset.sh`), which `extract_features.py` reads. Idempotent per song.
Needs the Debian packages mma, fluidsynth, python3-mido, python3-soundfile, python3-numpy and the
three soundfont packages.
"""
import argparse, glob, json, os, re, subprocess, sys, tempfile, zlib
from concurrent.futures import ProcessPoolExecutor

import mido
import numpy as np
import soundfile as sf

from scipy.signal import lfilter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "data"))
from build_dataset import gm_role  # noqa: E402  (the GM program -> role table the role model uses)
from extract_features import kweight  # noqa: E402  (BS.1770-4 K-weighting, as the features use)

SAMPLE_RATE = 44100
GAIN = 0.2
POLYPHONY = 1024
SILENT_LUFS = -60.0
VERSION = 1
SOUNDFONTS = {
    "FluidR3_GM": "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "TimGM6mb": "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "MuseScore_General": "/usr/share/sounds/sf2/MuseScore_General.sf2",
}
PROGRESSION = ["C", "Am", "F", "G", "C", "Em", "Dm7", "G7", "F", "G", "Em", "Am", "Dm", "G7", "C", "C"]
KICK = {35, 36}
SNARE = {37, 38, 39, 40}
CYMBALS = {42, 44, 46, 49, 51, 52, 53, 55, 57, 59}
SKIP_GROOVE = re.compile(r"intro|end|fill|break", re.I)


def drum_piece(note):
    if note in KICK:
        return "kick"
    if note in SNARE:
        return "snare"
    if note in CYMBALS:
        return "hihat_cymbals"
    return "percussion"


def find_soundfont(name):
    path = SOUNDFONTS[name]
    if os.path.exists(path):
        return path
    hits = glob.glob(f"/usr/share/sounds/sf*/{name}.sf*")
    return hits[0] if hits else None


def choose_groove(path):
    names = []
    for line in open(path, errors="replace"):
        m = re.match(r"\s*DefGroove\s+(\S+)", line, re.I)
        if m and not SKIP_GROOVE.search(m.group(1)):
            names.append(m.group(1))
    if not names:
        return None
    rich = [n for n in names if re.search(r"plus|sus", n, re.I)]
    return (rich or names)[-1 if rich else 0]


def kweighted_integrated(x, fs):
    """BS.1770-4 integrated loudness (absolute and relative gates), LUFS; None when all is gated."""
    b1, a1, b2, a2 = kweight(fs)
    y = lfilter(b2, a2, lfilter(b1, a1, x.astype(np.float64), axis=0), axis=0)
    step = int(round(fs * 0.1)); n = y.shape[0] // step
    if n < 4:
        return None
    e = (y[:n * step] ** 2).reshape(n, step, -1).mean(axis=1).sum(axis=1)
    blocks = np.convolve(e, np.ones(4) / 4, mode="valid")
    gate = 10 ** ((-70 + 0.691) / 10)
    g = blocks[blocks >= gate]
    if g.size == 0:
        return None
    g = g[g >= g.mean() * 0.1]
    return float(-0.691 + 10 * np.log10(g.mean()))


def split_parts(mid):
    """(name, program, MidiFile) for every sounding part: a melodic channel, or a drum piece."""
    parts = {}
    for track in mid.tracks:
        for msg in track:
            if msg.type == "note_on" and msg.velocity > 0:
                if msg.channel == 9:
                    parts.setdefault(("drum", drum_piece(msg.note)), None)
                else:
                    parts.setdefault(("ch", msg.channel), None)
    out = []
    for key in sorted(parts, key=str):
        solo = mido.MidiFile(type=1, ticks_per_beat=mid.ticks_per_beat)
        program = None
        for track in mid.tracks:
            t = mido.MidiTrack(); pending = 0
            for msg in track:
                pending += msg.time
                keep = msg.is_meta or msg.type == "sysex"
                if not keep and hasattr(msg, "channel"):
                    if key[0] == "ch":
                        keep = msg.channel == key[1]
                    else:
                        keep = msg.channel == 9 and (not msg.type.startswith("note")
                                                     or drum_piece(msg.note) == key[1])
                if keep:
                    if msg.type == "program_change" and key[0] == "ch" and program is None:
                        program = msg.program
                    t.append(msg.copy(time=pending)); pending = 0
            solo.tracks.append(t)
        if key[0] == "ch":
            p = program if program is not None else 0
            out.append((f"ch{key[1] + 1}", p, gm_role(p), solo))
        else:
            out.append((key[1], -1, key[1], solo))
    return out


def render(soundfont, mid_path, wav_path):
    r = subprocess.run(
        ["fluidsynth", "-q", "-n", "-i", "-R", "0", "-C", "0", "-g", str(GAIN), "-r", str(SAMPLE_RATE),
         "-O", "float", "-T", "wav", "-F", wav_path, "-o", f"synth.polyphony={POLYPHONY}",
         "-o", "synth.cpu-cores=1", "-o", "synth.dynamic-sample-loading=1", soundfont, mid_path],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    if r.returncode != 0 or not os.path.exists(wav_path):
        raise RuntimeError(f"fluidsynth failed: {r.stderr.strip()[-200:]}")
    x, fs = sf.read(wav_path, dtype="float32", always_2d=True)
    return x


def build(task):
    groove_file, outdir, bars = task
    lib = os.path.basename(os.path.dirname(groove_file))
    base = os.path.splitext(os.path.basename(groove_file))[0]
    song = "mma_" + re.sub(r"[^a-z0-9]+", "_", f"{lib}_{base}".lower()).strip("_")
    fonts = sorted(SOUNDFONTS)
    font = fonts[zlib.crc32(song.encode()) % len(fonts)]
    sfpath = find_soundfont(font)
    groove = choose_groove(groove_file)
    if groove is None or sfpath is None:
        return song, "skipped (no groove or soundfont)"
    final = os.path.join(outdir, font, song)
    settings = {"version": VERSION, "bars": bars, "groove": groove, "gain": GAIN, "sample_rate": SAMPLE_RATE}
    man_path = os.path.join(final, "manifest.json")
    if os.path.exists(man_path):
        try:
            if json.load(open(man_path)).get("settings") == settings:
                return song, "cached"
        except (OSError, ValueError):
            pass
    tempo = 80 + zlib.crc32(base.encode()) % 60
    with tempfile.TemporaryDirectory(prefix="mmaset-") as tmp:
        src = os.path.join(tmp, "song.mma")
        with open(src, "w") as fh:
            fh.write(f"Tempo {tempo}\nGroove {groove}\n")
            for i in range(bars):
                fh.write(f"{i + 1} {PROGRESSION[i % len(PROGRESSION)]}\n")
        mid_path = os.path.join(tmp, "song.mid")
        r = subprocess.run(["mma", "-f", mid_path, src], capture_output=True, text=True, timeout=120, cwd=tmp)
        if r.returncode != 0 or not os.path.exists(mid_path):
            return song, f"mma failed: {(r.stdout + r.stderr).strip()[-160:]}"
        mid = mido.MidiFile(mid_path)
        stage = final + ".partial"
        subprocess.run(["rm", "-rf", stage, final])
        os.makedirs(os.path.join(stage, "stems"))
        stems = []
        for name, program, role, solo in split_parts(mid):
            p = os.path.join(tmp, f"{name}.mid"); solo.save(p)
            x = render(sfpath, p, os.path.join(tmp, f"{name}.wav"))
            lufs = kweighted_integrated(x, SAMPLE_RATE)
            if lufs is None or lufs < SILENT_LUFS:
                continue
            f = f"stems/{len(stems) + 1:02d}_{name}.wav"
            sf.write(os.path.join(stage, f), x, SAMPLE_RATE, subtype="FLOAT")
            stems.append({"file": f, "part": name, "program": program, "role": role,
                          "integrated_lufs": round(lufs, 3)})
    if len(stems) < 2:
        subprocess.run(["rm", "-rf", stage])
        return song, "skipped (fewer than two parts)"
    json.dump({"song": song, "source_package": "mma", "groove_file": f"{lib}/{base}.mma", "groove": groove,
               "tempo": tempo, "soundfont": font, "stems": stems, "settings": settings},
              open(os.path.join(stage, "manifest.json"), "w"), indent=1)
    os.rename(stage, final)
    return song, f"{len(stems)} stems"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--bars", type=int, default=16)
    ap.add_argument("--max-files", type=int, default=0)
    ap.add_argument("--library", default="stdlib", help="mma library folder, or * for all")
    a = ap.parse_args()
    files = sorted(glob.glob(f"/usr/share/mma/lib/{a.library}/*.mma"))
    files = [f for f in files if not os.path.basename(f).startswith(("stdpats", "pats"))]
    if a.max_files:
        files = files[:a.max_files]
    out = os.path.abspath(a.outdir)
    with ProcessPoolExecutor(a.jobs) as ex:
        for song, status in ex.map(build, [(f, out, a.bars) for f in files]):
            print(f"{song}: {status}", flush=True)


if __name__ == "__main__":
    main()
