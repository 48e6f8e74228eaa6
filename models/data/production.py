"""Production processing for the role data: what a part goes through in a real session.

`process(x, rng)` applies a random chain to a mono part (float64 at SR): EQ (peaks and shelves),
compression, saturation, side-chain pumping, a filter sweep, reverb, delay, bit-crush and
sample-rate reduction, a pitch/tempo change, bleed from another part, a noise floor, and a level
anywhere from -40 to 0 dBFS peak. `master(x, rng)` is a mix-bus chain (glue compression, a
brick-wall-ish limiter). Labels never depend on the chain: a role must survive all of it.
"""

import math

import numpy as np
from scipy.signal import fftconvolve, lfilter, resample_poly

SR = 44100


def _biquad(kind, fc, gain_db, q):
    a_ = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * min(fc, SR * 0.45) / SR
    c, s = math.cos(w0), math.sin(w0)
    alpha = s / (2 * q)
    if kind == "peak":
        b = [1 + alpha * a_, -2 * c, 1 - alpha * a_]
        a = [1 + alpha / a_, -2 * c, 1 - alpha / a_]
    elif kind == "lowshelf":
        sq = 2 * math.sqrt(a_) * alpha
        b = [a_ * ((a_ + 1) - (a_ - 1) * c + sq), 2 * a_ * ((a_ - 1) - (a_ + 1) * c), a_ * ((a_ + 1) - (a_ - 1) * c - sq)]
        a = [(a_ + 1) + (a_ - 1) * c + sq, -2 * ((a_ - 1) + (a_ + 1) * c), (a_ + 1) + (a_ - 1) * c - sq]
    elif kind == "highshelf":
        sq = 2 * math.sqrt(a_) * alpha
        b = [a_ * ((a_ + 1) + (a_ - 1) * c + sq), -2 * a_ * ((a_ - 1) + (a_ + 1) * c), a_ * ((a_ + 1) + (a_ - 1) * c - sq)]
        a = [(a_ + 1) - (a_ - 1) * c + sq, 2 * ((a_ - 1) - (a_ + 1) * c), (a_ + 1) - (a_ - 1) * c - sq]
    elif kind == "highpass":
        b = [(1 + c) / 2, -(1 + c), (1 + c) / 2]
        a = [1 + alpha, -2 * c, 1 - alpha]
    else:  # lowpass
        b = [(1 - c) / 2, 1 - c, (1 - c) / 2]
        a = [1 + alpha, -2 * c, 1 - alpha]
    b, a = np.array(b) / a[0], np.array(a) / a[0]
    return b, a


def eq(x, rng):
    for _ in range(int(rng.integers(1, 4))):
        kind = rng.choice(["peak", "peak", "lowshelf", "highshelf", "highpass", "lowpass"])
        if kind == "highpass":
            fc, g = rng.uniform(30, 300), 0
        elif kind == "lowpass":
            fc, g = rng.uniform(3000, 16000), 0
        else:
            fc, g = math.exp(rng.uniform(math.log(60), math.log(12000))), rng.uniform(-9, 9)
        b, a = _biquad(kind, fc, g, rng.uniform(0.5, 3) if kind == "peak" else 0.707)
        x = lfilter(b, a, x)
    return x


def _envelope(x, attack, release):
    """Peak envelope follower (one-pole attack/release) on |x|, decimated by 32 for speed."""
    d = 32
    m = np.abs(x[: len(x) // d * d]).reshape(-1, d).max(axis=1) if len(x) >= d else np.abs(x)
    aa, rr = math.exp(-d / (attack * SR)), math.exp(-d / (release * SR))
    env = np.empty_like(m)
    e = 0.0
    for i, v in enumerate(m):
        e = aa * e + (1 - aa) * v if v > e else rr * e + (1 - rr) * v
        env[i] = e
    env = np.repeat(env, d)
    return np.concatenate([env, np.full(len(x) - len(env), env[-1] if len(env) else 0.0)])


def compress(x, rng, ratio=None, threshold_db=None):
    ratio = ratio or rng.uniform(2, 10)
    env = _envelope(x, rng.uniform(0.001, 0.03), rng.uniform(0.05, 0.4))
    peak = np.abs(x).max() + 1e-12
    thr = peak * 10 ** ((threshold_db if threshold_db is not None else rng.uniform(-24, -6)) / 20)
    over = np.maximum(env / thr, 1.0)
    return x * over ** (1 / ratio - 1)


def saturate(x, rng):
    peak = np.abs(x).max() + 1e-12
    drive = rng.uniform(1.5, 8)
    kind = rng.choice(["tanh", "clip", "asym"])
    y = x / peak * drive
    if kind == "tanh":
        y = np.tanh(y)
    elif kind == "clip":
        y = np.clip(y, -1, 1)
    else:
        y = np.tanh(y + 0.3) - math.tanh(0.3)
    return y * peak / drive * rng.uniform(1, 2)


def pump(x, rng):
    bpm = rng.uniform(90, 140)
    t = np.arange(len(x)) / SR
    phase = (t * bpm / 60) % 1.0
    depth = rng.uniform(0.4, 0.95)
    return x * (1 - depth * np.exp(-phase / rng.uniform(0.08, 0.25)))


def sweep(x, rng):
    from electronic import _svf_lowpass  # noqa: E402
    t = np.arange(len(x)) / SR
    lo, hi = rng.uniform(200, 1000), rng.uniform(3000, 15000)
    rate = rng.uniform(0.05, 0.5)
    cutoff = lo * (hi / lo) ** (0.5 + 0.5 * np.sin(2 * np.pi * rate * t + rng.uniform(0, 6.28)))
    return _svf_lowpass(x, cutoff, rng.uniform(0.7, 4), block=128)


def reverb(x, rng):
    rt = rng.uniform(0.3, 3.0)
    n = int(SR * min(rt * 1.2, 3.5))
    t = np.arange(n) / SR
    ir = rng.standard_normal(n) * np.exp(-6.9 * t / rt)
    b, a = _biquad("lowpass", rng.uniform(3000, 10000), 0, 0.707)
    ir = lfilter(b, a, ir)
    ir[: int(SR * rng.uniform(0.005, 0.04))] = 0
    ir /= math.sqrt(np.sum(ir ** 2)) + 1e-12
    wet = fftconvolve(x, ir)[: len(x)]
    mix = rng.uniform(0.1, 0.6)
    return (1 - mix) * x + mix * wet * (np.std(x) / (np.std(wet) + 1e-12))


def delay(x, rng):
    d = int(SR * rng.uniform(0.08, 0.6))
    fb = rng.uniform(0.2, 0.6)
    y = x.copy()
    tap = x.copy()
    for _ in range(6):
        tap = np.concatenate([np.zeros(d), tap[:-d]]) * fb if d < len(x) else tap * 0
        y += tap * rng.uniform(0.5, 1)
    return y


def crush(x, rng):
    bits = int(rng.integers(5, 13))
    hold = int(rng.choice([1, 1, 2, 3, 4, 6]))
    q = 2.0 ** (bits - 1)
    peak = np.abs(x).max() + 1e-12
    y = np.round(x / peak * q) / q * peak
    if hold > 1:
        y = np.repeat(y[::hold], hold)[: len(x)]
    return y


def repitch(x, rng):
    up, down = rng.choice([(9, 10), (10, 9), (8, 9), (9, 8), (11, 12), (12, 11), (4, 5), (5, 4)])
    return resample_poly(x, up, down)


def process(x, rng, bleed=None, strength=1.0):
    """A random production chain for one part; returns float64 at SR, peak -40..0 dBFS."""
    x = np.asarray(x, dtype=np.float64)
    steps = [(eq, 0.7), (compress, 0.5), (saturate, 0.3), (pump, 0.12), (sweep, 0.1), (reverb, 0.4),
             (delay, 0.15), (crush, 0.08), (repitch, 0.2)]
    for f, prob in steps:
        if rng.random() < prob * strength:
            x = f(x, rng)
    if bleed is not None and rng.random() < 0.25 * strength:
        b = np.resize(np.asarray(bleed, dtype=np.float64), len(x))
        x = x + b * (np.std(x) / (np.std(b) + 1e-12)) * 10 ** (rng.uniform(-26, -12) / 20)
    if rng.random() < 0.4 * strength:
        x = x + rng.standard_normal(len(x)) * np.std(x) * 10 ** (rng.uniform(-70, -45) / 20)
    return level(x, rng)


def level(x, rng, lo=-40.0, hi=0.0):
    peak = np.abs(x).max()
    if peak <= 0:
        return x
    return x / peak * 10 ** (rng.uniform(lo, hi) / 20)


def master(x, rng):
    """Mix-bus chain: sometimes EQ, glue compression, then a hard-knee limiter to -1..-0.1 dBFS."""
    if rng.random() < 0.5:
        x = eq(x, rng)
    if rng.random() < 0.7:
        x = compress(x, rng, ratio=rng.uniform(1.5, 4), threshold_db=rng.uniform(-18, -6))
    if rng.random() < 0.7:
        push = 10 ** (rng.uniform(3, 12) / 20)
        y = x / (np.abs(x).max() + 1e-12) * push
        env = _envelope(y, 0.0005, 0.08)
        x = y / np.maximum(env, 1.0)
        x = np.clip(x, -1, 1) * 10 ** (rng.uniform(-1, -0.1) / 20)
    return x
