"""Features the models see, computed exactly as src/MixMate.Assistant/Features/ computes them in C#.

The role features below belong to the previous role model (still written into dataset.npz; no
longer computed in C#). The role model now hears log-mel patches: models/role_frontend.py.

Role features (version 2, 89 values) from a mono mix-down (mean of the channels):
  frames of N = 2048 samples, hop 1024, periodic Hann window, power |X|^2 / (N * sum w^2);
  40 triangular mel bands (HTK mel scale, 30 Hz .. min(16 kHz, fs/2));
  active frames: frame level within 60 dB of the loudest frame and above -90 dB;
  [0:40]  mean over active frames of (band dB - clip level dB)   (spectral envelope, gain-free)
  [40:80] standard deviation over active frames of band dB       (how each band moves)
  [80] mean, [81] std of log2(spectral centroid / 1 kHz)
  [82] mean spectral flatness in dB (50 Hz .. 16 kHz)
  [83] standard deviation of frame level (dB)
  [84] mean positive spectral flux (dB per band) into active frames
  [85] fraction of active frames
  [86] mean log2(85 % roll-off frequency / 1 kHz)
  [87] mean negative spectral flux (dB per band) into active frames (how fast notes decay)
  [88] mean spectral peakiness of active frames: 10 log10(max bin power / mean bin power), bins >= 1

Third-octave spectrum: mirrors MixMate.Dsp.Spectrum.LongTermSpectrum (Welch, Hann, 50 % overlap,
power summed over channels, FFT size = next power of two >= max(256, fs / 6)).
"""

import math

import numpy as np

FRAME = 2048
HOP = 1024
MEL_BANDS = 40
MEL_FMIN = 30.0
MEL_FMAX = 16000.0
FEATURE_COUNT = 89
ACTIVE_RANGE_DB = 60.0
ACTIVE_FLOOR_DB = -90.0
EPS = 1e-12


def hann(n):
    i = np.arange(n, dtype=np.float64)
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * i / n)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(sample_rate):
    fmax = min(MEL_FMAX, sample_rate / 2.0)
    mels = np.linspace(hz_to_mel(MEL_FMIN), hz_to_mel(fmax), MEL_BANDS + 2)
    # Same arithmetic as C#: edges from the mel points one by one.
    edges = np.array([mel_to_hz(m) for m in mels])
    freqs = np.arange(FRAME // 2 + 1, dtype=np.float64) * sample_rate / FRAME
    bank = np.zeros((MEL_BANDS, FRAME // 2 + 1))
    for b in range(MEL_BANDS):
        lo, c, hi = edges[b], edges[b + 1], edges[b + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        bank[b] = np.maximum(0.0, np.minimum(up, down))
    return bank


def frame_power(mono):
    """Power spectra of the full frames (at least one, zero-padded), shape (frames, N/2+1)."""
    x = np.asarray(mono, dtype=np.float64)
    if len(x) < FRAME:
        x = np.concatenate([x, np.zeros(FRAME - len(x))])
    count = 1 + (len(x) - FRAME) // HOP
    w = hann(FRAME)
    norm = FRAME * np.sum(w * w)
    idx = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    spec = np.fft.rfft(x[idx] * w[None, :], axis=1)
    return (spec.real ** 2 + spec.imag ** 2) / norm


def role_features(mono, sample_rate):
    """87 role features, or None when the clip is silent."""
    p = frame_power(mono)
    freqs = np.arange(FRAME // 2 + 1, dtype=np.float64) * sample_rate / FRAME
    bank = mel_filterbank(sample_rate)
    band_db = 10.0 * np.log10(p @ bank.T + EPS)
    energy = p.sum(axis=1)
    level = 10.0 * np.log10(energy + EPS)
    top = level.max()
    active = (level > top - ACTIVE_RANGE_DB) & (level > ACTIVE_FLOOR_DB)
    if not active.any():
        return None
    n_active = int(active.sum())
    ref = 10.0 * np.log10(energy[active].mean() + EPS)
    f = np.zeros(FEATURE_COUNT)
    a_db = band_db[active]
    f[0:40] = (a_db - ref).mean(axis=0)
    f[40:80] = a_db.std(axis=0)

    pa = p[active][:, 1:]
    fa = freqs[1:]
    tot = pa.sum(axis=1) + EPS
    centroid = np.maximum((pa * fa[None, :]).sum(axis=1) / tot, 1.0)
    lc = np.log2(centroid / 1000.0)
    f[80] = lc.mean()
    f[81] = lc.std()

    sel = (freqs >= 50.0) & (freqs <= min(16000.0, sample_rate / 2.0))
    ps = p[active][:, sel] + EPS
    flat = np.exp(np.log(ps).mean(axis=1)) / ps.mean(axis=1)
    f[82] = (10.0 * np.log10(flat)).mean()

    f[83] = level[active].std()

    if len(level) > 1:
        rise = np.maximum(0.0, band_db[1:] - band_db[:-1]).mean(axis=1)
        fall = np.maximum(0.0, band_db[:-1] - band_db[1:]).mean(axis=1)
        mask = active[1:]
        f[84] = rise[mask].mean() if mask.any() else 0.0
        f[87] = fall[mask].mean() if mask.any() else 0.0
    f[85] = n_active / len(level)

    cum = np.cumsum(pa, axis=1)
    roll_idx = np.argmax(cum >= 0.85 * cum[:, -1:], axis=1)
    roll = np.maximum(fa[roll_idx], 1.0)
    f[86] = np.log2(roll / 1000.0).mean()
    pk = pa + EPS
    f[88] = (10.0 * np.log10(pk.max(axis=1) / pk.mean(axis=1))).mean()
    return f


# --- third-octave long-term spectrum (mirror of LongTermSpectrum) ---------------------------------

def ltas_fft_size(sample_rate):
    n = max(256.0, sample_rate / 6.0)
    size = 1
    while size < n:
        size *= 2
    return size


def welch_power(channels, sample_rate):
    """Mean one-sided power per bin summed over channels; channels is (C, samples)."""
    n = ltas_fft_size(sample_rate)
    hop = n // 2
    w = hann(n)
    norm = np.sum(w * w) * n
    total = np.zeros(n // 2 + 1)
    frames = 0
    for ch in np.atleast_2d(np.asarray(channels, dtype=np.float64)):
        x = ch
        if len(x) < n:
            x = np.concatenate([x, np.zeros(n - len(x))])
        count = 1 + (len(x) - n) // hop
        idx = np.arange(n)[None, :] + hop * np.arange(count)[:, None]
        spec = np.fft.rfft(x[idx] * w[None, :], axis=1)
        pw = (spec.real ** 2 + spec.imag ** 2) / norm
        pw[:, 1:-1] *= 2.0
        total += pw.sum(axis=0)
        frames = count
    return total / frames


def band_centre(i):
    return 1000.0 * 2.0 ** ((i - 17) / 3.0)


def band_matrix(sample_rate, fft_size):
    """(31, bins) matrix summing bin power into the third-octave bands, as LongTermSpectrum does."""
    bins = fft_size // 2 + 1
    freqs = np.arange(bins) * sample_rate / fft_size
    m = np.zeros((31, bins))
    for b in range(31):
        lo = band_centre(b) * 2.0 ** (-1.0 / 6.0)
        hi = band_centre(b) * 2.0 ** (1.0 / 6.0)
        sel = (freqs >= lo) & (freqs < hi)
        sel[0] = False
        if sel.any():
            m[b, sel] = 1.0
        elif hi < sample_rate / 2.0:
            nearest = int(round(band_centre(b) * fft_size / sample_rate))
            if 0 < nearest < bins:
                m[b, nearest] = (hi - lo) * fft_size / sample_rate
    return m


def third_octave_db(power, sample_rate):
    fft_size = (len(power) - 1) * 2
    s = band_matrix(sample_rate, fft_size) @ power
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(s)


def test_signal(sample_rate=44100, seconds=2.0):
    """Deterministic signal shared with the C# agreement test (same integer LCG, same formula)."""
    n = int(sample_rate * seconds)
    out = np.zeros(n, dtype=np.float32)
    state = 12345
    for i in range(n):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        noise = state / 2147483647.0 * 2.0 - 1.0
        t = i / sample_rate
        env = 0.5 + 0.5 * math.sin(2.0 * math.pi * 1.5 * t)
        v = 0.3 * math.sin(2.0 * math.pi * 110.0 * t) + 0.2 * env * math.sin(2.0 * math.pi * 2500.0 * t) + 0.05 * noise
        if 0.8 <= t < 1.0:
            v *= 0.001
        out[i] = v
    return out
