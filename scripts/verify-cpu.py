#!/usr/bin/env python3
"""Median CPU milliseconds per encounter of `verify` (its note against its dialogue),
with the default options, with the antonym checker off and with the substitution checker
on, cold caches.

Each encounter is verified once per setting with every parse and analysis cache
cleared before it, so the figure is what a fresh encounter costs. No statement text is
printed.

usage: .venv/bin/python scripts/verify-cpu.py DATA.csv [DATA.csv ...] [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def _cold() -> None:
    from evident.verify import antonyms, conditions, facts, polarity, substitution

    facts.clear_caches()
    polarity.clear_caches()
    substitution.clear_caches()
    antonyms.clear_caches()
    conditions.clear_caches()


def main() -> None:
    from evident.verify.bench import load_encounters, parse
    from evident.verify.check import verify
    from evident.verify.options import VerifyOptions

    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    settings = {
        "default": VerifyOptions(),
        "no-antonyms": VerifyOptions(antonyms=False),
        "substitution": VerifyOptions(substitution=True),
    }
    ms: dict[str, list[float]] = {k: [] for k in settings}
    for path in args.data:
        for enc in load_encounters(path, limit=args.limit):
            src, draft = parse(enc)
            names = list(settings)
            k = len(ms["default"]) % len(names)  # rotated: no setting always runs first
            for name in names[k:] + names[:k]:
                options = settings[name]
                _cold()
                t0 = time.process_time()
                verify(draft, [src], options=options)
                ms[name].append((time.process_time() - t0) * 1000)
    n = len(ms["default"])
    for name, values in ms.items():
        print(f"{name:14s} median {statistics.median(values):6.1f} ms CPU per encounter ({n})")
    for name in list(settings)[1:]:  # paired: the load of a shared machine cancels out
        diff = [a - b for a, b in zip(ms[name], ms["default"], strict=True)]
        print(f"{name:14s} minus default: median {statistics.median(diff):+6.1f} ms per encounter")


if __name__ == "__main__":
    main()
