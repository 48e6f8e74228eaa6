#!/usr/bin/python3
"""Balance inside a drum kit from hydrogen's demo songs, as their authors set it.

    build_hydrogen_set.py OUTDIR [--jobs N]

Each demo song of the Debian package `hydrogen` (/usr/share/hydrogen/data/demo_songs) is exported
with `h2cli` once per piece of the kit — kick, snare (claps, rims and sticks included),
hi-hat/cymbals, percussion (toms, cowbell, hand percussion) — with every other instrument muted, so
each stem keeps the author's instrument volumes, gains and note velocities. Writes
OUTDIR/hydrogen/<song>/{stems/NN_piece.wav, manifest.json} in the dev set's format, which
`extract_features.py` reads. Idempotent per song. Needs the Debian packages hydrogen and
hydrogen-drumkits (h2cli renders without a sound card).
"""
import argparse, glob, json, os, re, subprocess, tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import soundfile as sf

from build_mma_set import kweighted_integrated

VERSION = 1
SONGS = "/usr/share/hydrogen/data/demo_songs"
PIECES = [("kick", re.compile(r"kick|bass ?drum|\bbd\b", re.I)),
          ("snare", re.compile(r"snare|clap|stick|rim", re.I)),
          ("hihat_cymbals", re.compile(r"hat|\bhh\b|cymbal|crash|ride|splash|china", re.I))]


def piece(name):
    for label, rx in PIECES:
        if rx.search(name):
            return label
    return "percussion"


def render(task):
    song_path, label, tmp = task
    tree = ET.parse(song_path)
    for inst in tree.getroot().find("instrumentList").findall("instrument"):
        name = inst.findtext("name") or ""
        muted = inst.find("isMuted")
        if muted is None:
            muted = ET.SubElement(inst, "isMuted")
        muted.text = "false" if piece(name) == label else "true"
    src = os.path.join(tmp, f"{label}.h2song")
    tree.write(src)
    wav = os.path.join(tmp, f"{label}.wav")
    subprocess.run(["h2cli", "-s", src, "-o", wav, "-r", "44100", "-b", "32"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    if not os.path.exists(wav):
        return label, None
    x, fs = sf.read(wav, dtype="float32", always_2d=True)
    return label, (x, fs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--jobs", type=int, default=4, help="h2cli exports at once (they mostly wait)")
    a = ap.parse_args()
    for song_path in sorted(glob.glob(os.path.join(SONGS, "*.h2song"))):
        song = "hydrogen_" + re.sub(r"[^a-z0-9]+", "_", os.path.basename(song_path)[:-7].lower()).strip("_")
        final = os.path.join(os.path.abspath(a.outdir), "hydrogen", song)
        settings = {"version": VERSION, "bytes": os.path.getsize(song_path)}
        try:
            if json.load(open(os.path.join(final, "manifest.json"))).get("settings") == settings:
                print(f"{song}: cached", flush=True); continue
        except (OSError, ValueError):
            pass
        names = [i.findtext("name") or "" for i in ET.parse(song_path).getroot().find("instrumentList").findall("instrument")]
        labels = sorted({piece(n) for n in names})
        stage = final + ".partial"
        subprocess.run(["rm", "-rf", stage, final])
        os.makedirs(os.path.join(stage, "stems"))
        stems = []
        with tempfile.TemporaryDirectory(prefix="h2set-") as tmp, ThreadPoolExecutor(a.jobs) as ex:
            for label, got in ex.map(render, [(song_path, l, tmp) for l in labels]):
                if got is None:
                    continue
                x, fs = got
                lufs = kweighted_integrated(x, fs)
                if lufs is None or lufs < -60:
                    continue
                f = f"stems/{len(stems) + 1:02d}_{label}.wav"
                sf.write(os.path.join(stage, f), x, fs, subtype="FLOAT")
                stems.append({"file": f, "part": label, "program": -1, "role": label,
                              "integrated_lufs": round(lufs, 3)})
        json.dump({"song": song, "source_package": "hydrogen", "h2song": os.path.basename(song_path),
                   "soundfont": "hydrogen", "stems": stems, "settings": settings},
                  open(os.path.join(stage, "manifest.json"), "w"), indent=1)
        os.rename(stage, final)
        print(f"{song}: {len(stems)} stems", flush=True)


if __name__ == "__main__":
    main()
