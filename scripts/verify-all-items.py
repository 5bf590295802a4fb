"""Verdicts over every generated item of `evident bench verify-general`, not only those
whose original sentence is supported (the benchmark's own count), as aggregates only.

usage: .venv/bin/python scripts/verify-all-items.py DATA {dev,test} [--per-type 2] [--seed 13]

Prints, per error type and for the clean sentences, the share of each verdict with the
default options (the decision table with the `support` entailer). Nothing of any item is
printed, so the held-out half can be counted without being read.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from evident.verify.bench import load_encounters
from evident.verify.bench_general import Outcome, prepare, run, systems
from evident.verify.options import VerifyOptions

_LABELS = ("supported", "unsupported", "contradicted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("half", choices=("dev", "test"))
    parser.add_argument("--per-type", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    columns = systems(("support",), VerifyOptions())
    outcome = Outcome()
    for _, prepared in prepare(load_encounters(args.data, "auto", None), args.per_type, args.seed):
        run(prepared, columns, outcome)
    name = columns[0].name
    counts: Counter[tuple[str, str]] = Counter()
    for item, half, labels, _ in outcome.items:
        if half == args.half:
            counts[(item.type, "n")] += 1
            counts[(item.type, labels[name])] += 1
    for _, half, _, labels in outcome.clean:
        if half == args.half:
            counts[("clean", "n")] += 1
            counts[("clean", labels[name])] += 1
    print(f"{'type':18} {'n':>5}  " + "  ".join(f"{x:>12}" for x in _LABELS))
    for kind in sorted({k for k, _ in counts}):
        n = counts[(kind, "n")]
        shares = "  ".join(f"{counts[(kind, x)] / n:12.1%}" for x in _LABELS)
        print(f"{kind:18} {n:5}  {shares}")


if __name__ == "__main__":
    main()
