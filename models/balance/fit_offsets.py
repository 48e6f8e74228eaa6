#!/usr/bin/python3
"""Per-role offsets (plus loudness-shape terms) relative to equal integrated loudness, ridge
shrunk toward 0, chosen leave-song-out on the training package, reported on the other package.
Usage: fit_offsets.py FEATURES.json LOUDNESS.json TRAIN_PREFIX TRAIN_FONTS OUT.json
Writes the table to OUT.json and what it scored (cross-validation, the other package's songs) to
evaluation.json beside it; see MODEL_CARD.md."""
import json, math, sys, itertools
import numpy as np

ROLES = ["kick", "snare", "hihat_cymbals", "drums", "percussion", "bass", "vocal", "guitar", "keys",
         "synth_lead", "pad", "strings", "brass_winds", "fx", "mix"]
CURRENT = {"kick": 0.0, "snare": -1.0, "hihat_cymbals": -8.5, "drums": -0.5, "percussion": -5.0, "bass": -1.0,
           "vocal": 2.0, "guitar": -0.5, "keys": -4.5, "synth_lead": 0.0, "pad": -12.5, "strings": -1.0,
           "brass_winds": 3.5, "fx": 3.5, "mix": 3.0}
EXTRA = ["activeMinusIntegratedLu", "crestLu", "activeFraction10"]

feat = json.load(open(sys.argv[1])); loud = json.load(open(sys.argv[2]))
prefix, fonts, out = sys.argv[3], sys.argv[4].split(","), sys.argv[5]
songs = {}
for path, r in feat.items():
    l = loud.get(path)
    if not l or l["active"] < -60:
        continue
    songs.setdefault((r["soundfont"], r["song"]), []).append(dict(r, **{"L": l}))

def probs(s, truth):
    if truth:
        v = np.zeros(len(ROLES)); v[ROLES.index(s["truth_role"])] = 1; return v
    p = np.array([max(0.0, s["roles"].get(k, 0.0)) for k in ROLES])
    return p / p.sum() if p.sum() > 0 else np.zeros(len(ROLES))

def design(stems, kind, truth):
    rows = []
    for s in stems:
        L = s["L"]; f = list(probs(s, truth))
        if kind == "roles+loudness":
            f += [L["active"] - L["integrated"], L["max"] - L["active"], 10 * L["fraction"]]
        rows.append(f)
    X = np.array(rows); y = np.array([s["L"]["integrated"] for s in stems])
    return X - X.mean(0), y - y.mean()

def fit(keys, kind, truth, lam):
    n = len(ROLES) + (len(EXTRA) if kind == "roles+loudness" else 0)
    A = np.zeros((n, n)); b = np.zeros(n)
    for k in keys:
        Xc, yc = design(songs[k], kind, truth); A += Xc.T @ Xc; b += Xc.T @ yc
    return np.linalg.solve(A + lam * np.eye(n), b)

def rms(k, th, kind, truth):
    Xc, yc = design(songs[k], kind, truth); e = Xc @ th - yc
    return math.sqrt(np.mean((e - e.mean()) ** 2))

def current(k):
    # The shipped engine: probability-weighted current table on active loudness, shared roles.
    st = songs[k]; X = np.array([probs(s, False) for s in st]); top = [ROLES[int(np.argmax(x))] for x in X]
    T = X @ np.array([CURRENT[r] for r in ROLES]) - np.array([10 * math.log10(top.count(t)) for t in top])
    e = T - np.array([s["L"]["active"] for s in st]); return math.sqrt(np.mean((e - e.mean()) ** 2))

def equal(k):
    l = np.array([s["manifest_lufs"] for s in songs[k]]); return math.sqrt(np.mean((l - l.mean()) ** 2))

train = sorted(k for k in songs if k[1].startswith(prefix) and k[0] in fonts)
test = sorted(k for k in songs if not k[1].startswith(prefix))
print(f"train {len(train)} songs ({prefix}* in {','.join(fonts)}), test {len(test)} songs (other package)")
print(f"train: equal loudness {np.mean([equal(k) for k in train]):.2f} dB, shipped engine {np.mean([current(k) for k in train]):.2f} dB")

def cv(kind, truth, lam):
    return float(np.mean([rms(k, fit([t for t in train if t[1] != k[1]], kind, truth, lam), kind, truth) for k in train]))

grid = [1, 3, 10, 30, 100, 300, 1000, 1e9]
best = None
for kind in ["roles", "roles+loudness"]:
    line = []
    for lam in grid:
        e = cv(kind, False, lam); line.append(f"{lam:g}:{e:.3f}")
        if best is None or e < best[0] - 1e-9:
            best = (e, kind, lam)
    print(f"  cv {kind:15s} " + "  ".join(line))
e, kind, lam = best
th = fit(train, kind, False, lam)
print(f"chosen {kind}, lambda {lam:g}: cv {e:.3f} dB")
names = ROLES + (EXTRA if kind == "roles+loudness" else [])
print("  " + ", ".join(f"{n} {v:+.2f}" for n, v in zip(names, th)))
print(f"  cv with true roles (table fitted on true roles): {cv(kind, True, lam):.3f} dB")
res = {}
for font in sorted({k[0] for k in test}):
    sel = [k for k in test if k[0] == font]
    o = np.mean([rms(k, th, kind, False) for k in sel]); b = np.mean([equal(k) for k in sel])
    tr = np.mean([rms(k, th, kind, True) for k in sel]); c = np.mean([current(k) for k in sel])
    z = np.mean([rms(k, np.zeros(len(names)), kind, False) for k in sel])
    res[font] = {"songs": len(sel), "learned_db": round(o, 2), "learned_true_roles_db": round(tr, 2), "shipped_before_db": round(c, 2),
                 "equal_integrated_db": round(z, 2), "equal_loudness_manifest_db": round(b, 2)}
    print(f"  test {font}: {len(sel)} songs: learned {o:.2f} dB (true roles {tr:.2f}), before {c:.2f}, equal loudness {b:.2f} "
          f"→ {100 * (1 - o / b):+.0f} % vs equal loudness")
json.dump({"measure": "integrated", "shareSameRole": False, "unknownLu": 0.0,
           "targetsLu": {r: round(float(v), 2) for r, v in zip(ROLES, th)},
           **({"activeMinusIntegratedPerLu": round(float(th[15]), 3), "crestPerLu": round(float(th[16]), 3),
               "perActiveFraction": round(float(th[17]) * 10, 3)} if kind == "roles+loudness" else {}),
           "fit": {"train": f"{prefix}* songs in {','.join(fonts)}", "trainSongs": len(train), "lambda": lam, "kind": kind}},
          open(out, "w"), indent=1)
import os
json.dump({"train": f"{prefix}* songs in {','.join(fonts)}", "trainSongs": len(train), "lambda": lam, "kind": kind,
           "cvDb": round(e, 3), "cvTrueRolesDb": round(cv(kind, True, lam), 3),
           "trainEqualLoudnessDb": round(float(np.mean([equal(k) for k in train])), 3),
           "trainShippedBeforeDb": round(float(np.mean([current(k) for k in train])), 3), "test": res},
          open(os.path.join(os.path.dirname(os.path.abspath(out)), "evaluation.json"), "w"), indent=1)
