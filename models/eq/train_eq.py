"""Trains the EQ model: from a track's third-octave spectrum and role, the correction curve (dB per
band) back to a natural balance. Self-supervised: clean clips get random EQ damage (1-4 RBJ
peaks/shelves, +-12 dB) applied exactly on their Welch power spectrum, and the model learns to
undo it. Evaluated on the test sources against the rule-based baseline (pull toward the role's
average curve, strength fitted on train). Exports models/eq/eq.onnx, a golden pair and figures.

Usage: python3 models/eq/train_eq.py [--data DIR]
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import features  # noqa: E402

torch.set_num_threads(1)
SR = 44100
LO, HI = 4, 29  # bands 50 Hz .. 16 kHz (inclusive)
NEG = -200.0    # stands for an empty band (-inf dB), in C# too
ROLES = 15


class EqNet(nn.Module):
    """Input: 31 band dB (empty bands = -200) then 15 role one-hot. Output: 31 correction dB.
    Normalisation (floor 80 dB below the loudest band, level removed over 50 Hz-16 kHz) is part
    of the graph so C# feeds the raw analysis."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(31 + ROLES, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                  nn.Linear(128, 31))

    def normalise(self, bands):
        top = bands.max(dim=-1, keepdim=True).values
        b = torch.maximum(bands, top - 80.0)
        b = b - b[..., LO:HI + 1].mean(dim=-1, keepdim=True)
        return torch.clamp(b, -60.0, 30.0)

    def forward(self, x):
        bands, role = x[..., :31], x[..., 31:]
        n = self.normalise(bands)
        out = self.body(torch.cat([n / 10.0, role], dim=-1)) * 10.0
        return out - out[..., LO:HI + 1].mean(dim=-1, keepdim=True)


def normalise_np(bands):
    top = bands.max(axis=-1, keepdims=True)
    b = np.maximum(bands, top - 80.0)
    b = b - b[..., LO:HI + 1].mean(axis=-1, keepdims=True)
    return np.clip(b, -60.0, 30.0)


def biquad_db(kind, f0, gain, q, freqs):
    """RBJ cookbook magnitude response in dB at freqs (Hz), fs = 44.1 kHz."""
    A = 10 ** (gain / 40.0)
    w0 = 2 * np.pi * f0 / SR
    cw, sw = np.cos(w0), np.sin(w0)
    alpha = sw / (2 * q)
    if kind == 0:  # peak
        b = [1 + alpha * A, -2 * cw, 1 - alpha * A]
        a = [1 + alpha / A, -2 * cw, 1 - alpha / A]
    elif kind == 1:  # low shelf
        s = 2 * np.sqrt(A) * alpha
        b = [A * ((A + 1) - (A - 1) * cw + s), 2 * A * ((A - 1) - (A + 1) * cw), A * ((A + 1) - (A - 1) * cw - s)]
        a = [(A + 1) + (A - 1) * cw + s, -2 * ((A - 1) + (A + 1) * cw), (A + 1) + (A - 1) * cw - s]
    else:  # high shelf
        s = 2 * np.sqrt(A) * alpha
        b = [A * ((A + 1) + (A - 1) * cw + s), -2 * A * ((A - 1) + (A + 1) * cw), A * ((A + 1) + (A - 1) * cw - s)]
        a = [(A + 1) - (A - 1) * cw + s, 2 * ((A - 1) - (A + 1) * cw), (A + 1) - (A - 1) * cw - s]
    z = np.exp(-1j * 2 * np.pi * freqs / SR)
    h = (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    return 20 * np.log10(np.abs(h) + 1e-12)


def random_damage(rng, freqs):
    d = np.zeros_like(freqs)
    if rng.random() < 0.1:
        return d
    for _ in range(rng.integers(1, 5)):
        kind = rng.choice([0, 0, 1, 2])
        gain = rng.uniform(-12, 12)
        if kind == 0:
            f0, q = np.exp(rng.uniform(np.log(40), np.log(16000))), np.exp(rng.uniform(np.log(0.5), np.log(4)))
        elif kind == 1:
            f0, q = np.exp(rng.uniform(np.log(60), np.log(400))), 0.707
        else:
            f0, q = np.exp(rng.uniform(np.log(2000), np.log(12000))), 0.707
        d += biquad_db(kind, f0, gain, q, freqs)
    return d


def band_db(power, bm):
    s = power @ bm.T
    with np.errstate(divide="ignore"):
        out = 10 * np.log10(s)
    return np.where(np.isfinite(out), out, NEG)


def make_batch(P, roles, bm, freqs, rng, count):
    idx = rng.integers(0, len(P), count)
    clean, damaged = [], []
    for i in idx:
        d = random_damage(rng, freqs)
        clean.append(band_db(P[i][None, :], bm)[0])
        damaged.append(band_db((P[i] * 10 ** (d / 10))[None, :], bm)[0])
    clean, damaged = np.array(clean), np.array(damaged)
    onehot = np.eye(ROLES)[roles[idx]]
    return np.concatenate([damaged, onehot], axis=1).astype(np.float32), clean, damaged


def residual_mae(curve):
    r = curve[:, LO:HI + 1]
    r = r - r.mean(axis=1, keepdims=True)
    return np.abs(r).mean(axis=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "artifacts", "models-data"))
    ap.add_argument("--out", default=None, help="where to write the model (default: models/eq)")
    ap.add_argument("--steps", type=int, default=3000)
    args = ap.parse_args()
    out_dir = args.out or HERE
    d = np.load(os.path.join(args.data, "dataset.npz"))
    meta = json.load(open(os.path.join(args.data, "meta.json")))
    split = np.array([c["split"] for c in meta["clips"]])
    P, y = d["P"].astype(np.float64), d["y"]
    fft = (P.shape[1] - 1) * 2
    freqs = np.arange(P.shape[1]) * SR / fft
    freqs_safe = np.maximum(freqs, 1.0)
    bm = features.band_matrix(SR, fft)
    trv, te = split != "test", split == "test"

    # Rule-based baseline: the role's average normalised curve from clean train clips.
    clean_tr = normalise_np(band_db(P[trv], bm))
    role_avg = np.stack([clean_tr[y[trv] == r].mean(axis=0) for r in range(ROLES)])

    def baseline(damaged, roles, alpha):
        n = normalise_np(damaged)
        c = role_avg[roles] - n
        c = np.apply_along_axis(lambda v: np.convolve(np.pad(v, 1, mode="edge"), np.ones(3) / 3, mode="valid"), 1, c)
        return alpha * c

    rng = np.random.default_rng(1)
    xb, cb, db = make_batch(P[trv], y[trv], bm, freqs_safe, rng, 1500)
    target_b = normalise_np(cb) - normalise_np(db)
    rb = np.argmax(xb[:, 31:], axis=1)
    alphas = np.linspace(0, 1, 21)
    errs = [residual_mae(target_b - baseline(db, rb, a)).mean() for a in alphas]
    alpha = float(alphas[int(np.argmin(errs))])
    print(f"baseline alpha {alpha}", file=sys.stderr)

    torch.manual_seed(0)
    net = EqNet()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.steps)
    Ptr, ytr = P[trv], y[trv]
    pool_x, pool_t = None, None
    for step in range(args.steps):
        if step % 50 == 0:  # fresh damage every 50 steps
            x, c, dmg = make_batch(Ptr, ytr, bm, freqs_safe, rng, 2048)
            pool_x = torch.tensor(x)
            pool_t = torch.tensor((normalise_np(c) - normalise_np(dmg)).astype(np.float32))
        sel = torch.randint(0, len(pool_x), (128,))
        pred = net(pool_x[sel])
        t = pool_t[sel]
        err = (pred - t)[:, LO:HI + 1]
        err = err - err.mean(dim=1, keepdim=True)
        loss = torch.nn.functional.smooth_l1_loss(err, torch.zeros_like(err), beta=0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 500 == 0:
            print(f"step {step} loss {loss.item():.3f}", file=sys.stderr, flush=True)

    # Evaluation on unseen sources: 5 fixed damages per test clip.
    erng = np.random.default_rng(123)
    Pte, yte = np.repeat(P[te], 5, axis=0), np.repeat(y[te], 5)
    xs, cs, ds = [], [], []
    for i in range(len(Pte)):
        dmg = random_damage(erng, freqs_safe)
        cs.append(band_db(Pte[i][None, :], bm)[0])
        ds.append(band_db((Pte[i] * 10 ** (dmg / 10))[None, :], bm)[0])
    cs, ds = np.array(cs), np.array(ds)
    xs = np.concatenate([ds, np.eye(ROLES)[yte]], axis=1).astype(np.float32)
    target = normalise_np(cs) - normalise_np(ds)
    net.eval()
    with torch.no_grad():
        pred = net(torch.tensor(xs)).numpy()
    before = residual_mae(target)
    after_model = residual_mae(target - pred)
    after_base = residual_mae(target - baseline(ds, yte, alpha))
    damaged_mask = before > 0.25
    removed_model = 1 - after_model[damaged_mask].mean() / before[damaged_mask].mean()
    removed_base = 1 - after_base[damaged_mask].mean() / before[damaged_mask].mean()
    undamaged = ~damaged_mask
    per_role = {}
    for r in range(ROLES):
        m = damaged_mask & (yte == r)
        if m.any():
            per_role[meta["roles"][r]] = dict(before=float(before[m].mean()), model=float(after_model[m].mean()),
                                              baseline=float(after_base[m].mean()), count=int(m.sum()))
    result = dict(test_examples=int(damaged_mask.sum()), mae_before_db=float(before[damaged_mask].mean()),
                  mae_model_db=float(after_model[damaged_mask].mean()), mae_baseline_db=float(after_base[damaged_mask].mean()),
                  fraction_removed_model=float(removed_model), fraction_removed_baseline=float(removed_base),
                  improvement_over_baseline=float(1 - after_model[damaged_mask].mean() / after_base[damaged_mask].mean()),
                  undamaged_examples=int(undamaged.sum()),
                  undamaged_model_change_db=float(np.abs(pred[undamaged][:, LO:HI + 1]).mean()) if undamaged.any() else None,
                  baseline_alpha=alpha, per_role=per_role, steps=args.steps)
    print(json.dumps({k: v for k, v in result.items() if k != "per_role"}, indent=1), file=sys.stderr)
    json.dump(result, open(os.path.join(out_dir, "evaluation.json"), "w"), indent=1)

    torch.onnx.export(net, torch.tensor(xs[:1]), os.path.join(out_dir, "eq.onnx"), input_names=["spectrum_role"],
                      output_names=["correction_db"], opset_version=13, do_constant_folding=True)
    golden = xs[:3].copy()
    golden[0, 30] = NEG  # an empty band must behave as in C#
    with torch.no_grad():
        gout = net(torch.tensor(golden)).numpy()
    json.dump(dict(inputs=[[float(v) for v in r] for r in golden], outputs=[[float(v) for v in r] for r in gout]),
              open(os.path.join(out_dir, "eq_golden.json"), "w"), indent=0)
    json.dump(dict(roles=meta["roles"], curves=[[round(float(v), 3) for v in r] for r in role_avg], alpha=alpha),
              open(os.path.join(out_dir, "role_average_curves.json"), "w"), indent=0)


if __name__ == "__main__":
    main()
