#!/usr/bin/python3
"""Reference matching benchmark: `mixmate master IN -o OUT --reference REF` beside Matchering 2.

Material (allowed sources only): the dev set's 60 s renders of the openmsx and planetblupi MIDI
songs (FluidR3_GM and TimGM6mb soundfonts, /work/devset) and Hydrogen's demo songs rendered with
h2cli. Every file is first made into a "master" with `mixmate master --eq off --lufs L` at a
loudness drawn per file from -14..-9 LUFS (the renders are unmastered), so that inputs and
references differ in loudness as real masters do. Pairs are different songs from different
soundfonts or kits.

Measured independently of MixMate (numpy/scipy and ffmpeg):
  distance   RMS over the ISO third-octave bands (20 Hz-20 kHz, exact base-2 edges) of
             (output - reference) in dB, median over 45 Hz-17 kHz removed, bands where both
             carry programme (within 60 dB of their loudest band); Welch PSD, 32768-point Hann,
             channels summed. Reduction = 1 - distance(out, ref) / distance(in, ref).
  loudness   ffmpeg ebur128 integrated loudness, output minus reference, LU.
  true peak  ffmpeg ebur128 true peak (4x oversampled) of the output, dBTP.
  time       wall time of the whole process (start to exit), median of --runs.

Matchering 2 runs from its source (MATCHERING_SRC, a checkout that is never committed) when its
dependencies import (numpy, scipy, soundfile, resampy, statsmodels).

Usage: scripts/reference-bench.py [--pairs N] [--runs R] [--out DIR] [--readme]
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np
import scipy.signal
import soundfile as sf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVSET = os.environ.get("MIXMATE_DEVSET", "/work/devset")
DEMO_SONGS = "/usr/share/hydrogen/data/demo_songs"
# The release command as users run it (NativeAOT, scripts/build-cli.sh) when MIXMATE_BIN names it;
# otherwise the JIT build of the checkout.
MIXMATE = ([os.environ["MIXMATE_BIN"]] if os.environ.get("MIXMATE_BIN")
           else [os.environ.get("DOTNET", "dotnet"), os.environ.get("MIXMATE_DLL", os.path.join(ROOT, "artifacts/bin/MixMate.Cli/release/mixmate.dll"))])

CENTRES = [1000.0 * 2 ** ((i - 17) / 3) for i in range(31)]


def third_octave_db(path):
    x, rate = sf.read(path, dtype="float64", always_2d=True)
    power = None
    for c in range(x.shape[1]):
        f, p = scipy.signal.welch(x[:, c], fs=rate, window="hann", nperseg=32768, noverlap=16384, scaling="spectrum")
        power = p if power is None else power + p
    bands = []
    for fc in CENTRES:
        lo, hi = fc * 2 ** (-1 / 6), fc * 2 ** (1 / 6)
        if hi > rate / 2:
            bands.append(-np.inf)
            continue
        sel = (f >= lo) & (f < hi)
        s = power[sel].sum() if sel.any() else power[np.argmin(abs(f - fc))] * (hi - lo) / (f[1] - f[0])
        bands.append(10 * np.log10(s) if s > 0 else -np.inf)
    return np.array(bands)


def present(b):
    return np.isfinite(b) & (b > np.max(b[np.isfinite(b)]) - 60)


def distance(out, ref):
    ok = present(out) & present(ref)
    d = out - ref
    rng = ok & (np.array(CENTRES) >= 45) & (np.array(CENTRES) <= 17000)
    d = d - np.median(d[rng])
    return float(np.sqrt(np.mean(d[ok] ** 2)))


def ebur128(path):
    r = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-"],
                       capture_output=True, text=True)
    tail = r.stderr[r.stderr.rfind("Summary:"):]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", tail).group(1))
    tp = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", tail).group(1))
    return i, tp


def timed(cmd, runs, env=None):
    """Median wall time and median CPU time (user + system, the process and its children) of runs."""
    times, cpus = [], []
    for _ in range(runs):
        before = os.times()
        t = time.monotonic()
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        times.append(time.monotonic() - t)
        after = os.times()
        cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
    return statistics.median(times), statistics.median(cpus)


def material(work, rng):
    """The masters: (name, source, path)."""
    os.makedirs(work, exist_ok=True)
    items = []
    manifest = json.load(open(os.path.join(DEVSET, "devset.json")))
    for font, songs in manifest["songs"].items():
        for song in songs:
            items.append((f"{font}/{song}", font, os.path.join(DEVSET, font, song, "mix.wav")))
    if shutil.which("h2cli") and os.path.isdir(DEMO_SONGS):
        for song in sorted(os.listdir(DEMO_SONGS)):
            wav = os.path.join(work, "h2_" + song.replace(".h2song", ".wav"))
            if not os.path.exists(wav):
                subprocess.run(["h2cli", "-s", os.path.join(DEMO_SONGS, song), "-o", wav], capture_output=True, timeout=600)
            if os.path.exists(wav) and sf.info(wav).duration >= 10:
                items.append((f"hydrogen/{song}", "hydrogen", wav))
    masters = []
    for name, source, path in items:
        lufs = round(rng.uniform(-14, -9), 1)
        out = os.path.join(work, "masters", f"{name.replace('/', '__')}_{lufs}.wav")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if not os.path.exists(out):
            subprocess.run(MIXMATE + ["master", path, "-o", out, "--eq", "off", "--lufs", str(lufs), "--quiet", "--force"], check=True)
        masters.append((name, source, out))
    return masters


def pairs(masters, count, rng):
    chosen = []
    song = lambda n: n.split("/", 1)[1]
    while len(chosen) < count:
        a, b = rng.sample(masters, 2)
        if a[1] != b[1] and song(a[0]) != song(b[0]) and (a, b) not in chosen:
            chosen.append((a, b))
    return chosen


def matchering_available(src):
    if not src or not os.path.isdir(os.path.join(src, "matchering")):
        return "no Matchering source (set MATCHERING_SRC to a checkout)"
    r = subprocess.run([sys.executable, "-c", "import matchering"], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=src))
    return None if r.returncode == 0 else "Matchering does not import here: " + r.stderr.strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=16)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--out", default=os.path.join(ROOT, "artifacts/reference-bench"))
    ap.add_argument("--readme", action="store_true", help="replace the table in README.md between the reference-bench markers")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    masters = material(os.path.join(args.out, "material"), rng)
    chosen = pairs(masters, args.pairs, rng)
    src = os.environ.get("MATCHERING_SRC")
    why_not = matchering_available(src)
    tools = {"MixMate": lambda i, r, o: MIXMATE + ["master", i, "-o", o, "--reference", r, "--quiet", "--force"]}
    if why_not is None:
        code = "import sys, matchering as mg; mg.log(print); mg.process(target=sys.argv[1], reference=sys.argv[2], results=[mg.pcm24(sys.argv[3])])"
        version = re.search(r'__version__ = "([^"]+)"', open(os.path.join(src, "matchering", "__init__.py")).read())
        tools[f"Matchering {version.group(1) if version else 2}"] = lambda i, r, o: [sys.executable, "-c", code, i, r, o]
    rows = []
    for k, ((na, _, ia), (nb, _, rb)) in enumerate(chosen):
        ref_bands = third_octave_db(rb)
        in_dist = distance(third_octave_db(ia), ref_bands)
        ref_i, _ = ebur128(rb)
        for tool, cmd in tools.items():
            out = os.path.join(args.out, "out", f"{k:02d}_{tool.split()[0].lower()}.wav")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            env = dict(os.environ, PYTHONPATH=src) if tool != "MixMate" else None
            seconds, cpu = timed(cmd(ia, rb, out), args.runs, env)
            dist = distance(third_octave_db(out), ref_bands)
            i, tp = ebur128(out)
            rows.append(dict(pair=k, input=na, reference=nb, tool=tool, input_distance_db=round(in_dist, 3),
                             distance_db=round(dist, 3), reduction_pct=round(100 * (1 - dist / in_dist), 1),
                             loudness_error_lu=round(i - ref_i, 2), true_peak_dbtp=tp, seconds=round(seconds, 3), cpu_seconds=round(cpu, 3), load=round(os.getloadavg()[0], 2),
                             duration_s=round(sf.info(ia).duration, 1)))
            print(json.dumps(rows[-1]), flush=True)
    json.dump(dict(rows=rows, matchering=why_not or "ran", mixmate=" ".join(MIXMATE)), open(os.path.join(args.out, "results.json"), "w"), indent=1)
    table = summary(rows, len(chosen), why_not)
    open(os.path.join(args.out, "table.md"), "w").write(table)
    print(table)
    if args.readme:
        readme = os.path.join(ROOT, "README.md")
        text = open(readme).read()
        begin, end = "<!-- reference-bench:begin -->", "<!-- reference-bench:end -->"
        if begin in text and end in text:
            text = text[: text.index(begin) + len(begin)] + "\n" + table + text[text.index(end):]
            open(readme, "w").write(text)


def summary(rows, n, why_not):
    lines = ["| tool | third-octave distance removed, median (min) | loudness error vs reference, max abs (pairs within 0.5 LU) | "
             "true peak, max (ffmpeg, 4×) | wall time per 60 s file, median | CPU time per 60 s file, median |", "|---|---|---|---|---|---|"]
    per_minute = lambda r, key: r[key] * 60 / r["duration_s"]
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    medians = {}
    for tool in tools:
        rs = [r for r in rows if r["tool"] == tool]
        red = [r["reduction_pct"] for r in rs]
        within = sum(abs(r["loudness_error_lu"]) <= 0.5 for r in rs)
        wall = statistics.median(per_minute(r, "seconds") for r in rs)
        cpu = statistics.median(per_minute(r, "cpu_seconds") for r in rs)
        medians[tool] = (wall, cpu)
        lines.append(f"| {tool} | {statistics.median(red):.1f} % ({min(red):.1f} %) | {max(abs(r['loudness_error_lu']) for r in rs):.2f} LU ({within} of {n}) | "
                     f"{max(r['true_peak_dbtp'] for r in rs):+.2f} dBTP | {wall:.2f} s | {cpu:.2f} s |")
    if len(tools) > 1:
        (w0, c0), (w1, c1) = medians[tools[0]], medians[tools[1]]
        loads = [r["load"] for r in rows]
        lines += ["", f"{tools[0]} / {tools[1]}: {w0 / w1:.2f} of the wall time, {c0 / c1:.2f} of the CPU time "
                      f"(same run, load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores)."]
    if why_not:
        lines += ["", f"Matchering 2: not run ({why_not})."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
