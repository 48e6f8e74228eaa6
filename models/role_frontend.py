"""What the role model hears: log-mel patches, computed exactly as
src/MixMate.Assistant/Features/RolePatches.cs computes them in C# (a test holds the two to
models/role/patches_golden.json). Any change here must be made there too.

Version 3. From a mono mix-down (mean of the channels), on a grid fixed in seconds and hertz so
that every sample rate from 22.05 to 384 kHz gives the same picture:
  hop H = round(0.0232 * fs) samples, window W = 2H (periodic Hann), FFT size N = the next power
  of two >= W (zero-padded), power |X|^2 / (N * sum w^2) (sums over bins to the frame's power
  whatever N is); 64 triangular HTK-mel bands, 30 Hz .. 11 kHz (below 22.05 kHz's Nyquist).
  Frame t starts at sample t*H (zero-padded past the end).
Patches: PATCHES patches of FRAMES frames. Frame level = mean square of the H samples starting at
t*H (a cheap time-domain read); a frame is active when its level is within 50 dB of the loudest
frame's. Candidate starts every 16 frames; those whose frames are at least half active are kept
(if none, those with the most active frames); PATCHES starts are taken evenly among them
(index (2 i (n-1) + P-1) // (2 (P-1))). Each patch: band dB = 10 log10(power + 1e-30) minus the dB
of the patch's mean band power, clipped to [-80, 20], divided by 20. Level-independent: a gain
moves every value of the patch by the same dB, which the reference removes.
"""

import math

import numpy as np

PATCHES = 8
BANDS = 64
FRAMES = 128
FMIN = 30.0
FMAX = 11000.0
HOP_SECONDS = 0.0232
CANDIDATE_STEP = 16
ACTIVE_RANGE_DB = 50.0
FLOOR_DB = -80.0
CEIL_DB = 20.0
SCALE_DB = 20.0
TINY = 1e-30
COUNT = PATCHES * BANDS * FRAMES


def grid(sample_rate):
    """(hop, window, fft size) for a sample rate."""
    hop = int(math.floor(HOP_SECONDS * sample_rate + 0.5))
    window = 2 * hop
    n = 1
    while n < window:
        n *= 2
    return hop, window, n


def hz_to_mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def mel_bank(sample_rate, n):
    """(first bin, weights) per band; triangles over the bin frequencies k fs / n."""
    lo_mel, hi_mel = hz_to_mel(FMIN), hz_to_mel(FMAX)
    edges = [mel_to_hz(lo_mel + (hi_mel - lo_mel) * i / (BANDS + 1)) for i in range(BANDS + 2)]
    bins = n // 2 + 1
    out = []
    for b in range(BANDS):
        lo, c, hi = edges[b], edges[b + 1], edges[b + 2]
        first = int(math.ceil(lo * n / sample_rate))
        last = min(bins - 1, int(math.floor(hi * n / sample_rate)))
        w = []
        for k in range(first, last + 1):
            f = k * sample_rate / n
            w.append(max(0.0, min((f - lo) / (c - lo), (hi - f) / (hi - c))))
        out.append((first, np.array(w, dtype=np.float64)))
    return out


def frame_levels(mono, hop):
    frames = max(1, (len(mono) + hop - 1) // hop)
    x = np.zeros(frames * hop, dtype=np.float64)
    x[:len(mono)] = mono
    return (x.reshape(frames, hop) ** 2).mean(axis=1)


def patch_starts(levels):
    frames = len(levels)
    top = float(levels.max())
    if top <= 0.0:
        return None
    threshold = top * 10.0 ** (-ACTIVE_RANGE_DB / 10.0)
    active = levels > threshold
    last = max(0, frames - FRAMES)
    starts = list(range(0, last + 1, CANDIDATE_STEP))
    counts = [int(active[s:s + FRAMES].sum()) for s in starts]
    keep = [s for s, c in zip(starts, counts) if 2 * c >= min(FRAMES, frames)]
    if not keep:
        best = max(counts)
        keep = [s for s, c in zip(starts, counts) if c == best]
    n = len(keep)
    return [keep[(2 * i * (n - 1) + PATCHES - 1) // (2 * (PATCHES - 1))] for i in range(PATCHES)]


def patches(channels_or_mono, sample_rate):
    """float32 array (PATCHES, BANDS, FRAMES), or None for digital silence.
    Input: 1-D mono or 2-D (frames, channels)."""
    x = np.asarray(channels_or_mono, dtype=np.float64)
    mono = x.mean(axis=1) if x.ndim == 2 else x
    hop, window, n = grid(sample_rate)
    starts = patch_starts(frame_levels(mono, hop))
    if starts is None:
        return None
    i = np.arange(window, dtype=np.float64)
    w = 0.5 - 0.5 * np.cos(2.0 * np.pi * i / window)
    norm = n * float(np.sum(w * w))
    bank = mel_bank(sample_rate, n)
    cache = {}
    out = np.empty((PATCHES, BANDS, FRAMES), dtype=np.float32)
    for p, s in enumerate(starts):
        if s in cache:
            out[p] = cache[s]
            continue
        seg = np.zeros((FRAMES, n), dtype=np.float64)
        for t in range(FRAMES):
            a = (s + t) * hop
            chunk = mono[a:a + window]
            seg[t, :len(chunk)] = chunk * w[:len(chunk)]
        spec = np.fft.rfft(seg, axis=1)
        power = (spec.real ** 2 + spec.imag ** 2) / norm
        mel = np.empty((BANDS, FRAMES), dtype=np.float64)
        for b, (first, wb) in enumerate(bank):
            mel[b] = power[:, first:first + len(wb)] @ wb
        ref = 10.0 * math.log10(float(mel.mean()) + TINY)
        db = 10.0 * np.log10(mel + TINY) - ref
        v = (np.clip(db, FLOOR_DB, CEIL_DB) / SCALE_DB).astype(np.float32)
        cache[s] = v
        out[p] = v
    return out
