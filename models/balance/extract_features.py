#!/usr/bin/python3
"""Per-stem features of the dev set for fitting the balance: role probabilities (mixmate suggest),
active loudness (as MixMate's ActiveLoudnessMeasure defines it) and BS.1770 integrated loudness."""
import glob, json, os, subprocess, sys
import numpy as np, soundfile as sf
from scipy.signal import lfilter

def kweight(fs):
    # BS.1770-4 pre-filter and RLB high-pass, bilinear designs for any rate (as in libebur128).
    import math
    f0 = 1681.974450955533; G = 3.999843853973347; Q = 0.7071752369554196
    K = math.tan(math.pi * f0 / fs); Vh = 10 ** (G / 20); Vb = Vh ** 0.4996667741545416
    a0 = 1 + K / Q + K * K
    b1 = [(Vh + Vb * K / Q + K * K) / a0, 2 * (K * K - Vh) / a0, (Vh - Vb * K / Q + K * K) / a0]
    a1 = [1, 2 * (K * K - 1) / a0, (1 - K / Q + K * K) / a0]
    f0 = 38.13547087602444; Q = 0.5003270373238773; K = math.tan(math.pi * f0 / fs)
    a2 = [1, 2 * (K * K - 1) / (1 + K / Q + K * K), (1 - K / Q + K * K) / (1 + K / Q + K * K)]
    b2 = [1, -2, 1]
    return b1, a1, b2, a2


def main():
    global DEV, MIXMATE, OUT, old
    DEV = sys.argv[1]; MIXMATE = sys.argv[2]; OUT = sys.argv[3]
    old = json.load(open(OUT)) if os.path.exists(OUT) else {}

    def active(path):
        x, fs = sf.read(path, dtype="float64", always_2d=True)
        b1, a1, b2, a2 = kweight(fs)
        y = lfilter(b2, a2, lfilter(b1, a1, x, axis=0), axis=0)
        step = int(round(fs * 0.1)); n = y.shape[0] // step
        e = (y[:n * step] ** 2).reshape(n, step, -1).mean(axis=1).sum(axis=1)  # channel weights 1
        blocks = np.convolve(e, np.ones(4) / 4, mode="valid") if n >= 4 else np.array([e.mean()])
        lufs = lambda z: -0.691 + 10 * np.log10(z) if z > 0 else -np.inf
        gate = 10 ** ((-70 + 0.691) / 10)
        loud = blocks.max()
        if loud < gate:
            return None, None, 0.0
        act = blocks[blocks >= max(gate, loud * 10 ** (-20 / 10))]
        g = blocks[blocks >= gate]; integ = g[g >= max(gate, g.mean() * 0.1)]
        return lufs(act.mean()), lufs(integ.mean()), len(act) / len(blocks)

    items = []
    for m in sorted(glob.glob(os.path.join(DEV, "*", "*", "manifest.json"))):
        man = json.load(open(m)); d = os.path.dirname(m)
        for s in man["stems"]:
            items.append((man["soundfont"], man["song"], os.path.join(d, s["file"]), s))
    todo = [i for i in items if i[2] not in old]
    ONLY = os.environ.get("ONLY")
    if ONLY:
        todo = [i for i in todo if i[1].startswith(ONLY)]
    todo.sort(key=lambda i: (not i[1].startswith("blupi_"), i[0], i[1]))
    print(f"{len(items)} stems, {len(todo)} new", flush=True)
    for k in range(0, len(todo), 40):
        batch = todo[k:k + 40]
        r = subprocess.run(["dotnet", MIXMATE, "suggest", "--json", *[b[2] for b in batch]], capture_output=True, text=True)
        rows = json.loads(r.stdout) if r.stdout.strip().startswith("[") else []
        roles = {os.path.realpath(row["path"]): row for row in rows if isinstance(row, dict)}
        for font, song, path, s in batch:
            row = roles.get(os.path.realpath(path), {})
            a, i, f = active(path)
            old[path] = {"soundfont": font, "song": song, "truth_role": s["role"], "program": s["program"],
                         "manifest_lufs": s["integrated_lufs"], "active_lufs": a, "integrated_lufs": i, "active_fraction": f,
                         "role": row.get("role"), "roles": row.get("roles", {})}
        json.dump(old, open(OUT, "w"))
        print(f"  {k + len(batch)}/{len(todo)}", flush=True)


if __name__ == "__main__":
    main()
