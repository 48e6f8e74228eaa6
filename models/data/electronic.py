"""Electronic parts for the role data: drum machines and synthesisers written here (numpy only).

Every sound comes from a *preset*: a seeded set of synthesis parameters, as a producer's patch or
a drum machine's kit would be. Presets are the sources the splits are made of (a preset renders
several clips, and sits in exactly one split); `engine` names the synthesis family so that a whole
family can be held out.

Drum voices: kick (sine with pitch and amplitude envelopes, click, drive: 808/909/FM styles),
snare (tuned body + band-passed noise), clap (burst train + tail), closed and open hats (noise or
six detuned square waves, high-passed), crash and ride (long metallic noise), percussion (toms,
congas, cowbell, shaker, rim). Patterns: four-on-the-floor, breakbeat, half-time, trap rolls.
Synth parts: oscillators (saw, square, pulse, triangle, sine), unison with detune, sub, a
resonant low-pass with its envelope, 2-operator FM, additive spectra; bass lines (root eighths,
off-beats, 808 glides, acid, reese, wobble), leads (melodies with glide and vibrato), arpeggios
and plucks (synth_lead), pads (held chords, slow attack).
"""

import math

import numpy as np

SR = 44100


# ---------------------------------------------------------------------------------------- tools
def _t(n):
    return np.arange(n) / SR


def _svf_lowpass(x, cutoff, q, block=64):
    """Resonant low-pass (RBJ biquad) whose cutoff (Hz, array or scalar) is updated every
    `block` samples; the filter state carries across blocks."""
    from scipy.signal import lfilter
    cutoff = np.broadcast_to(np.asarray(cutoff, dtype=np.float64), x.shape)
    y = np.empty_like(x)
    zi = np.zeros(2)
    for s in range(0, len(x), block):
        fc = float(min(max(cutoff[s], 20.0), SR * 0.45))
        w0 = 2 * math.pi * fc / SR
        alpha = math.sin(w0) / (2 * max(q, 0.5))
        c = math.cos(w0)
        b = np.array([(1 - c) / 2, 1 - c, (1 - c) / 2])
        a = np.array([1 + alpha, -2 * c, 1 - alpha])
        y[s:s + block], zi = lfilter(b / a[0], a / a[0], x[s:s + block], zi=zi)
    return y


def _bandpass_fft(x, lo, hi):
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / SR)
    spec[(f < lo) | (f > hi)] = 0
    return np.fft.irfft(spec, len(x))


def _highpass_fft(x, lo):
    return _bandpass_fft(x, lo, SR / 2)


def _osc(kind, freq, n, rng, phase=None):
    """Naive-but-softened oscillator for a per-sample frequency array."""
    freq = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    ph = np.cumsum(freq) / SR + (rng.random() if phase is None else phase)
    ph = ph % 1.0
    if kind == "sine":
        return np.sin(2 * np.pi * ph)
    if kind == "saw":
        return 2.0 * ph - 1.0
    if kind == "square":
        return np.where(ph < 0.5, 1.0, -1.0)
    if kind == "pulse":
        return np.where(ph < 0.2 + 0.2 * rng.random(), 1.0, -1.0)
    if kind == "triangle":
        return 4.0 * np.abs(ph - 0.5) - 1.0
    raise ValueError(kind)


def _midi_hz(m):
    return 440.0 * 2.0 ** ((np.asarray(m, dtype=np.float64) - 69.0) / 12.0)


def _adsr(n, a, d, s, r, gate):
    """Envelope over n samples with the gate open for `gate` samples."""
    t = np.arange(n, dtype=np.float64)
    a_n, d_n, r_n = max(1, int(a * SR)), max(1, int(d * SR)), max(1, int(r * SR))
    env = np.where(t < a_n, t / a_n, s + (1 - s) * np.exp(-(t - a_n) / d_n))
    rel = np.exp(-np.maximum(0, t - gate) / r_n)
    level_at_gate = env[min(gate, n - 1)]
    return np.where(t < gate, env, level_at_gate * rel)


# ---------------------------------------------------------------------------------------- drums
def drum_preset(rng, engine):
    """A drum machine: parameters for every voice."""
    p = dict(engine=engine)
    if engine == "analog":       # 808-like: long sine kicks, tonal snares, square-bank hats
        p.update(kick_f0=rng.uniform(110, 220), kick_f1=rng.uniform(38, 58), kick_pitch=rng.uniform(0.02, 0.06),
                 kick_decay=rng.uniform(0.25, 1.2), kick_click=rng.uniform(0, 0.2), kick_drive=rng.uniform(1, 2.5),
                 hat_metal=True)
    elif engine == "digital":    # 909-like: punchy kicks with clicks, noisy snares, noise hats
        p.update(kick_f0=rng.uniform(180, 400), kick_f1=rng.uniform(45, 70), kick_pitch=rng.uniform(0.008, 0.03),
                 kick_decay=rng.uniform(0.12, 0.45), kick_click=rng.uniform(0.2, 0.7), kick_drive=rng.uniform(1.5, 5),
                 hat_metal=False)
    else:                        # fm: phase-modulated bodies
        p.update(kick_f0=rng.uniform(120, 300), kick_f1=rng.uniform(40, 65), kick_pitch=rng.uniform(0.01, 0.05),
                 kick_decay=rng.uniform(0.15, 0.8), kick_click=rng.uniform(0, 0.4), kick_drive=rng.uniform(1, 4),
                 hat_metal=bool(rng.random() < 0.5), fm_index=rng.uniform(0.5, 4), fm_ratio=rng.uniform(1.3, 3.7))
    p.update(snare_tone=rng.uniform(150, 260), snare_noise=rng.uniform(0.4, 0.9), snare_decay=rng.uniform(0.08, 0.3),
             snare_band=(rng.uniform(800, 2500), rng.uniform(5000, 12000)),
             hat_hp=rng.uniform(5000, 9000), hat_closed=rng.uniform(0.02, 0.09), hat_open=rng.uniform(0.2, 0.7),
             cym_decay=rng.uniform(1.0, 3.0), tom_base=rng.uniform(80, 160), clap_band=rng.uniform(900, 1800),
             metal=np.array([205.3, 304.4, 369.6, 522.7, 540.0, 800.0]) * rng.uniform(0.8, 1.6))
    return p


def _fm_body(p, f, n):
    if p["engine"] != "fm":
        return None
    ph = np.cumsum(f) / SR
    mod = np.sin(2 * np.pi * ph * p["fm_ratio"]) * p["fm_index"] * np.exp(-_t(n) / 0.05)
    return np.sin(2 * np.pi * ph + mod)


def kick(p, rng, vel=1.0):
    n = int(SR * min(1.6, p["kick_decay"] * 3 + 0.05))
    t = _t(n)
    f = p["kick_f1"] + (p["kick_f0"] - p["kick_f1"]) * np.exp(-t / p["kick_pitch"])
    body = _fm_body(p, f, n)
    if body is None:
        body = np.sin(2 * np.pi * np.cumsum(f) / SR)
    x = body * np.exp(-t / p["kick_decay"])
    click = rng.standard_normal(n) * np.exp(-t / 0.003) * p["kick_click"]
    x = np.tanh(p["kick_drive"] * (x + _highpass_fft(click, 1500))) / np.tanh(p["kick_drive"])
    return vel * x


def snare(p, rng, vel=1.0):
    n = int(SR * (p["snare_decay"] * 4 + 0.05))
    t = _t(n)
    tone = (np.sin(2 * np.pi * p["snare_tone"] * t) + 0.5 * np.sin(2 * np.pi * p["snare_tone"] * 1.6 * t)) * np.exp(-t / 0.05)
    noise = _bandpass_fft(rng.standard_normal(n), *p["snare_band"]) * np.exp(-t / p["snare_decay"])
    noise /= np.abs(noise).max() + 1e-9
    x = (1 - p["snare_noise"]) * tone + p["snare_noise"] * noise
    return vel * x


def clap(p, rng, vel=1.0):
    n = int(SR * 0.4)
    t = _t(n)
    env = np.zeros(n)
    for k in range(4):
        s = int(SR * 0.011 * k)
        env[s:] += np.exp(-(t[: n - s]) / (0.006 if k < 3 else 0.12))
    x = _bandpass_fft(rng.standard_normal(n), p["clap_band"] * 0.6, p["clap_band"] * 3) * env
    return vel * x / (np.abs(x).max() + 1e-9)


def hat(p, rng, open_=False, vel=1.0):
    decay = p["hat_open"] if open_ else p["hat_closed"]
    n = int(SR * (decay * 4 + 0.02))
    t = _t(n)
    if p["hat_metal"]:
        src = sum(_osc("square", f, n, rng) for f in p["metal"])
    else:
        src = rng.standard_normal(n)
    x = _highpass_fft(src, p["hat_hp"]) * np.exp(-t / decay)
    return vel * x / (np.abs(x).max() + 1e-9)


def cymbal(p, rng, ride=False, vel=1.0):
    n = int(SR * (p["cym_decay"] * (0.7 if ride else 1.5)))
    t = _t(n)
    src = rng.standard_normal(n) + 0.5 * sum(_osc("square", f * 2.1, n, rng) for f in p["metal"])
    x = _highpass_fft(src, 3000 if ride else 4000) * np.exp(-t / (p["cym_decay"] * (0.4 if ride else 0.6)))
    if ride:
        x += 0.4 * np.sin(2 * np.pi * p["metal"][5] * 3.1 * t) * np.exp(-t / 0.4)
    return vel * x / (np.abs(x).max() + 1e-9)


def perc(p, rng, kind, vel=1.0):
    if kind == "tom":
        n = int(SR * 0.5)
        t = _t(n)
        f0 = p["tom_base"] * rng.choice([1.0, 1.33, 1.7])
        x = np.sin(2 * np.pi * np.cumsum(f0 * (1 + 0.5 * np.exp(-t / 0.03))) / SR) * np.exp(-t / 0.18)
    elif kind == "conga":
        n = int(SR * 0.3)
        t = _t(n)
        f0 = rng.uniform(180, 420)
        x = np.sin(2 * np.pi * np.cumsum(f0 * (1 + 0.2 * np.exp(-t / 0.01))) / SR) * np.exp(-t / 0.07)
    elif kind == "cowbell":
        n = int(SR * 0.35)
        t = _t(n)
        x = _bandpass_fft(_osc("square", 540, n, rng) + _osc("square", 800, n, rng), 400, 4000) * np.exp(-t / 0.09)
    elif kind == "shaker":
        n = int(SR * 0.12)
        t = _t(n)
        x = _bandpass_fft(rng.standard_normal(n), 4000, 12000) * np.sin(np.pi * t / t[-1]) ** 2
    else:  # rim
        n = int(SR * 0.08)
        t = _t(n)
        x = (np.sin(2 * np.pi * 1700 * t) + _highpass_fft(rng.standard_normal(n), 2000) * 0.5) * np.exp(-t / 0.01)
    return vel * x / (np.abs(x).max() + 1e-9)


def _place(track, sound, at):
    s = max(0, int(at * SR))
    if s >= len(track):
        return
    e = min(len(track), s + len(sound))
    track[s:e] += sound[: e - s]


def drum_bank(p, rng):
    """A few renders of every voice of a preset (hits are placed from these, scaled by velocity)."""
    kinds = list(rng.choice(["tom", "conga", "cowbell", "shaker", "rim"], size=2, replace=False))
    return dict(kick=[kick(p, rng) for _ in range(2)], snare=[snare(p, rng) for _ in range(2)],
                clap=[clap(p, rng) for _ in range(2)], closed=[hat(p, rng, False) for _ in range(3)],
                open=[hat(p, rng, True) for _ in range(2)], crash=[cymbal(p, rng)],
                perc=[[perc(p, rng, k) for _ in range(2)] for k in kinds])


def drum_parts(p, rng, seconds, bank=None):
    """The four drum parts (kick, snare, hihat_cymbals, percussion) of one groove."""
    bank = bank or drum_bank(p, rng)
    bpm = rng.choice([rng.uniform(80, 100), rng.uniform(118, 130), rng.uniform(135, 175)])
    beat = 60.0 / bpm
    style = rng.choice(["four", "break", "half", "trap"])
    n = int(seconds * SR)
    out = {r: np.zeros(n) for r in ("kick", "snare", "hihat_cymbals", "percussion")}
    steps = int(seconds / (beat / 4)) + 1
    open_every = rng.choice([0, 2, 4])
    kick_steps = {"four": [0, 4, 8, 12], "break": [0, 6, 10], "half": [0, 11], "trap": [0, 7, 10]}[style]
    snare_steps = [8] if style in ("half", "trap") else [4, 12]
    use_clap = rng.random() < 0.35

    def pick(voices):
        return voices[int(rng.integers(0, len(voices)))]

    for s in range(steps):
        at = s * beat / 4 + rng.normal(0, 0.002)
        pos = s % 16
        v = rng.uniform(0.7, 1.0)
        if pos in kick_steps or (style == "break" and rng.random() < 0.06):
            _place(out["kick"], v * pick(bank["kick"]), at)
        if pos in snare_steps:
            _place(out["snare"], v * pick(bank["clap"] if use_clap else bank["snare"]), at)
        elif rng.random() < 0.05:
            _place(out["snare"], 0.3 * v * pick(bank["snare"]), at)
        if (pos % 2 == 0) or (style in ("trap", "four") and rng.random() < 0.6):
            is_open = open_every and pos % 8 == open_every
            _place(out["hihat_cymbals"], v * rng.uniform(0.5, 1.0) * pick(bank["open" if is_open else "closed"]), at)
            if style == "trap" and rng.random() < 0.15:
                for k in range(1, 4):
                    _place(out["hihat_cymbals"], 0.5 * v * pick(bank["closed"]), at + k * beat / 12)
        if pos == 0 and (s // 16) % 4 == 0 and rng.random() < 0.5:
            _place(out["hihat_cymbals"], v * bank["crash"][0], at)
        if rng.random() < 0.22:
            _place(out["percussion"], v * pick(bank["perc"][s % 2]), at)
    return out


def drum_part(p, rng, role, seconds):
    """One drum role, or the whole kit (drums) with the parts at random relative levels."""
    out = drum_parts(p, rng, seconds)
    if role == "drums":
        gains = rng.uniform(0.4, 1.0, 4)
        return sum(g * out[r] for g, r in zip(gains, out)), out
    return out[role], out


# ---------------------------------------------------------------------------------------- synths
def synth_preset(rng, engine, part):
    p = dict(engine=engine, part=part)
    p["osc"] = rng.choice(["saw", "square", "pulse", "triangle", "sine"], p=[0.4, 0.2, 0.15, 0.1, 0.15])
    p["unison"] = int(rng.choice([1, 1, 2, 3, 5, 7])) if part != "bass" else int(rng.choice([1, 1, 2, 3]))
    p["detune"] = rng.uniform(0.03, 0.3)  # semitones
    p["cutoff"] = rng.uniform(300, 6000) if part != "pad" else rng.uniform(600, 4000)
    p["env_amt"] = rng.uniform(0, 4)  # octaves
    p["q"] = rng.uniform(0.7, 6)
    p["fm_ratio"] = rng.choice([0.5, 1, 2, 3, 1.41])
    p["fm_index"] = rng.uniform(0.3, 5)
    p["partials"] = rng.random(12) ** 2
    p["sub"] = rng.uniform(0, 0.6) if part == "bass" else 0.0
    p["noise"] = rng.uniform(0, 0.08)
    p["vibrato"] = rng.uniform(0, 0.25) if part == "synth_lead" else 0.0
    p["glide"] = rng.uniform(0, 0.08) if part in ("synth_lead", "bass") else 0.0
    if part == "pad":
        p["adsr"] = (rng.uniform(0.2, 1.5), rng.uniform(0.5, 2), rng.uniform(0.6, 1), rng.uniform(0.5, 2.5))
    elif part == "pluck":
        p["adsr"] = (0.002, rng.uniform(0.08, 0.35), rng.uniform(0, 0.15), rng.uniform(0.05, 0.3))
    elif part == "bass":
        p["adsr"] = (rng.uniform(0.002, 0.01), rng.uniform(0.1, 0.6), rng.uniform(0.3, 1), rng.uniform(0.03, 0.2))
    else:
        p["adsr"] = (rng.uniform(0.003, 0.05), rng.uniform(0.1, 0.5), rng.uniform(0.5, 1), rng.uniform(0.05, 0.4))
    p["style"] = rng.choice({"bass": ["eighths", "offbeat", "808", "acid", "reese", "wobble", "walk"],
                             "synth_lead": ["melody", "arp"], "pluck": ["arp", "melody"],
                             "pad": ["chords"]}[part])
    return p


def _voice(p, rng, freq_curve, n, gate):
    eng = p["engine"]
    if eng == "fm":
        ph = np.cumsum(freq_curve) / SR
        idx = p["fm_index"] * _adsr(n, 0.001, 0.2, 0.3, 0.2, gate)
        x = np.sin(2 * np.pi * ph + idx * np.sin(2 * np.pi * ph * p["fm_ratio"]))
    elif eng == "additive":
        ph = np.cumsum(freq_curve) / SR
        x = np.zeros(n)
        for k, a in enumerate(p["partials"]):
            x += a * np.sin(2 * np.pi * (k + 1) * ph) * (freq_curve * (k + 1) < SR / 2.2)
        x /= p["partials"].sum() + 1e-9
    else:
        x = np.zeros(n)
        for u in range(p["unison"]):
            det = 0.0 if p["unison"] == 1 else (u / (p["unison"] - 1) - 0.5) * 2 * p["detune"]
            x += _osc(p["osc"], freq_curve * 2 ** (det / 12), n, rng)
        x /= math.sqrt(p["unison"])
        if p["sub"]:
            x += p["sub"] * _osc("sine", freq_curve / 2, n, rng)
    x += p["noise"] * rng.standard_normal(n)
    env = _adsr(n, *p["adsr"][:3], p["adsr"][3], gate)
    if eng == "subtractive" or p["part"] in ("bass", "pad"):
        fenv = _adsr(n, 0.002, p["adsr"][1], 0.0, 0.1, gate)
        cutoff = np.minimum(p["cutoff"] * 2 ** (p["env_amt"] * fenv), 16000)
        if p.get("style") == "wobble":
            cutoff = cutoff * (0.3 + 0.7 * (0.5 + 0.5 * np.sin(2 * np.pi * rng.choice([2, 4, 6]) * _t(n))))
        x = _svf_lowpass(x, cutoff, p["q"])
    return x * env


SCALES = [[0, 2, 4, 5, 7, 9, 11], [0, 2, 3, 5, 7, 8, 10], [0, 3, 5, 7, 10]]


def synth_part(p, rng, seconds):
    n = int(seconds * SR)
    out = np.zeros(n)
    bpm = rng.uniform(80, 160)
    beat = 60.0 / bpm
    root = int(rng.integers(0, 12))
    scale = SCALES[int(rng.integers(0, len(SCALES)))]
    part, style = p["part"], p["style"]
    notes = []  # (start s, dur s, midi)
    if part == "bass":
        base = 28 + root + int(rng.choice([0, 12]))
        t = 0.0
        while t < seconds:
            if style == "808":
                dur = beat * rng.choice([1, 2, 1.5])
                notes.append((t, dur * 0.95, base + int(rng.choice([0, 0, 7, 5, -2]))))
                t += dur
            elif style == "offbeat":
                notes.append((t + beat / 2, beat / 2 * 0.8, base + int(rng.choice([0, 0, 7, 12]))))
                t += beat
            elif style == "walk":
                notes.append((t, beat * 0.9, base + scale[int(rng.integers(0, len(scale)))]))
                t += beat
            else:
                step = beat / (4 if style == "acid" else 2)
                if rng.random() < 0.85:
                    notes.append((t, step * rng.uniform(0.5, 0.95), base + int(rng.choice([0, 0, 0, 12, 7, 3]))))
                t += step
    elif part == "pad":
        t = 0.0
        while t < seconds:
            dur = beat * 4 * rng.choice([1, 2])
            deg = int(rng.integers(0, 7))
            for k in (0, 2, 4, 6)[: int(rng.integers(3, 5))]:
                pc = scale[(deg + k) % len(scale)] + 12 * ((deg + k) // len(scale))
                notes.append((t, dur * 0.98, 52 + root + pc))
            t += dur
    else:
        lo = 60 if part == "synth_lead" else 55
        t = 0.0
        step = beat / (4 if style == "arp" else rng.choice([1, 2]))
        deg = 0
        while t < seconds:
            if style == "arp":
                deg = (deg + int(rng.choice([2, 2, 1, 4]))) % 14
            else:
                deg = int(np.clip(deg + rng.integers(-2, 3), 0, 13))
            pc = scale[deg % len(scale)] + 12 * (deg // len(scale))
            dur = step * rng.uniform(0.5, 1.0) if style == "arp" else step * rng.choice([1, 1, 2, 3])
            if rng.random() < (0.92 if style == "arp" else 0.8):
                notes.append((t, dur * 0.9, lo + root + pc))
            t += dur if style != "arp" else step
    for start, dur, m in notes:
        gate = int(dur * SR)
        length = min(n - int(start * SR), gate + int(p["adsr"][3] * SR * 4))
        if length <= 0:
            continue
        f = np.full(length, float(_midi_hz(m)))
        if p["vibrato"]:
            f *= 2 ** (p["vibrato"] / 12 * np.sin(2 * np.pi * 5.5 * _t(length)) * np.minimum(1, _t(length) / 0.3))
        if p["glide"] and style in ("808", "melody") and rng.random() < 0.4:
            f *= 2 ** (rng.choice([-12, -5, 5, 7]) / 12 * np.exp(-_t(length) / max(p["glide"], 1e-3)))
        _place(out, _voice(p, rng, f, length, gate) * rng.uniform(0.7, 1.0), start)
    return out


# ---------------------------------------------------------------------------------- synth leads
# Lead synthesisers as producers build them, one flavour per preset (a preset sits in one split):
# supersaw (many detuned saws, octave layer), PWM (pulse width swept by an LFO), square, filtered
# saw (resonant low-pass with its envelope), fifths (a layer a fifth up), soft (triangle or sine
# with a breath chiff), voice (saw through vowel formants), drive (saturated and filtered),
# sync (hard-synced saw swept by an envelope), chip (naive pulse, fast arpeggio), fm (2-operator).
# Played monophonically, as leads are: one pitch curve with portamento, delayed vibrato, scoops,
# envelopes that do not retrigger on legato notes, in typical lead registers, as motif-based
# melodic phrases (motif, answer, held notes, runs, rests).
LEAD_FLAVOURS = ["supersaw", "pwm", "square", "saw_filter", "fifths", "soft", "voice", "drive", "sync",
                 "chip", "fm"]
VOWELS = [(800, 1150, 2900), (400, 1600, 2700), (350, 600, 2400), (270, 2300, 3000), (500, 1000, 2600)]


def lead_preset(rng, flavour):
    p = dict(flavour=flavour)
    p["unison"] = int(rng.choice([5, 7, 9])) if flavour == "supersaw" else int(rng.choice([1, 1, 2, 3]))
    p["detune"] = rng.uniform(0.08, 0.45) if flavour == "supersaw" else rng.uniform(0.02, 0.15)
    p["octave"] = (float(rng.choice([-12, 12])), rng.uniform(0.15, 0.6)) if rng.random() < 0.35 else None
    p["osc"] = rng.choice(["saw", "square"]) if flavour in ("fifths", "drive") else "triangle" if flavour == "soft" and rng.random() < 0.6 else "sine" if flavour == "soft" else "saw"
    p["width"] = rng.choice([0.125, 0.25, 0.5]) if flavour == "chip" else rng.uniform(0.3, 0.5)
    p["pwm"] = (rng.uniform(0.1, 0.35), rng.uniform(0.2, 5.0))  # depth, LFO Hz
    p["cutoff"] = rng.uniform(1200, 9000) if flavour != "saw_filter" else rng.uniform(300, 1500)
    p["env_amt"] = rng.uniform(2, 5) if flavour in ("saw_filter", "sync") else rng.uniform(0, 1.5)
    p["fdecay"] = rng.uniform(0.05, 0.5)
    p["q"] = rng.uniform(2, 9) if flavour == "saw_filter" else rng.uniform(0.7, 2.5)
    p["keytrack"] = rng.uniform(0, 1)
    p["drive"] = rng.uniform(3, 14)
    p["sync"] = (rng.uniform(1.2, 2.0), rng.uniform(1.5, 4.0), rng.uniform(0.1, 0.8))  # ratio floor, sweep, decay s
    p["fm"] = (float(rng.choice([1, 2, 3, 0.5])), rng.uniform(0.8, 4.0), rng.uniform(0.1, 1.0))  # ratio, index, decay
    p["vowel"] = VOWELS[int(rng.integers(0, len(VOWELS)))]
    p["noise"] = rng.uniform(0.05, 0.25) if flavour == "soft" else rng.uniform(0, 0.03)
    p["adsr"] = (rng.uniform(0.002, 0.06), rng.uniform(0.1, 0.8), rng.uniform(0.45, 1.0), rng.uniform(0.04, 0.5))
    p["glide"] = rng.uniform(0.02, 0.15) if rng.random() < 0.6 else 0.0  # portamento time constant, s
    p["legato"] = rng.uniform(0.3, 1.0) if p["glide"] else rng.uniform(0, 0.4)
    p["vibrato"] = (rng.uniform(0, 0.5), rng.uniform(4.5, 7.0), rng.uniform(0.05, 0.6))  # semitones, Hz, delay s
    p["scoop"] = rng.uniform(0, 0.5)
    p["arp"] = flavour == "chip" and rng.random() < 0.5
    p["fifth"] = rng.uniform(0.4, 0.9)
    p["low"] = int(rng.integers(57, 74))   # lowest key of the phrase's range (lead registers)
    p["span"] = int(rng.integers(12, 22))
    p["bpm"] = rng.uniform(80, 175)
    return p


def _lead_notes(p, rng, seconds):
    """(start s, duration s, key) of a motif-based lead phrase."""
    beat = 60.0 / p["bpm"]
    root = int(rng.integers(0, 12))
    scale = SCALES[int(rng.integers(0, len(SCALES)))]
    keys = [k for k in range(p["low"], p["low"] + p["span"] + 1) if (k - root) % 12 in scale]
    rhythms = [[1, 1, 0.5, 0.5, 1], [0.5] * 8, [1.5, 0.5, 2], [0.75, 0.75, 0.5, 2], [0.25] * 8 + [2],
               [2, 1, 1], [0.5, 0.5, 1, 2], [1, 0.5, 0.5, 0.5, 0.5, 1], [3, 1], [0.25, 0.25, 0.5, 1, 2]]
    motif_r = rhythms[int(rng.integers(0, len(rhythms)))]
    i = int(rng.integers(len(keys) // 4, max(len(keys) // 4 + 1, 3 * len(keys) // 4)))
    motif = []
    for _ in motif_r:
        i = int(np.clip(i + rng.choice([-2, -1, -1, 0, 1, 1, 2, 3, -3]), 0, len(keys) - 1))
        motif.append(i)
    notes = []
    t = rng.uniform(0, beat)
    while t < seconds:
        shift = int(rng.choice([0, 0, 1, -1, 2, -2, 3]))
        for r, k in zip(motif_r, motif):
            if rng.random() < 0.15:
                k += int(rng.choice([-1, 1]))
            k = int(np.clip(k + shift, 0, len(keys) - 1))
            dur = r * beat
            if rng.random() < 0.9:
                notes.append((t, dur, keys[k]))
            t += dur
        if rng.random() < 0.5:
            t += beat * rng.choice([0.5, 1, 2])  # a breath between phrases
        if rng.random() < 0.3:                   # a held note
            notes.append((t, beat * rng.choice([2, 3, 4]), keys[int(rng.integers(0, len(keys)))]))
            t += notes[-1][1]
    return notes


def lead_part(p, rng, seconds):
    """One monophonic lead phrase of a lead preset (mono float array at SR)."""
    n = int(seconds * SR)
    t = _t(n)
    notes = [(s, d, k) for s, d, k in _lead_notes(p, rng, seconds) if s < seconds - 0.05]
    if not notes:
        notes = [(0.0, seconds, p["low"] + 7)]
    target = np.full(n, float(notes[0][2]))
    since = np.zeros(n)      # seconds since the current note began
    env = np.zeros(n)
    fenv = np.zeros(n)
    a, d, s, r = p["adsr"]
    beat = 60.0 / p["bpm"]
    for j, (start, dur, key) in enumerate(notes):
        i0 = int(start * SR)
        nxt = int(notes[j + 1][0] * SR) if j + 1 < len(notes) else n
        target[i0:] = key
        since[i0:nxt] = t[: nxt - i0]
        joined = j > 0 and notes[j - 1][0] + notes[j - 1][1] >= start - 1e-3 and rng.random() < p["legato"]
        gate_s = dur * (1.0 if joined or rng.random() < p["legato"] else rng.uniform(0.5, 0.9))
        length = min(n - i0, int((gate_s + 4 * r) * SR))
        gate = int(gate_s * SR)
        e = _adsr(length, a if not joined else 0.002, d, s, r, gate) * rng.uniform(0.75, 1.0)
        if joined:
            e = np.maximum(e, s * 0.9 * (np.arange(length) < gate))  # no new attack on a legato note
        env[i0:i0 + length] = np.maximum(env[i0:i0 + length], e)
        if not joined:
            fe_ = _adsr(length, 0.002, p["fdecay"], 0.0, 0.1, gate)
            fenv[i0:i0 + length] = np.maximum(fenv[i0:i0 + length], fe_)
        if p["scoop"] and rng.random() < p["scoop"]:
            m = min(length, int(0.12 * SR))
            target[i0:i0 + m] += rng.choice([-2.0, -1.0, 1.0]) * np.exp(-np.arange(m) / (0.03 * SR)) * (np.arange(m) < m)
    pitch = target
    if p["glide"]:
        from scipy.signal import lfilter
        k = math.exp(-1.0 / (p["glide"] * SR))
        pitch = lfilter([1 - k], [1, -k], target - target[0]) + target[0]
    depth, rate, delay = p["vibrato"]
    if depth:
        ramp = np.clip((since - delay) / 0.3, 0, 1)
        pitch = pitch + depth * ramp * np.sin(2 * np.pi * rate * t + rng.random() * 6.28)
    if p["arp"]:
        step = int(SR * beat / rng.choice([6, 8]))
        pitch = pitch + np.array([0, 4, 7, 12])[(np.arange(n) // step) % int(rng.choice([3, 4]))][:n]
    f = _midi_hz(pitch)
    fl = p["flavour"]
    x = np.zeros(n)
    if fl in ("supersaw", "saw_filter", "voice", "pwm", "square", "chip", "fifths", "drive", "soft"):
        kind = {"pwm": "pwm", "square": "square", "chip": "pulse", "soft": p["osc"], "fifths": p["osc"],
                "drive": p["osc"]}.get(fl, "saw")
        for u in range(p["unison"]):
            det = 0.0 if p["unison"] == 1 else (u / (p["unison"] - 1) - 0.5) * 2 * p["detune"]
            fu = f * 2 ** (det / 12)
            if kind == "pwm":
                ph = (np.cumsum(fu) / SR + rng.random()) % 1.0
                w = 0.5 + p["pwm"][0] * np.sin(2 * np.pi * p["pwm"][1] * t + rng.random() * 6.28)
                x += np.where(ph < w, 1.0, -1.0)
            elif kind == "pulse":
                ph = (np.cumsum(fu) / SR + rng.random()) % 1.0
                x += np.where(ph < p["width"], 1.0, -1.0)
            else:
                x += _osc(kind, fu, n, rng)
        x /= math.sqrt(p["unison"])
        if fl == "fifths":
            x += p["fifth"] * _osc(p["osc"], f * 2 ** (7 / 12), n, rng)
        if fl == "soft":
            x += 0.3 * _osc("sine", f * 2, n, rng) + 0.1 * _osc("sine", f * 3, n, rng)
    elif fl == "sync":
        floor_, sweep, dec = p["sync"]
        pm = np.cumsum(f) / SR
        ratio = floor_ + sweep * (0.3 + 0.7 * fenv) if dec > 0.4 else floor_ + sweep * fenv
        x = 2.0 * (((pm - np.floor(pm)) * ratio) % 1.0) - 1.0
    else:  # fm
        ratio, index, dec = p["fm"]
        pm = np.cumsum(f) / SR
        x = np.sin(2 * np.pi * pm + index * (0.4 + 0.6 * fenv) * np.sin(2 * np.pi * ratio * pm))
    if p["octave"]:
        x += p["octave"][1] * _osc("saw" if fl != "soft" else "sine", f * 2 ** (p["octave"][0] / 12), n, rng)
    if p["noise"]:
        chiff = fenv if fl == "soft" else 0.3
        x += p["noise"] * rng.standard_normal(n) * (0.3 + chiff)
    if fl == "voice":
        from scipy.signal import butter, sosfilt
        y = np.zeros(n)
        for k, fc in enumerate(p["vowel"]):
            sos = butter(2, [fc * 0.85, fc * 1.15], btype="band", fs=SR, output="sos")
            y += sosfilt(sos, x) * (1.0, 0.6, 0.3)[k]
        x = y
    elif fl == "drive":
        x = np.tanh(p["drive"] * x / (np.abs(x).max() + 1e-9)) / np.tanh(p["drive"])
    if fl not in ("chip", "voice"):
        cutoff = p["cutoff"] * 2 ** (p["env_amt"] * fenv) * (f / 440.0) ** p["keytrack"]
        x = _svf_lowpass(x, np.minimum(cutoff, 16000), p["q"])
    x = x * env
    return x / (np.abs(x).max() + 1e-9)
