"""Trains the role classifier on models/data's dataset, exports models/role/role.onnx, its golden
input/output pair and the model card figures.

Data: the 3 s note-sequence clips (dataset.npz) and the 8 s musical phrases (phrases.npz) of
models/data/build_dataset.py. Protocol: sources are split train/val/test. The number of epochs is
chosen on val; a softmax temperature is then fitted on val (negative log-likelihood of a train-only
ensemble) so the probabilities the balance engine averages over are calibrated; the exported model
is trained on train+val with that temperature and evaluated once on test.

Usage: python3 models/role/train_role.py [--data DIR]
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


class RoleNet(nn.Module):
    def __init__(self, mean, std, classes):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.register_buffer("temperature", torch.tensor(1.0))
        self.body = nn.Sequential(nn.Linear(len(mean), 256), nn.ReLU(), nn.Dropout(0.3),
                                  nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, classes))

    def logits(self, x):
        return self.body((x - self.mean) / self.std)

    def forward(self, x):
        return torch.softmax(self.logits(x) / self.temperature, dim=-1)


class Ensemble(nn.Module):
    """Mean of the members' probabilities."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x):
        return torch.stack([m(x) for m in self.members]).mean(dim=0)


def augment(x, rng):
    """Random smooth EQ tilt/bump added to the mel envelope: roles must not hinge on one
    source's tonal balance."""
    x = x.copy()
    n = len(x)
    pos = np.linspace(-1.0, 1.0, 40)[None, :]
    tilt = rng.uniform(-6, 6, (n, 1)) * pos
    centre = rng.uniform(-1, 1, (n, 1))
    bump = rng.uniform(-4, 4, (n, 1)) * np.exp(-((pos - centre) ** 2) / 0.08)
    x[:, 0:40] += (tilt + bump).astype(np.float32)
    return x


def train(X, y, classes, epochs, seed, Xv=None, yv=None, sample_weight=None):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mean, std = X.mean(axis=0), X.std(axis=0) + 1e-3
    net = RoleNet(mean, std, classes)
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-3)
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    weight = torch.tensor(counts.sum() / (classes * np.maximum(counts, 1)))
    loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=0.05, reduction="none")
    history = []
    yt = torch.tensor(y)
    wt = torch.ones(len(y)) if sample_weight is None else torch.tensor(sample_weight, dtype=torch.float32)
    for epoch in range(epochs):
        net.train()
        xb = torch.tensor(augment(X, rng))
        perm = torch.randperm(len(xb))
        for i in range(0, len(xb), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = (loss_fn(net.logits(xb[idx]), yt[idx]) * wt[idx]).sum() / wt[idx].sum()
            loss.backward()
            opt.step()
        if Xv is not None:
            history.append(accuracy(net, Xv, yv))
    return net, history


def predict(net, X):
    net.eval()
    with torch.no_grad():
        return net(torch.tensor(X)).numpy()


def accuracy(net, X, y):
    return float((predict(net, X).argmax(axis=1) == y).mean())


def load(data):
    """Features, labels, splits and clip metadata of dataset.npz plus phrases.npz (when built)."""
    d = np.load(os.path.join(data, "dataset.npz"))
    meta = json.load(open(os.path.join(data, "meta.json")))
    X, y = d["X"], d["y"]
    clips = [dict(c, kind="notes") for c in meta["clips"]]
    path = os.path.join(data, "phrases.npz")
    if os.path.exists(path):
        p = np.load(path)
        pmeta = json.load(open(os.path.join(data, "phrases_meta.json")))
        assert pmeta["roles"] == meta["roles"]
        X, y = np.concatenate([X, p["X"]]), np.concatenate([y, p["y"]])
        clips += [dict(c, kind="phrase") for c in pmeta["clips"]]
    return X.astype(np.float32), y, clips, meta["roles"]


def nll(probs, y):
    return float(-np.mean(np.log(np.maximum(probs[np.arange(len(y)), y], 1e-9))))


def ece(probs, y, bins=10):
    """Expected calibration error of the top-1 probability."""
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    total = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        m = (conf > lo) & (conf <= lo + 1.0 / bins)
        if m.any():
            total += m.mean() * abs(float((pred[m] == y[m]).mean()) - float(conf[m].mean()))
    return total


def set_temperature(net, t):
    for m in net.members:
        m.temperature.fill_(t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "artifacts", "models-data"))
    ap.add_argument("--max-epochs", type=int, default=150)
    ap.add_argument("--phrase-weight", type=float, default=2.0,
                    help="loss weight of a phrase clip (a note-sequence clip: 1); 2 chosen leave-one-song-out on the mix evaluation's training songs")
    ap.add_argument("--out", default=HERE, help="where role.onnx, the goldens and evaluation.json go")
    args = ap.parse_args()
    X, y, clips, roles = load(args.data)
    split = np.array([c["split"] for c in clips])
    kind = np.array([c["kind"] for c in clips])
    tr, va, te = split == "train", split == "val", split == "test"
    sw = np.where(kind == "phrase", args.phrase_weight, 1.0)
    C = len(roles)

    # Epochs by validation (mean of three seeds, smoothed). The shipped model is a five-seed ensemble.
    curves = []
    for seed in range(3):
        _, hist = train(X[tr], y[tr], C, args.max_epochs, seed, X[va], y[va], sw[tr])
        curves.append(hist)
    curve = np.convolve(np.mean(curves, axis=0), np.ones(5) / 5, mode="same")
    epochs = int(np.argmax(curve)) + 1
    val_acc = float(np.mean(curves, axis=0)[epochs - 1])
    print(f"epochs {epochs}, val accuracy {val_acc:.3f}", file=sys.stderr)

    # Temperature: fitted on val for a train-only three-seed ensemble (grid, NLL).
    calib = Ensemble([train(X[tr], y[tr], C, epochs, seed, sample_weight=sw[tr])[0] for seed in range(3)])
    grid = np.round(np.arange(0.5, 3.01, 0.05), 2)
    scores = []
    for t in grid:
        set_temperature(calib, float(t))
        scores.append(nll(predict(calib, X[va]), y[va]))
    temperature = float(grid[int(np.argmin(scores))])
    set_temperature(calib, 1.0)
    pv1 = predict(calib, X[va])
    set_temperature(calib, temperature)
    pvt = predict(calib, X[va])
    calibration = dict(temperature=temperature, val_nll_before=nll(pv1, y[va]), val_nll_after=nll(pvt, y[va]),
                       val_ece_before=ece(pv1, y[va]), val_ece_after=ece(pvt, y[va]),
                       val_accuracy_ensemble=float((pvt.argmax(axis=1) == y[va]).mean()),
                       val_phrase_accuracy_ensemble=float((pvt.argmax(axis=1) == y[va])[kind[va] == "phrase"].mean())
                       if (kind[va] == "phrase").any() else None)
    print(f"temperature {temperature}: {calibration}", file=sys.stderr)

    # Source-held-out view of train-only model on test, then the shipped model (train+val).
    trv = tr | va
    net = Ensemble([train(X[trv], y[trv], C, epochs, seed, sample_weight=sw[trv])[0] for seed in range(5)])
    set_temperature(net, temperature)
    probs = predict(net, X[te])
    pred = probs.argmax(axis=1)
    test_acc = float((pred == y[te]).mean())
    conf = np.zeros((C, C), dtype=int)
    for t, p in zip(y[te], pred):
        conf[t, p] += 1
    sources = {}
    for c, t, p in zip(np.array(clips)[te], y[te], pred):
        s = c["source"].split("/")[0] if c["source"].startswith(("hydrogen", "espeak")) else c["source"]
        s += " phrases" if c["kind"] == "phrase" else ""
        sources.setdefault(s, []).append(t == p)
    phrase_conf = np.zeros((C, C), dtype=int)
    for t, p, k in zip(y[te], pred, kind[te]):
        if k == "phrase":
            phrase_conf[t, p] += 1
    per_source = {s: (float(np.mean(v)), len(v)) for s, v in sources.items()}
    print(f"test accuracy {test_acc:.3f}", file=sys.stderr)

    net.eval()
    out = args.out
    os.makedirs(out, exist_ok=True)
    onnx_path = os.path.join(out, "role.onnx")
    dummy = torch.tensor(X[te][:1])
    torch.onnx.export(net, dummy, onnx_path, input_names=["features"], output_names=["probabilities"],
                      opset_version=13, do_constant_folding=True)

    # Golden pair: the shared synthetic test signal through features and the model.
    sig = features.test_signal()
    gf = features.role_features(sig, 44100)
    with torch.no_grad():
        gp = net(torch.tensor(gf[None, :], dtype=torch.float32)).numpy()[0]
    json.dump(dict(signal="features.test_signal(44100, 2.0)", sample_rate=44100, features=[float(v) for v in gf]),
              open(os.path.join(out, "features_golden.json"), "w"), indent=0)
    golden_in = X[te][:3]
    with torch.no_grad():
        golden_out = net(torch.tensor(golden_in)).numpy()
    json.dump(dict(roles=roles, inputs=[[float(v) for v in r] for r in golden_in],
                   outputs=[[float(v) for v in r] for r in golden_out],
                   signal_features_output=[float(v) for v in gp]),
              open(os.path.join(out, "role_golden.json"), "w"), indent=0)

    json.dump(dict(roles=roles, epochs=epochs, phrase_weight=args.phrase_weight, val_accuracy=val_acc, test_accuracy=test_acc,
                   test_count=int(te.sum()), train_count=int(tr.sum()), val_count=int(va.sum()),
                   test_nll=nll(probs, y[te]), test_ece=ece(probs, y[te]),
                   test_phrase_accuracy=float((pred == y[te])[kind[te] == "phrase"].mean()) if (kind[te] == "phrase").any() else None,
                   test_notes_accuracy=float((pred == y[te])[kind[te] == "notes"].mean()),
                   counts_by_kind={k: {sp: int(((split == sp) & (kind == k)).sum()) for sp in ("train", "val", "test")}
                                   for k in ("notes", "phrase")},
                   calibration=calibration, confusion=conf.tolist(), phrase_confusion=phrase_conf.tolist(),
                   per_source=per_source),
              open(os.path.join(out, "evaluation.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
