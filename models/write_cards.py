"""Writes models/role/MODEL_CARD.md (through role/write_role_card.py) from the evaluation files
the training script leaves, plus models/benchmark.json when present.
Run by models/evaluate.sh; never edit the cards by hand."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    p = os.path.join(HERE, path)
    return json.load(open(p)) if os.path.exists(p) else None


def size_kb(path):
    return os.path.getsize(os.path.join(HERE, path)) / 1024.0


def timing_lines(bench, keys):
    if not bench:
        return ["Timings: run the benchmark (tests/MixMate.Benchmarks, `ModelsBenchmarks`)."]
    out = [f"Timings (median on the build machine, {bench.get('machine', '')}):", ""]
    for k in keys:
        if k in bench:
            out.append(f"- {k}: {bench[k]:.2f} ms")
    return out


def main():
    bench = load("benchmark.json")
    import sys
    sys.path.insert(0, os.path.join(HERE, "role"))
    import write_role_card  # noqa: E402  (the role card has its own writer)
    role = load("role/evaluation_cnn.json")
    if role:
        open(os.path.join(HERE, "role", "MODEL_CARD.md"), "w").write(write_role_card.card())


if __name__ == "__main__":
    main()
