"""Trains the role model: a compact CNN over log-mel patches (models/role_frontend.py), the
patches of a track pooled by averaging their log-probabilities; exports models/role/role.onnx,
its golden pair, the front end's golden values and models/role/evaluation_cnn.json.

Protocol: the splits of build_role_data.py (by song, soundfont, preset, kit, language - never by
clip). The epoch is chosen on val accuracy, a softmax temperature is fitted on val (negative
log-likelihood), and the chosen model is evaluated once on test. Nothing is tuned on test.

Usage: python3 models/role/train_role_cnn.py --data DIR [--epochs N] [--threads N]
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import role_frontend as fe  # noqa: E402

ROLES = ["kick", "snare", "hihat_cymbals", "drums", "percussion", "bass", "vocal", "guitar", "keys",
         "synth_lead", "pad", "strings", "brass_winds", "fx", "mix"]


class RoleCnn(nn.Module):
    """Four 3x3 conv blocks (12-24-32-48 channels, batch norm, ReLU; the first strides 2 in time,
    2x2 max-pool after the first three), then per mel region the mean and max over time, and a
    small classifier."""

    def __init__(self, classes=len(ROLES)):
        super().__init__()
        chans = [1, 12, 24, 32, 48]
        layers = []
        for i in range(4):
            stride = (1, 2) if i == 0 else 1
            layers += [nn.Conv2d(chans[i], chans[i + 1], 3, stride=stride, padding=1, bias=False),
                       nn.BatchNorm2d(chans[i + 1]), nn.ReLU()]
            if i < 3:
                layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        bands = fe.BANDS // 8
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(2 * chans[-1] * bands, 96), nn.ReLU(), nn.Dropout(0.3),
                                  nn.Linear(96, classes))

    def forward(self, x):  # x [B, 1, 64, 128] -> logits [B, classes]
        h = self.features(x)
        h = torch.cat([h.mean(dim=3), h.amax(dim=3)], dim=1)
        return self.head(h.flatten(1))


class Pooled(nn.Module):
    """What ships: the track's patches [8, 1, 64, 128] -> calibrated probabilities [1, classes]."""

    def __init__(self, net, temperature):
        super().__init__()
        self.net = net
        self.register_buffer("temperature", torch.tensor(float(temperature)))

    def forward(self, patches):
        logp = torch.log_softmax(self.net(patches), dim=-1).mean(dim=0, keepdim=True)
        return torch.softmax(logp / self.temperature, dim=-1)


def augment(x, rng):
    """Gain-free tonal tilt/bump, time and band masking (SpecAugment), a small band shift."""
    b, _, bands, frames = x.shape
    grid = np.linspace(-1, 1, bands)
    for i in range(b):
        tilt = rng.uniform(-0.3, 0.3) * grid + rng.uniform(-0.25, 0.25) * np.exp(-((grid - rng.uniform(-1, 1)) / 0.3) ** 2)
        x[i, 0] += tilt[:, None].astype(np.float32)
        if rng.random() < 0.5:
            t0 = rng.integers(0, frames - 16)
            x[i, 0, :, t0:t0 + rng.integers(4, 16)] = -4.0
        if rng.random() < 0.3:
            f0 = rng.integers(0, bands - 6)
            x[i, 0, f0:f0 + rng.integers(2, 6), :] = -4.0
        s = int(rng.integers(-2, 3))
        if s:
            x[i, 0] = np.roll(x[i, 0], s, axis=0)
    return np.clip(x, -4.0, 1.0)


def clip_logprobs(net, X, batch=64):
    """Mean patch log-probability per clip: [clips, classes]."""
    net.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(X), batch // 8 or 1):
            xb = torch.from_numpy(X[s:s + max(1, batch // 8)].astype(np.float32))
            n = xb.shape[0]
            lp = torch.log_softmax(net(xb.reshape(n * fe.PATCHES, 1, fe.BANDS, fe.FRAMES)), dim=-1)
            out.append(lp.reshape(n, fe.PATCHES, -1).mean(dim=1).numpy())
    return np.concatenate(out)


def fit_temperature(logp, y):
    best = (1e9, 1.0)
    for t in np.arange(0.3, 3.01, 0.05):
        z = logp / t
        z = z - z.max(axis=1, keepdims=True)
        nll = -np.mean(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1)))
        best = min(best, (nll, float(t)))
    return best[1]


def probs(logp, t):
    z = logp / t
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def ece(p, y, bins=10):
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    total = 0.0
    for b in range(bins):
        m = (conf > b / bins) & (conf <= (b + 1) / bins)
        if m.any():
            total += m.mean() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    return float(total)


def report(p, y, meta_idx, meta):
    pred = p.argmax(axis=1)
    conf = np.zeros((len(ROLES), len(ROLES)), dtype=int)
    for a, b in zip(y, pred):
        conf[a, b] += 1
    by_kind = {}
    for k, i in enumerate(meta_idx):
        kind = meta[i]["kind"]
        by_kind.setdefault(kind, []).append(pred[k] == y[k])
    core = [k for k in range(len(y)) if ROLES[y[k]] in ("kick", "snare", "hihat_cymbals", "bass", "mix")]
    return dict(accuracy=float((pred == y).mean()), clips=int(len(y)),
                core_accuracy=float(np.mean([pred[k] == y[k] for k in core])) if core else None,
                by_kind={k: dict(accuracy=float(np.mean(v)), clips=len(v)) for k, v in sorted(by_kind.items())},
                recall={ROLES[r]: (float(conf[r, r] / conf[r].sum()) if conf[r].sum() else None) for r in range(len(ROLES))},
                confusion=conf.tolist())


def split_summary(split, meta):
    out = {}
    for i, s in enumerate(["train", "val", "test"]):
        kinds = {}
        for m in meta:
            if m["split"] == s:
                kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
        out[s] = dict(clips=int((split == i).sum()), by_kind=kinds)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=28)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--per-clip", type=int, default=2, help="patches per clip per epoch")
    ap.add_argument("--balance", type=float, default=0.5,
                    help="a clip is drawn with weight count(role)^-balance (0: as the data holds them, 1: every role alike)")
    ap.add_argument("--skip-test", action="store_true",
                    help="do not evaluate on test (when comparing variants on val; then --test-only on the chosen one)")
    ap.add_argument("--test-only", action="store_true",
                    help="re-evaluate the saved model (DATA/role_cnn.pt) on the test split of the current data")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    rng = np.random.default_rng(7)
    d = np.load(os.path.join(args.data, "patches.npz"))
    X, y, split = d["X"], d["y"], d["split"]
    meta = json.load(open(os.path.join(args.data, "meta.json")))["clips"]
    tr, va, te = (np.where(split == s)[0] for s in range(3))
    print(f"clips: train {len(tr)}, val {len(va)}, test {len(te)}", file=sys.stderr)

    checkpoint = os.path.join(args.data, "role_cnn.pt")
    if args.test_only:
        saved = torch.load(checkpoint)
        net = RoleCnn()
        net.load_state_dict(saved["state"])
        path = os.path.join(HERE, "evaluation_cnn.json")
        result = json.load(open(path))
        p_te = probs(clip_logprobs(net, X[te]), saved["temperature"])
        result["test"] = report(p_te, y[te], te, meta)
        result["test_ece"] = ece(p_te, y[te])
        result["splits"] = split_summary(split, meta)
        json.dump(result, open(path, "w"), indent=1)
        print(f"test {result['test']['accuracy']:.3f} on {len(te)} clips", file=sys.stderr)
        return

    counts = np.bincount(y[tr], minlength=len(ROLES)).astype(np.float64)
    weight = np.maximum(counts, 1) ** -args.balance
    sample_p = weight[y[tr]] / weight[y[tr]].sum()

    net = RoleCnn()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-3)
    steps_per_epoch = math.ceil(len(tr) * args.per_clip / 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    best = (-1.0, None, 0)
    history = []
    for epoch in range(args.epochs):
        net.train()
        t0 = time.time()
        total = 0.0
        for _ in range(steps_per_epoch):
            idx = rng.choice(tr, size=64, p=sample_p)
            pick = rng.integers(0, fe.PATCHES, size=64)
            xb = X[idx, pick][:, None].astype(np.float32)
            xb = augment(xb, rng)
            logits = net(torch.from_numpy(xb))
            loss = loss_fn(logits, torch.from_numpy(y[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        # Val (all 8 patches of every clip) from half-way on, every other epoch and at the end.
        judge = epoch + 1 >= args.epochs // 2 and ((args.epochs - epoch - 1) % 2 == 0)
        va_acc = float((clip_logprobs(net, X[va]).argmax(axis=1) == y[va]).mean()) if judge else None
        history.append(dict(epoch=epoch + 1, loss=total / steps_per_epoch, val_accuracy=va_acc))
        print(f"epoch {epoch + 1}: loss {total / steps_per_epoch:.3f} val {va_acc} ({time.time() - t0:.0f} s)", file=sys.stderr)
        if va_acc is not None and va_acc > best[0]:
            best = (va_acc, {k: v.clone() for k, v in net.state_dict().items()}, epoch + 1)
    net.load_state_dict(best[1])
    lp_va = clip_logprobs(net, X[va])
    temperature = fit_temperature(lp_va, y[va])
    p_te = None if args.skip_test else probs(clip_logprobs(net, X[te]), temperature)
    result = dict(
        model="RoleCnn 12-24-32-48, mean/max over time, 96 hidden; 8 patches pooled",
        epochs=args.epochs, balance=args.balance,
        parameters=int(sum(p.numel() for p in net.parameters())),
        chosen_epoch=best[2], val_accuracy=best[0], temperature=temperature,
        val_ece=ece(probs(lp_va, temperature), y[va]), test_ece=None if p_te is None else ece(p_te, y[te]),
        val=report(probs(lp_va, temperature), y[va], va, meta),
        test=None if p_te is None else report(p_te, y[te], te, meta), history=history,
        splits=split_summary(split, meta))
    tested = "not evaluated" if p_te is None else f"{result['test']['accuracy']:.3f}"
    print(f"chosen epoch {best[2]} val {best[0]:.3f} T {temperature:.2f} test {tested}", file=sys.stderr)

    torch.save(dict(state=net.state_dict(), temperature=temperature), checkpoint)
    pooled = Pooled(net, temperature).eval()
    onnx_path = os.path.join(HERE, "role.onnx")
    dummy = torch.zeros(fe.PATCHES, 1, fe.BANDS, fe.FRAMES)
    torch.onnx.export(pooled, dummy, onnx_path, input_names=["patches"], output_names=["probabilities"], opset_version=13)
    # Golden pairs. The runtime alone: a rule-made input (C# makes the same) -> probabilities.
    # The whole chain: the shared test signal (features.test_signal, 6 s) -> front end -> model.
    import features
    rule = (np.arange(fe.COUNT) * 7919 % 1000) / 250.0 - 3.0
    sig = features.test_signal(44100, 6.0)
    patches = fe.patches(sig.astype(np.float64), 44100)
    with torch.no_grad():
        rule_out = pooled(torch.from_numpy(rule.astype(np.float32).reshape(fe.PATCHES, 1, fe.BANDS, fe.FRAMES))).numpy()[0]
        sig_out = pooled(torch.from_numpy(patches[:, None])).numpy()[0]
    flat = patches.reshape(-1).astype(np.float64)
    json.dump(dict(signal="features.test_signal(44100, 6.0)", count=int(flat.size), sum=float(flat.sum()),
                   sum_squares=float((flat ** 2).sum()), every=97, values=[float(flat[i]) for i in range(0, flat.size, 97)]),
              open(os.path.join(HERE, "patches_golden.json"), "w"))
    json.dump(dict(roles=ROLES, input_rule="x[i] = ((i * 7919) % 1000) / 250 - 3",
                   rule_output=[float(v) for v in rule_out], signal_output=[float(v) for v in sig_out]),
              open(os.path.join(HERE, "role_golden.json"), "w"), indent=1)
    json.dump(result, open(os.path.join(HERE, "evaluation_cnn.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
