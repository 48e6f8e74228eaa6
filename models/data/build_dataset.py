"""Builds the role/EQ dataset from the allowed sources only (see models/data/README.md).

Sources (each one is a split unit; clips from one source never cross splits):
  GM soundfonts rendered with FluidSynth: FluidR3_GM, OPL-3_FM_128M, csound sf_GMbank (train),
    MuseScore_General_Lite (val), TimGM6mb (test)
  hydrogen-drumkits: each kit is a source (split by kit name below)
  sonic-pi-samples: one sample pack (train)
  espeak-ng: each language is a source (split below)
Every clip is 3 s, mono, 44.1 kHz. Stored per clip: role features (models/features.py) and the
Welch power spectrum (for EQ training). Output: <out>/dataset.npz plus a few WAV clips for tests.

Musical phrases of every GM program and drum kit of each soundfont (models/data/phrases.py; 8 s,
48 kHz, reverb/chorus sends on or off) go to <out>/phrases.npz for the role model only.

Usage: python3 models/data/build_dataset.py [--out DIR] [--jobs N] [--phrases-only]
"""

import argparse
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features  # noqa: E402
import phrases  # noqa: E402

ROLES = ["kick", "snare", "hihat_cymbals", "drums", "percussion", "bass", "vocal", "guitar", "keys",
         "synth_lead", "pad", "strings", "brass_winds", "fx", "mix"]
SR = 44100
CLIP = 3.0
SLOT = 4.5  # seconds per clip in a rendered MIDI file (clip + release tail)

SOUNDFONTS = [
    ("FluidR3_GM", "/usr/share/sounds/sf2/FluidR3_GM.sf2", "train"),
    ("OPL-3_FM_128M", "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2", "train"),
    ("csound_GMbank", "/usr/share/sounds/sf2/sf_GMbank.sf2", "train"),
    ("MuseScore_General_Lite", "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3", "val"),
    ("TimGM6mb", "/usr/share/sounds/sf2/TimGM6mb.sf2", "test"),
]
HYDROGEN = "/usr/share/hydrogen/data/drumkits"
HYDROGEN_SPLIT = {"val": ["ElectricEmpireKit", "Millo_MultiLayered3", "circAfrique v4"],
                  "test": ["ColomboAcousticDrumkit", "HardElectro1", "The Black Pearl 1.0", "Gimme A Hand 1.0"]}
SONICPI = "/usr/share/sonic-pi/samples"
ESPEAK_SPLIT = {"train": ["en", "de", "es", "it", "pl", "sv", "hu", "ro", "tr", "cs"],
                "val": ["fr", "nl", "fi", "el"],
                "test": ["en-us", "pt", "ru", "da", "sk", "id"]}


def gm_role(program):
    p = program
    if p <= 15:
        return "keys"
    if p <= 20:
        return "keys"
    if p <= 23:
        return "brass_winds"
    if p <= 31:
        return "guitar"
    if p <= 39:
        return "bass"
    if p in (40, 41, 42, 43, 44, 45, 48, 49):
        return "strings"
    if p == 46:
        return "guitar"
    if p == 47:
        return "percussion"
    if p in (50, 51, 54, 88, 89, 90, 91, 92, 93, 94, 95):
        return "pad"
    if p in (52, 53):
        return "vocal"
    if p == 55:
        return "fx"
    if p <= 79:
        return "brass_winds"
    if p <= 87:
        return "synth_lead"
    if p in (97, 99, 100):  # FX 2 soundtrack, FX 4 atmosphere, FX 5 brightness play as pads
        return "pad"
    if p == 98:  # FX 3 crystal is a struck, bell-like keyboard sound
        return "keys"
    if p <= 103:
        return "fx"
    if p in (104, 105, 106, 107):
        return "guitar"
    if p == 108:
        return "keys"
    if p == 110:
        return "strings"
    if p in (109, 111):
        return "brass_winds"
    if p <= 118:
        return "percussion"
    return "fx"


# --- MIDI -----------------------------------------------------------------------------------------

TPB = 480
BEAT = 0.5  # 120 bpm


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def write_midi(path, events):
    """events: list of (seconds, bytes); format 0, 120 bpm."""
    events = sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 == 0x90))
    data = bytearray(b"\x00\xff\x51\x03\x07\xa1\x20")
    last = 0
    for t, msg in events:
        tick = int(round(t / BEAT * TPB))
        data += vlq(tick - last) + msg
        last = tick
    data += b"\x00\xff\x2f\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, TPB))
        f.write(b"MTrk" + struct.pack(">I", len(data)) + data)


def note(events, ch, t, dur, key, vel):
    events.append((t, bytes([0x90 | ch, key, vel])))
    events.append((t + dur, bytes([0x80 | ch, key, 0])))


def melodic_notes(rng, role, program):
    """(start, dur, key, vel) within CLIP seconds, in a register that suits the role."""
    lo, hi = {"bass": (28, 52), "synth_lead": (60, 84), "brass_winds": (55, 81), "vocal": (55, 76),
              "strings": (48, 79), "pad": (48, 72), "keys": (45, 84), "guitar": (40, 76),
              "percussion": (40, 70), "fx": (36, 84)}[role]
    if program in (57, 58, 67, 70):  # trombone, tuba, bari sax, bassoon sit low
        lo, hi = 36, 60
    style = rng.choice({"bass": ["line", "line", "hold"], "pad": ["chords", "hold"],
                        "strings": ["chords", "line", "hold"], "keys": ["chords", "arp", "line"],
                        "guitar": ["chords", "arp", "line"], "fx": ["hold", "line"],
                        "percussion": ["line"]}.get(role, ["line", "line", "hold"]))
    out = []
    t = 0.0
    key = rng.randint(lo, hi)
    if style == "hold":
        for _ in range(rng.choice([1, 2])):
            out.append((0.0, CLIP - 0.2, rng.randint(lo, hi), rng.randint(70, 115)))
        return out
    if style == "chords":
        while t < CLIP - 0.3:
            dur = rng.choice([0.5, 1.0, 1.5])
            root = rng.randint(lo, max(lo, hi - 12))
            for iv in rng.choice([(0, 4, 7), (0, 3, 7), (0, 4, 7, 11), (0, 5, 7)]):
                out.append((t, min(dur, CLIP - t) * 0.95, root + iv, rng.randint(60, 110)))
            t += dur
        return out
    step = rng.choice([0.125, 0.25, 0.5]) if style != "arp" else 0.125
    while t < CLIP - 0.1:
        dur = step * rng.choice([1, 1, 2])
        if rng.random() > 0.12:
            out.append((t, min(dur, CLIP - t) * 0.9, key, rng.randint(60, 120)))
        key = min(hi, max(lo, key + rng.choice([-7, -5, -3, -2, -1, 0, 1, 2, 3, 4, 5, 7])))
        t += dur
    return out


KICK = [35, 36]
SNARE = [38, 40]
HATS = [42, 44, 46, 51, 59, 49, 57, 53, 52, 55]
PERC = [39, 54, 56, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 75, 76, 77, 81]
TOMS = [41, 43, 45, 47, 48, 50]


def drum_hits(rng, role):
    """(time, drum-note, velocity) for a drum-role clip."""
    hits = []
    step = 0.125
    steps = int(CLIP / step)
    if role == "kick":
        k = rng.choice(KICK)
        pattern = rng.choice([[0, 4, 8, 12], [0, 6, 8, 14], [0, 3, 8, 10], [0, 8]])
        for s in range(steps):
            if s % 16 in pattern:
                hits.append((s * step, k, rng.randint(80, 127)))
    elif role == "snare":
        k = rng.choice(SNARE)
        for s in range(steps):
            if s % 8 == 4 or (rng.random() < 0.12):
                hits.append((s * step, k, rng.randint(90, 127) if s % 8 == 4 else rng.randint(30, 60)))
    elif role == "hihat_cymbals":
        kind = rng.random()
        if kind < 0.6:
            ks = rng.sample([42, 44, 46], 2)
            div = rng.choice([1, 2])
            for s in range(0, steps, div):
                hits.append((s * step, ks[0] if rng.random() < 0.8 else ks[1], rng.randint(50, 115)))
        elif kind < 0.85:
            k = rng.choice([51, 59, 53])
            for s in range(0, steps, 2):
                hits.append((s * step, k, rng.randint(60, 110)))
        else:
            k = rng.choice([49, 57, 52, 55])
            for s in range(0, steps, 8):
                hits.append((s * step, k, rng.randint(80, 127)))
    elif role == "percussion":
        ks = rng.sample(PERC, rng.choice([1, 2, 3]))
        for s in range(steps):
            if rng.random() < 0.45:
                hits.append((s * step, rng.choice(ks), rng.randint(50, 120)))
    else:  # drums: a kit groove
        k, sn = rng.choice(KICK), rng.choice(SNARE)
        hat = rng.choice([42, 42, 44, 51])
        for s in range(steps):
            if s % 8 in (0, 3) or (s % 8 == 6 and rng.random() < 0.3):
                hits.append((s * step, k, rng.randint(90, 127)))
            if s % 8 == 4:
                hits.append((s * step, sn, rng.randint(90, 127)))
            if s % 2 == 0:
                hits.append((s * step, hat, rng.randint(50, 100)))
        if rng.random() < 0.5:
            for j, s in enumerate(range(steps - 4, steps)):
                hits.append((s * step, TOMS[-1 - j], rng.randint(90, 120)))
        if rng.random() < 0.5:
            hits.append((0.0, 49, 110))
    return hits


def render_soundfont(args):
    name, path, split, seed = args
    rng = random.Random(seed)
    clips = []
    events = []
    slot = 0
    for program in range(128):
        role = gm_role(program)
        for _ in range(4):
            t0 = slot * SLOT
            events.append((t0, bytes([0xB0, 0, 0])))
            events.append((t0, bytes([0xC0, program])))
            if role == "percussion" and program >= 112:
                for st, dur, key, vel in [(s * 0.25, 0.2, rng.randint(48, 72), rng.randint(60, 120))
                                          for s in range(12) if rng.random() < 0.7]:
                    note(events, 0, t0 + st + 0.01, dur, key, vel)
            else:
                for st, dur, key, vel in melodic_notes(rng, role, program):
                    note(events, 0, t0 + st + 0.01, dur, key, vel)
            clips.append((slot, role, f"{name}/prog{program}"))
            slot += 1
    for kit in [0, 8, 16, 24, 25, 32, 40]:
        for role in ["kick", "snare", "hihat_cymbals", "percussion", "drums"]:
            for _ in range(2):
                t0 = slot * SLOT
                events.append((t0, bytes([0xC9, kit])))
                for st, key, vel in drum_hits(rng, role):
                    note(events, 9, t0 + st + 0.01, 0.1, key, vel)
                clips.append((slot, role, f"{name}/kit{kit}"))
                slot += 1
    with tempfile.TemporaryDirectory() as tmp:
        mid = os.path.join(tmp, "all.mid")
        wav = os.path.join(tmp, "all.wav")
        write_midi(mid, events + [(slot * SLOT, bytes([0xB0, 123, 0]))])
        subprocess.run(["fluidsynth", "-ni", "-q", "-g", "0.6", "-r", str(SR), "-o", "synth.reverb.active=0",
                        "-o", "synth.chorus.active=0", "-F", wav, path, mid], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        audio, sr = sf.read(wav, dtype="float32", always_2d=True)
    assert sr == SR
    mono = audio.mean(axis=1)
    out = []
    n = int(CLIP * SR)
    for slot_i, role, item in clips:
        start = int(slot_i * SLOT * SR)
        out.append(dict(audio=mono[start:start + n].copy(), role=role, source=name, split=split, item=item))
    return out


# --- sample-based sources --------------------------------------------------------------------------

def load_mono(path):
    a, sr = sf.read(path, dtype="float32", always_2d=True)
    m = a.mean(axis=1)
    if sr != SR:
        t = np.arange(int(len(m) * SR / sr)) * sr / SR
        m = np.interp(t, np.arange(len(m)), m).astype(np.float32)
    return m


def place(hits, samples):
    """hits: (time, sample index, gain); returns a CLIP-long mono track."""
    n = int(CLIP * SR)
    out = np.zeros(n, dtype=np.float32)
    for t, i, g in hits:
        s = samples[i]
        a = int(t * SR)
        if a >= n:
            continue
        m = min(len(s), n - a)
        out[a:a + m] += g * s[:m]
    return out


def hydrogen_role(name):
    n = name.lower()
    if re.search(r"kick|bd|bass ?drum|kik", n):
        return "kick"
    if re.search(r"snare|sd|rim|stick", n):
        return "snare"
    if re.search(r"hat|hh|cym|crash|ride|splash|china|bell", n):
        return "hihat_cymbals"
    if re.search(r"tom", n):
        return "tom"
    if re.search(r"clap|cow|conga|bongo|shak|tamb|perc|clave|wood|triang|agogo|timbal|djemb|block|guiro|maraca|cabasa|hand|snap", n):
        return "percussion"
    return None


def pattern_clips(rng, by_role, source, split, count):
    """by_role: role -> list of mono samples. Builds pattern clips like the GM drum ones."""
    out = []
    gm_of = {"kick": KICK, "snare": SNARE, "hihat_cymbals": HATS, "percussion": PERC}
    for role in ["kick", "snare", "hihat_cymbals", "percussion", "drums"]:
        if role != "drums" and not by_role.get(role):
            continue
        if role == "drums" and not (by_role.get("kick") and by_role.get("snare") and by_role.get("hihat_cymbals")):
            continue
        for _ in range(count):
            pick = {r: rng.choice(v) for r, v in by_role.items() if v}
            note_to = {}
            for r, notes in gm_of.items():
                for k in notes:
                    if by_role.get(r):
                        note_to[k] = rng.choice(by_role[r]) if r == "percussion" else pick[r]
            for k in TOMS:
                note_to[k] = rng.choice(by_role["tom"]) if by_role.get("tom") else None
            samples, hits = [], []
            for t, k, vel in drum_hits(rng, role):
                s = note_to.get(k)
                if s is None:
                    continue
                samples.append(s)
                hits.append((t, len(samples) - 1, (vel / 127.0) ** 2))
            if hits:
                out.append(dict(audio=place(hits, samples), role=role, source=source, split=split, item=source))
    return out


def hydrogen_clips(seed):
    rng = random.Random(seed)
    out = []
    for kit in sorted(os.listdir(HYDROGEN)):
        d = os.path.join(HYDROGEN, kit)
        xml = os.path.join(d, "drumkit.xml")
        if not os.path.exists(xml):
            continue
        split = next((s for s, kits in HYDROGEN_SPLIT.items() if kit in kits), "train")
        text = open(xml, encoding="utf-8", errors="replace").read()
        text = re.sub(r'xmlns="[^"]+"', "", text)
        root = ET.fromstring(text)
        by_role = {}
        for inst in root.iter("instrument"):
            name = inst.findtext("name") or ""
            role = hydrogen_role(name)
            if role is None:
                continue
            files = [e.text for e in inst.iter("filename") if e.text]
            for fn in files[:2]:
                p = os.path.join(d, fn)
                if os.path.exists(p):
                    try:
                        by_role.setdefault(role, []).append(load_mono(p)[: int(CLIP * SR)])
                    except RuntimeError:
                        pass
        out += pattern_clips(rng, by_role, f"hydrogen/{kit}", split, 4)
    return out


def sonicpi_role(name):
    rules = [(r"^(bd_|drum_bass|drum_heavy_kick|elec_.*kick)", "kick"),
             (r"^(sn_|drum_snare|elec_.*snare|elec_filt_snare)", "snare"),
             (r"^(drum_cymbal|drum_splash|elec_cymbal)", "hihat_cymbals"),
             (r"^(drum_tom|elec_fuzz_tom)", "tom"),
             (r"^(perc_bell|perc_snap|tabla_|drum_cowbell|elec_wood|elec_triangle|glitch_perc)", "percussion"),
             (r"^bass_", "bass"), (r"^guit_", "guitar"),
             (r"^loop_(amen|breakbeat|compus|mika|industrial|garzul)", "drums"),
             (r"^loop_(perc|safari|tabla)", "percussion"),
             (r"^(ambi_(dark|drone|glass|haunted|lunar|sauna|soft|swoosh)|misc_|vinyl_|mehackit_|glitch_robot|perc_(door|impact|swash|swoosh|till)|elec_(beep|blip|blup|bong|chime|flip|ping|plip|pop|tick|twang|twip|bell))", "fx"),
             (r"^ambi_choir", "vocal"), (r"^ambi_piano", "keys")]
    for pat, role in rules:
        if re.match(pat, name):
            return role
    return None


def sonicpi_clips(seed):
    rng = random.Random(seed)
    by_role, long_items = {}, []
    for fn in sorted(os.listdir(SONICPI)):
        if not fn.endswith(".flac"):
            continue
        role = sonicpi_role(fn)
        if role is None:
            continue
        m = load_mono(os.path.join(SONICPI, fn))
        if role in ("kick", "snare", "hihat_cymbals", "percussion", "tom") and not fn.startswith("loop_"):
            by_role.setdefault(role, []).append(m[: int(CLIP * SR)])
        else:
            long_items.append((fn, role, m))
    out = pattern_clips(rng, by_role, "sonic-pi", "train", 8)
    n = int(CLIP * SR)
    for fn, role, m in long_items:
        if len(m) >= n:
            for start in range(0, len(m) - n + 1, n)[:3]:
                out.append(dict(audio=m[start:start + n].copy(), role=role, source="sonic-pi", split="train", item=fn))
        else:  # short one-shot: repeat it like a part would
            hits = [(t, 0, rng.uniform(0.5, 1.0)) for t in np.arange(0, CLIP, max(0.25, len(m) / SR))]
            out.append(dict(audio=place(hits, [m]), role=role, source="sonic-pi", split="train", item=fn))
    return out


WORDS = ("la da na mi so re do ah oh love night light heart away dream fire rain sun sky time home road "
         "baby stay go know feel true blue you me we again never ever always river ocean song sing").split()


def espeak_clips(seed):
    rng = random.Random(seed)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for split, langs in ESPEAK_SPLIT.items():
            for lang in langs:
                for j in range(6):
                    variant = rng.choice(["", "+m1", "+m2", "+m3", "+m4", "+f1", "+f2", "+f3", "+f4", "+croak"])
                    words = " ".join(rng.choice(WORDS) for _ in range(14))
                    wav = os.path.join(tmp, f"{lang}{j}.wav")
                    sung = j % 2 == 0
                    cmd = ["espeak-ng", "-v", lang + variant, "-p", str(rng.randint(20, 80)),
                           "-s", str(rng.randint(80, 110) if sung else rng.randint(140, 190)), "-w", wav]
                    if sung:  # stretched vowels read as a crude chant
                        words = " ".join(w + ("a" * rng.randint(1, 3)) for w in words.split())
                    subprocess.run(cmd + [words], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    m = load_mono(wav)
                    n = int(CLIP * SR)
                    if len(m) < n:
                        m = np.concatenate([m, np.zeros(n - len(m), dtype=np.float32)])
                    out.append(dict(audio=m[:n].copy(), role="vocal", source=f"espeak/{lang}", split=split, item=lang + variant))
    return out


def make_mixes(clips, seed, per_split):
    """Mixes: each from one soundfont (plus a drum kit and a voice) of the same split."""
    rng = random.Random(seed)
    out = []
    for split in ["train", "val", "test"]:
        pool = {}
        for c in clips:
            if c["split"] == split and c["role"] != "mix":
                pool.setdefault(c["role"], []).append(c)
        for i in range(per_split[split]):
            parts = [rng.choice(pool["drums"]), rng.choice(pool["bass"])]
            parts += [rng.choice(pool[r]) for r in rng.sample(["keys", "guitar", "pad", "strings"], 2)]
            parts.append(rng.choice(pool[rng.choice(["vocal", "synth_lead", "brass_winds"])]))
            mix = np.zeros(int(CLIP * SR), dtype=np.float64)
            for p in parts:
                a = p["audio"].astype(np.float64)
                r = np.sqrt(np.mean(a ** 2)) + 1e-9
                mix += a / r * 0.1 * 10 ** (rng.uniform(-6, 3) / 20)
            out.append(dict(audio=mix.astype(np.float32), role="mix", source="mix/" + split, split=split, item=f"mix{i}"))
    return out


def describe(clip):
    a = clip["audio"]
    sr = clip.get("sr", SR)
    f = features.role_features(a, sr)
    if f is None:
        return None
    return f, features.welch_power(a[None, :], sr)


def render_phrases(args):
    name, path, split, seed = args
    per_program, per_drum = phrases.phrase_counts(split)
    return phrases.render(name, path, split, seed, per_program, per_drum, write_midi)


def build_phrases(out, jobs):
    """phrases.npz / phrases_meta.json: the role-only phrase clips (models/data/phrases.py), kept
    apart from dataset.npz so the EQ model's data stays the 44.1 kHz note-sequence clips."""
    clips = []
    with ProcessPoolExecutor(jobs) as ex:
        futs = [ex.submit(render_phrases, (n, p, s, 5000 + i)) for i, (n, p, s) in enumerate(SOUNDFONTS)]
        for f in futs:
            clips += f.result()
    with ProcessPoolExecutor(jobs) as ex:
        described = list(ex.map(describe, clips, chunksize=16))
    keep = [i for i, d in enumerate(described) if d is not None]
    X = np.stack([described[i][0] for i in keep]).astype(np.float32)
    y = np.array([ROLES.index(clips[i]["role"]) for i in keep], dtype=np.int64)
    meta = [dict(role=clips[i]["role"], source=clips[i]["source"], split=clips[i]["split"], item=clips[i]["item"])
            for i in keep]
    np.savez_compressed(os.path.join(out, "phrases.npz"), X=X, y=y)
    with open(os.path.join(out, "phrases_meta.json"), "w") as f:
        json.dump(dict(roles=ROLES, sample_rate=phrases.SR, clips=meta), f)
    print(f"{len(keep)} phrase clips", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "artifacts", "models-data"))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--phrases-only", action="store_true", help="only (re)build phrases.npz")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    build_phrases(args.out, args.jobs)
    if args.phrases_only:
        return
    clips = []
    with ProcessPoolExecutor(args.jobs) as ex:
        futs = [ex.submit(render_soundfont, (n, p, s, 1000 + i)) for i, (n, p, s) in enumerate(SOUNDFONTS)]
        futs.append(ex.submit(hydrogen_clips, 7))
        futs.append(ex.submit(sonicpi_clips, 8))
        futs.append(ex.submit(espeak_clips, 9))
        for f in futs:
            clips += f.result()
    clips += make_mixes(clips, 11, {"train": 200, "val": 50, "test": 50})
    print(f"{len(clips)} clips", file=sys.stderr)
    with ProcessPoolExecutor(args.jobs) as ex:
        described = list(ex.map(describe, clips, chunksize=16))
    keep = [i for i, d in enumerate(described) if d is not None]
    X = np.stack([described[i][0] for i in keep]).astype(np.float32)
    P = np.stack([described[i][1] for i in keep]).astype(np.float32)
    y = np.array([ROLES.index(clips[i]["role"]) for i in keep], dtype=np.int64)
    meta = [dict(role=clips[i]["role"], source=clips[i]["source"], split=clips[i]["split"], item=clips[i]["item"]) for i in keep]
    np.savez_compressed(os.path.join(args.out, "dataset.npz"), X=X, P=P, y=y)
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(dict(roles=ROLES, sample_rate=SR, clips=meta), f)
    # A few test-split clips as WAV, one per role, for the command-line tests.
    os.makedirs(os.path.join(args.out, "wav"), exist_ok=True)
    seen = set()
    for i in keep:
        c = clips[i]
        if c["split"] == "test" and c["role"] not in seen:
            seen.add(c["role"])
            sf.write(os.path.join(args.out, "wav", c["role"] + ".wav"), c["audio"], SR, subtype="PCM_16")
    counts = {}
    for m in meta:
        counts.setdefault(m["split"], {}).setdefault(m["role"], 0)
        counts[m["split"]][m["role"]] += 1
    print(json.dumps(counts, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
