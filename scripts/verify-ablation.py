#!/usr/bin/env python3
"""Does each remaining verify special case still pull its weight? (development half only)

Makes one special case inert at a time (a guard returns its neutral value, a word set is
emptied) and re-runs the general benchmark's decision table on the DEVELOPMENT half of
the given data sets (`evident.errorgen.half`); prints clean false-flag rates and
detection per error type, for the baseline and each ablation. A special case whose
ablation changes nothing is a candidate for removal (docs/verify.md, "Pruning special
cases"). The test half is never prepared, so none of its misses can be seen.

usage: .venv/bin/python scripts/verify-ablation.py DATA.csv [DATA.csv ...] [--limit N]
       [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path


def _const(v):
    return lambda *a, **k: v


def ablations() -> dict:
    """Name -> [(object, attribute, inert value)] for the special cases still in the code."""
    import evident.verify._extract as ex
    import evident.verify._extract_core as exc
    import evident.verify._extract_cues as cu
    import evident.verify._extract_numbers as exn
    import evident.verify.check as ck
    import evident.verify.compare as c
    import evident.verify.context as cx
    import evident.verify.factchecks as fc
    import evident.verify.facts as f
    import evident.verify.index as ix
    import evident.verify.normalize as nz
    import evident.verify.sides as sd

    x = ex.FactExtractor
    no = _const(False)
    return {
        "none_after": [(ex, "none_after", no)],
        "non_prefix": [(ex, "non_prefix", no)],
        "remedy_for": [(ex, "remedy_for", no)],
        "episodes": [(ex, "_EPISODES", frozenset())],
        "not_a_claim": [(ex, "_NOT_A_CLAIM", frozenset())],
        "smoking_verb": [(ex, "smoking_verb", _const(True)), (cu, "smoking_verb", _const(True))],
        "drinks_alcohol": [(ex, "drinks_alcohol", _const(True))],
        "presupposed": [(f, "presupposed", no), (ix, "presupposed", no), (exc, "presupposed", no)],
        "elsewhere": [(f, "elsewhere", no), (c, "elsewhere", no), (fc, "elsewhere", no)],
        "right_adverb": [(exc, "_RIGHT_ADVERB", frozenset())],
        "field_labels": [(x, "_field_labels", lambda self, facts: set())],
        "two_digit_year": [(x, "_two_digit_year", no)],
        "counted_one": [(x, "_counted_one", no)],
        "drug_strength": [(x, "_drug_strength", no)],
        "said_age": [(x, "_said_age", no)],
        "scale_anchor": [(exn, "scale_anchor", no)],
        "bound": [(c, "_bound", no)],
        "in_decade": [(c, "_in_decade", no)],
        "comparable": [(c, "_comparable", _const(True))],
        "in_question": [(c, "_in_question", no)],
        "review_decision": [(c, "_review_decision", _const(None))],
        "history_decision": [(c, "_history_decision", _const(None))],
        "cannot_without": [(cx, "_cannot_without", no)],
        "emergency_number": [(nz, "_emergency", lambda m: m.group(0))],
        "ordinal_words": [(nz, "_ordinal_words", lambda t: t)],
        "dominant_side": [(sd, "_dominant_side", _const({}))],
        "section_reading": [(ck, "_section_reading", _const(None))],
    }


def prepare(paths: list[Path], limit: int | None) -> list:
    from evident.errorgen import Corpus, half
    from evident.verify.bench import load_encounters, parse
    from evident.verify.bench_general import Prepared

    out = []
    for path in paths:
        parsed = [(e, *parse(e)) for e in load_encounters(path, "auto", limit)]
        corpus = Corpus({e.id: [st.text for st in d.statements] for e, _, d in parsed})
        for e, src, draft in parsed:
            if half(e.id) != "dev":
                continue
            items = (
                corpus.note_items(e.id, src.text, 2, "13")
                + corpus.answer_items(e.id, src, 2, "13")
                + corpus.invented_items(e.id, src.text, 2, "13")
            )
            out.append(Prepared(e, src, draft, tuple(draft.statements), tuple(items)))
    return out


def measure(prepared: list) -> dict:
    from evident.verify.bench_general import Outcome, run, systems
    from evident.verify.options import VerifyOptions

    cols = systems(["lexical"], VerifyOptions())[:1]
    out = Outcome()
    for p in prepared:
        run(p, cols, out)
    name = cols[0].name
    clean = Counter(labels[name] for _, _, _, labels in out.clean)
    det: Counter = Counter()
    n: Counter = Counter()
    for item, _, labels, orig in out.items:
        if orig.get(name) == "supported":
            n[item.type] += 1
            det[item.type] += labels[name] in {"unsupported", "contradicted"}
    nc = max(1, sum(clean.values()))
    res = {
        "clean": sum(clean.values()),
        "clean contradicted %": round(100 * clean["contradicted"] / nc, 2),
        "clean unsupported %": round(100 * clean["unsupported"] / nc, 2),
        "items": sum(n.values()),
        "detected %": round(100 * sum(det.values()) / max(1, sum(n.values())), 2),
    }
    res.update({k: round(100 * det[k] / n[k], 1) for k in sorted(n)})
    return res


def _in_child(patches: list, prepared: list) -> dict:
    """Measure with ``patches`` applied in a forked child (caches start cold, nothing leaks)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        for target, attr, value in patches:
            setattr(target, attr, value)
        os.write(w, json.dumps(measure(prepared)).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.waitpid(pid, 0)
    return json.loads(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    prepared = prepare(args.data, args.limit)
    table = ablations()
    names = ["baseline"] + [n for n in table if args.only is None or n in args.only]
    for name in names:
        res = _in_child(table.get(name, []), prepared)
        print(f"{name:18} {json.dumps(res)}", flush=True)


if __name__ == "__main__":
    main()
