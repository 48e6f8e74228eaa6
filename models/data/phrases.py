"""Musical phrases for the role dataset: every GM program and drum kit of a soundfont playing the
kind of part it plays in a song (melodies with breaths, comping chords, held pads, arpeggios,
strums, bass lines, section stabs, grooves), in a realistic register, at a random tempo and key,
with velocity shaping, and with the soundfont's reverb and chorus sends on or off. Longer clips
(8 s at 48 kHz) than the 3 s note-sequence clips of build_dataset.py, so the model also learns how
whole parts breathe and ring out, as they do in a multitrack song.

Labels are the project's roles by GM family (build_dataset.gm_role); drum parts are labelled by
instrument class like the other drum clips. Used by build_dataset.py (phrases.npz).
"""

import os
import random
import subprocess
import tempfile

import numpy as np
import soundfile as sf

SR = 48000
CLIP = 8.0      # seconds analysed per phrase
SLOT = 10.5     # seconds per phrase in the rendered file (clip + reverb/release tail)
GROUP = 16      # programs per FluidSynth render (bounds memory)

# Natural range (lowest, highest MIDI key) per GM program family, overridden per program below.
FAMILY_RANGE = [(0, 8, (45, 84)), (8, 16, (60, 90)), (16, 24, (48, 79)), (24, 32, (40, 76)),
                (32, 40, (28, 52)), (40, 48, (48, 84)), (48, 56, (48, 79)), (56, 64, (50, 79)),
                (64, 72, (50, 79)), (72, 80, (62, 91)), (80, 88, (55, 84)), (88, 96, (48, 76)),
                (96, 104, (48, 84)), (104, 112, (50, 81)), (112, 120, (48, 76)), (120, 128, (48, 76))]
PROGRAM_RANGE = {41: (48, 76), 42: (36, 64), 43: (28, 50), 56: (58, 82), 57: (40, 70), 58: (30, 55),
                 60: (45, 72), 64: (60, 84), 65: (52, 78), 66: (46, 72), 67: (36, 62), 68: (58, 84),
                 69: (52, 76), 70: (34, 64), 71: (50, 84), 72: (72, 96), 47: (36, 55), 116: (36, 55)}

# Parts each family plays, as (style, weight).
FAMILY_STYLES = [(0, 8, [("chords", 3), ("arp", 2), ("melody", 2), ("pad", 1)]),
                 (8, 16, [("melody", 3), ("arp", 2), ("chords", 1)]),
                 (16, 21, [("chords", 2), ("pad", 3), ("melody", 1)]),
                 (21, 24, [("melody", 3), ("chords", 1)]),
                 (24, 32, [("strum", 3), ("arp", 2), ("melody", 2), ("chords", 1)]),
                 (32, 40, [("bass", 1)]),
                 (40, 45, [("melody", 3), ("pad", 2)]),
                 (45, 47, [("arp", 2), ("melody", 2), ("chords", 1)]),
                 (47, 48, [("hits", 1)]),
                 (48, 55, [("pad", 3), ("chords", 1), ("melody", 1)]),
                 (55, 56, [("stabs", 1)]),
                 (56, 64, [("melody", 3), ("stabs", 2), ("pad", 1)]),
                 (64, 80, [("melody", 5), ("pad", 1)]),
                 (80, 88, [("melody", 4), ("arp", 1)]),
                 (88, 96, [("pad", 4), ("chords", 1)]),
                 (96, 104, [("pad", 2), ("melody", 1), ("arp", 1), ("hits", 1)]),
                 (104, 109, [("arp", 2), ("melody", 2), ("strum", 1)]),
                 (109, 112, [("melody", 1)]),
                 (112, 120, [("hits", 3), ("melody", 1)]),
                 (120, 128, [("hits", 2), ("pad", 1)])]

DRUM_KITS = [0, 8, 16, 24, 25, 32, 40, 48]


def _family(table, program):
    for lo, hi, value in table:
        if lo <= program < hi:
            return value
    raise ValueError(program)


def _note(events, ch, t, dur, key, vel):
    key = int(min(127, max(0, key)))
    vel = int(min(127, max(1, vel)))
    events.append((t, bytes([0x90 | ch, key, vel])))
    events.append((t + max(0.02, dur), bytes([0x80 | ch, key, 0])))


class _Song:
    """Tempo, key and a four-chord loop shared by the notes of one phrase."""

    def __init__(self, rng):
        self.beat = 60.0 / rng.uniform(70, 150)
        self.tonic = rng.randint(0, 11)
        self.minor = rng.random() < 0.45
        scale = [0, 2, 3, 5, 7, 8, 10] if self.minor else [0, 2, 4, 5, 7, 9, 11]
        self.scale = scale
        degrees = [0] + [rng.choice([1, 2, 3, 4, 5, 6]) for _ in range(3)]
        self.chords = []
        for d in degrees:
            self.chords.append([scale[(d + k) % 7] + 12 * ((d + k) // 7) for k in (0, 2, 4, 6)])
        self.bar = 4 * self.beat
        self.bars = max(1, round(CLIP * rng.uniform(0.8, 0.92) / self.bar))
        self.swing = rng.random() < 0.2

    def chord(self, bar):
        return [self.tonic + k for k in self.chords[bar % 4]]

    def near(self, pitch_classes, lo, hi, around):
        cands = [k for k in range(lo, hi + 1) if k % 12 in {p % 12 for p in pitch_classes}]
        return min(cands, key=lambda k: abs(k - around)) if cands else around


def _voicing(song, bar, lo, hi, rng, notes):
    chord = song.chord(bar)[:notes]
    base = song.near([chord[0]], lo, max(lo, hi - 12), rng.randint(lo, max(lo, hi - 12)))
    out = [base]
    for pc in chord[1:]:
        k = out[-1] + 1
        while k % 12 != pc % 12:
            k += 1
        out.append(k)
    return out


def melodic_phrase(rng, program, role):
    """(start s, duration s, key, velocity) of one part; returns notes and the song."""
    song = _Song(rng)
    lo, hi = PROGRAM_RANGE.get(program, _family(FAMILY_RANGE, program))
    shift = rng.choice([0, 0, 0, 0, -12, 12])  # sometimes an octave off the natural range
    if lo + shift >= 24 and hi + shift <= 100:
        lo, hi = lo + shift, hi + shift
    styles = _family(FAMILY_STYLES, program)
    style = rng.choices([s for s, _ in styles], [w for _, w in styles])[0]
    vel = rng.randint(60, 112)
    out = []
    b = song.beat

    def v(delta=0):
        return vel + delta + rng.randint(-8, 8)

    if style == "melody":
        key = rng.randint(lo + 4, hi - 4)
        rest_bar = rng.choice([2, 4, 0])
        for bar in range(song.bars):
            if rest_bar and bar % rest_bar == rest_bar - 1 and bar != song.bars - 1:
                continue
            t = 0.0
            lengths = rng.choice([[0.5, 1, 1.5], [0.25, 0.5], [1, 2], [0.5, 0.5, 1]])
            while t < 4:
                length = min(rng.choice(lengths), 4 - t)
                if rng.random() < 0.85:
                    chord_tone = rng.random() < 0.6
                    pcs = song.chord(bar) if chord_tone else [song.tonic + s for s in song.scale]
                    key = song.near(pcs, lo, hi, key + rng.randint(-5, 5))
                    legato = rng.uniform(0.7, 1.0)
                    _push(out, song, bar, t, length * legato, key, v(10 if t == 0 else 0))
                t += length
    elif style == "chords":
        rhythm = rng.choice([[(0, 1.5), (1.5, 1), (3, 1)], [(0, 1), (1, 1), (2, 1), (3, 1)],
                             [(0, 2), (2, 2)], [(0.5, 0.5), (1.5, 0.5), (2.5, 0.5), (3.5, 0.5)],
                             [(0, 0.75), (0.75, 0.75), (2, 1.5)]])
        n = rng.choice([3, 3, 4])
        for bar in range(song.bars):
            voices = _voicing(song, bar, lo, hi, rng, n)
            for beat, length in rhythm:
                for k in voices:
                    _push(out, song, bar, beat, length * 0.9, k, v(-6))
    elif style == "pad":
        n = rng.choice([3, 4])
        bars = rng.choice([1, 2])
        for bar in range(0, song.bars, bars):
            for k in _voicing(song, bar, lo, hi, rng, n):
                _push(out, song, bar, 0, 4 * bars * 0.98, k, v(-10))
    elif style == "arp":
        step = rng.choice([0.5, 0.25, 1.0 / 3])
        for bar in range(song.bars):
            voices = _voicing(song, bar, lo, hi, rng, 3)
            seq = voices + [voices[0] + 12, voices[2], voices[1]]
            t, i = 0.0, 0
            while t < 4 - 1e-6:
                _push(out, song, bar, t, step * rng.uniform(0.8, 1.6), seq[i % len(seq)], v(8 if i % 4 == 0 else -4))
                t += step
                i += 1
    elif style == "strum":
        rhythm = rng.choice([[0, 1, 1.5, 2.5, 3, 3.5], [0, 2], [0, 1, 2, 3], [0, 0.5, 1.5, 2, 3, 3.5]])
        for bar in range(song.bars):
            chord = song.chord(bar)
            root = song.near([chord[0]], lo, lo + 12, lo + 5)
            strum = [root, root + 7, root + 12, song.near([chord[1]], root + 12, root + 24, root + 16), root + 19]
            for i, beat in enumerate(rhythm):
                down = i % 2 == 0
                order = strum if down else list(reversed(strum))
                for j, k in enumerate(order):
                    _push(out, song, bar, beat, rng.choice([0.45, 0.9]), k, v(6 if down else -6) - 2 * j, spread=0.015 * j)
    elif style == "bass":
        pattern = rng.choice(["whole", "eighths", "root5", "walking", "sixteenths", "syncopated"])
        for bar in range(song.bars):
            root = song.near([song.chord(bar)[0]], lo, lo + 11, lo + 5)
            if pattern == "whole":
                _push(out, song, bar, 0, 3.9, root, v())
            elif pattern == "eighths":
                for e in range(8):
                    _push(out, song, bar, 0.5 * e, 0.42, root, v(6 if e % 2 == 0 else -8))
            elif pattern == "root5":
                for beat, iv, length in [(0, 0, 1.4), (1.5, 0, 0.45), (2, 7, 0.9), (3, 12, 0.45), (3.5, 7, 0.45)]:
                    _push(out, song, bar, beat, length, root + iv, v())
            elif pattern == "walking":
                steps = [0, song.chord(bar)[1] - song.chord(bar)[0], 7, rng.choice([9, 10, 5])]
                for q in range(4):
                    _push(out, song, bar, q, 0.9, root + steps[q], v(-2 * q))
            elif pattern == "sixteenths":
                for s in range(16):
                    if rng.random() < 0.7:
                        _push(out, song, bar, 0.25 * s, 0.2, root + rng.choice([0, 0, 12, 7, 10]), v(8 if s % 4 == 0 else -6))
            else:
                for beat, iv in [(0, 0), (0.75, 12), (1.5, 0), (2, 10), (2.5, 0), (3.25, 7), (3.5, 12)]:
                    _push(out, song, bar, beat, 0.2, root + iv, v())
    elif style == "stabs":
        rhythm = rng.choice([[1.5, 3], [0, 2.5], [1, 3], [0.5, 1.5, 3.5]])
        for bar in range(song.bars):
            voices = _voicing(song, bar, lo, hi, rng, 3)
            for beat in rhythm:
                for k in voices:
                    _push(out, song, bar, beat, rng.choice([0.25, 0.4, 0.6]), k, v(10))
    else:  # hits: sparse repeated notes, as percussive instruments play
        step = rng.choice([0.5, 1.0, 0.25])
        keys = [rng.randint(lo, hi) for _ in range(rng.choice([1, 2, 3]))]
        for bar in range(song.bars):
            t = 0.0
            while t < 4 - 1e-6:
                if rng.random() < 0.6:
                    _push(out, song, bar, t, step * 0.8, rng.choice(keys), v())
                t += step
    return out, song, style


def _push(out, song, bar, beat, length, key, vel, spread=0.0):
    if song.swing and abs(beat * 2 - round(beat * 2)) < 1e-6 and round(beat * 2) % 2 == 1:
        beat += 1.0 / 6
    t = (bar * 4 + beat) * song.beat + spread
    if t < CLIP - 0.2:
        out.append((t, min(length * song.beat, CLIP - 0.1 - t), key, vel))


KICK, SNARE, SIDE, CLAP = [35, 36], [38, 40], 37, 39
HATS, RIDE, CRASH = [42, 44, 46], [51, 59, 53], [49, 57, 52, 55]
PERC = [54, 56, 60, 61, 62, 63, 64, 65, 66, 69, 70, 75, 76, 77]
TOMS = [41, 43, 45, 47, 48, 50]


def drum_phrase(rng, role):
    """(time s, key, velocity) of a drum part over the clip."""
    beat = 60.0 / rng.uniform(70, 160)
    bars = max(1, round(CLIP * rng.uniform(0.8, 0.92) / (4 * beat)))
    soft = rng.random() < 0.35
    base = rng.randint(70, 95) if soft else rng.randint(95, 122)
    hits = []

    def hit(bar, b, key, vel):
        t = (bar * 4 + b) * beat
        if t < CLIP - 0.2:
            hits.append((t, key, int(min(127, max(1, vel + rng.randint(-6, 6))))))

    kick, snare = rng.choice(KICK), rng.choice(SNARE + [SIDE] if soft else SNARE)
    for bar in range(bars):
        fill = bar == bars - 1 and rng.random() < 0.5
        if role in ("kick", "drums"):
            for b in rng.choice([[0, 2], [0, 2, 2.5], [0, 1, 2, 3], [0, 0.75, 2.5]]):
                hit(bar, b, kick, base)
        if role in ("snare", "drums"):
            for b in [1, 3]:
                hit(bar, b, snare, base)
            if role == "snare" and rng.random() < 0.4:
                hit(bar, rng.choice([1.75, 2.75, 3.5]), snare, base - 50)
        if role in ("hihat_cymbals", "drums"):
            kind = rng.choice(["hat8", "hat16", "ride", "hat8"] if role == "drums" else ["hat8", "hat16", "ride", "crashride"])
            if kind == "hat8":
                for e in range(8):
                    hit(bar, 0.5 * e, HATS[0] if not (e == 7 and bar % 2) else HATS[2], base - (20 if e % 2 else 0) - 10)
            elif kind == "hat16":
                for s in range(16):
                    hit(bar, 0.25 * s, rng.choice([42, 42, 44]), base - (25 if s % 2 else 5))
            elif kind == "ride":
                for q in range(4):
                    hit(bar, q, RIDE[0], base - 10)
                    if q % 2:
                        hit(bar, q + 2.0 / 3, RIDE[0], base - 35)
            else:
                hit(bar, 0, rng.choice(CRASH) if bar % 4 == 0 else RIDE[0], base)
                for q in range(1, 4):
                    hit(bar, q, RIDE[0], base - 20)
            if role == "drums" and bar % 4 == 0 and rng.random() < 0.5:
                hit(bar, 0, rng.choice(CRASH), base)
        if role == "drums" and fill:
            for j, b in enumerate([3, 3.25, 3.5, 3.75]):
                hit(bar, b, TOMS[-1 - j], base)
        if role == "percussion":
            keys = rng.sample(PERC, rng.choice([1, 2, 3]))
            step = rng.choice([0.25, 0.5])
            for s in range(int(4 / step)):
                if rng.random() < 0.65:
                    hit(bar, s * step, keys[s % len(keys)] if rng.random() < 0.7 else rng.choice(keys), base - (15 if s % 2 else 0))
    return hits


def render(name, path, split, seed, per_program, drum_per_role, write_midi, extra=None):
    """Renders the phrases of one soundfont; returns clip dicts (audio mono float32 at SR).
    `extra` ({program: count}) adds phrases after all the others (so those stay the same)."""
    rng = random.Random(seed)
    from build_dataset import gm_role  # noqa: E402 (shared labels)
    out = []
    plan = []  # (program or None, role, style-or-None, kit)
    for program in range(128):
        for _ in range(per_program):
            plan.append((program, gm_role(program), None))
    for kit in DRUM_KITS:
        for role in ["kick", "snare", "hihat_cymbals", "percussion", "drums"]:
            for _ in range(drum_per_role):
                plan.append((-1 - kit, role, None))
    for program, count in sorted((extra or {}).items()):
        for _ in range(count):
            plan.append((program, gm_role(program), None))
    with tempfile.TemporaryDirectory() as tmp:
        for g in range(0, len(plan), GROUP * per_program):
            chunk = plan[g:g + GROUP * per_program]
            events, clips = [], []
            for slot, (program, role, _) in enumerate(chunk):
                t0 = slot * SLOT
                reverb = 0 if rng.random() < 0.4 else rng.randint(20, 100)
                chorus = 0 if rng.random() < 0.6 else rng.randint(10, 80)
                pan = rng.choice([64, 64, rng.randint(20, 108)])
                if program >= 0:
                    ch = 0
                    events += [(t0, bytes([0xB0, 0, 0])), (t0, bytes([0xC0, program]))]
                    notes, _, style = melodic_phrase(rng, program, role)
                    item = f"{name}/prog{program}/{style}"
                else:
                    ch = 9
                    kit = -1 - program
                    events += [(t0, bytes([0xC9, kit]))]
                    notes = [(t, 0.1, k, vv) for t, k, vv in drum_phrase(rng, role)]
                    item = f"{name}/kit{kit}/{role}"
                    if role in ("kick", "snare", "drums"):
                        reverb = reverb // 2
                events += [(t0, bytes([0xB0 | ch, 7, 100])), (t0, bytes([0xB0 | ch, 10, pan])),
                           (t0, bytes([0xB0 | ch, 91, reverb])), (t0, bytes([0xB0 | ch, 93, chorus]))]
                for st, dur, key, vel in notes:
                    _note(events, ch, t0 + 0.01 + st, dur, key, vel)
                events.append((t0 + CLIP, bytes([0xB0 | ch, 123, 0])))
                clips.append((slot, role, item))
            mid = os.path.join(tmp, "p.mid")
            wav = os.path.join(tmp, "p.wav")
            write_midi(mid, events + [(len(chunk) * SLOT, bytes([0xB0, 121, 0]))])
            subprocess.run(["fluidsynth", "-ni", "-q", "-g", "0.5", "-r", str(SR), "-o", "synth.reverb.active=1",
                            "-o", "synth.chorus.active=1", "-F", wav, path, mid], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            audio, sr = sf.read(wav, dtype="float32", always_2d=True)
            assert sr == SR
            mono = audio.mean(axis=1)
            n = int(CLIP * SR)
            for slot, role, item in clips:
                start = int(slot * SLOT * SR)
                out.append(dict(audio=mono[start:start + n].copy(), role=role, source=name, split=split,
                                item=item, sr=SR))
    return out


def phrase_counts(split):
    """(phrases per GM program, phrases per drum kit and role) for a soundfont of that split."""
    return (4, 2) if split == "train" else (2, 1)
