#!/usr/bin/python3
"""Loudness features of every stem in features.json, as MixMate's ActiveLoudnessMeasure computes
them: active, integrated and loudest-block loudness, active fraction. Cached in loud.json."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np, soundfile as sf
from scipy.signal import lfilter
from extract_features import kweight

feat = json.load(open(sys.argv[1])); out = sys.argv[2]
cache = json.load(open(out)) if os.path.exists(out) else {}
for path in feat:
    if path in cache:
        continue
    x, fs = sf.read(path, dtype="float64", always_2d=True)
    b1, a1, b2, a2 = kweight(fs)
    y = lfilter(b2, a2, lfilter(b1, a1, x, axis=0), axis=0)
    step = int(round(fs * 0.1)); n = y.shape[0] // step
    e = (y[:n * step] ** 2).reshape(n, step, -1).mean(axis=1).sum(axis=1)
    blocks = np.convolve(e, np.ones(4) / 4, mode="valid")
    L = lambda z: float(-0.691 + 10 * np.log10(z)) if z > 0 else None
    gate = 10 ** ((-70 + 0.691) / 10); loud = blocks.max()
    if loud < gate:
        cache[path] = None; continue
    act = blocks[blocks >= max(gate, loud * 0.01)]
    g = blocks[blocks >= gate]; integ = g[g >= max(gate, g.mean() * 0.1)]
    cache[path] = {"active": L(act.mean()), "integrated": L(integ.mean()), "max": L(loud), "fraction": len(act) / len(blocks)}
json.dump(cache, open(out, "w"))
print(len(cache), "stems")
