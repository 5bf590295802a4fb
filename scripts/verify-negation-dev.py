"""Why negation-added items come back supported: a development-half diagnosis.

Usage:
    .venv/bin/python scripts/verify-negation-dev.py --data CSV [--limit N] [--show N]
        [--type negation_added]

Only development-half encounters are read (``evident.errorgen.half``): test-half
encounters are dropped before any of their text is parsed, and nothing of them is printed.
For every item of the type whose original sentence the decision table supports and
which the table supports too (a miss), it counts by mechanism: the verdict's
``decided_by``; whether the statement's negation is read as a denied claim (by the parse,
trusted); what the denial checker returned (none / agree / missing) and, for an agree,
whether the source view that bore it out is a question answered no, a plain sentence
or a run; whether the polarity checker read anything; and whether a fact checker's
agreement dropped the missing denial.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from evident.errorgen import half
from evident.types import Section, Statement
from evident.verify import check as chk
from evident.verify._polarity_cues import canonical
from evident.verify.bench import load_encounters
from evident.verify.bench_general import flipped_source, prepare
from evident.verify.denials import check_denial
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import VerifyOptions
from evident.verify.polarity import (
    _field_reading,
    _list_denial,
    check_polarity,
    claims_of,
    trusted,
)


def _verdict(src, draft, text, section):  # type: ignore[no-untyped-def]
    st = Statement(id="p1", text=text, section=section)
    one = draft.model_copy(update={"sections": (Section(name=section, statements=(st,)),)})
    return chk.verify(one, [src], options=VerifyOptions(omissions=False)).verdicts[0]


def _mechanism(src, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    index = SourceIndex([src])
    an = analyze(text)
    cands = chk._candidates(Statement(id="p1", text=text), an, index)
    segs = [c.segment for c in cands]
    reading = canonical(_field_reading(text))
    mine = _list_denial(reading, claims_of([reading])[reading])
    denied = [c for c in trusted(mine) if c.negated]
    any_neg = [c for c in mine if c.negated]
    den = check_denial(text, segs, src)
    pol = check_polarity(text, segs, src)
    facts = chk.fact_results(an, index, cands)
    out = {
        "parse": "denied-claim" if denied else ("negated-untrusted" if any_neg else "no-negation"),
        "denial": "none" if den is None else f"{den.checker}:{den.outcome}",
        "polarity": "none" if pol is None else f"{pol.checker}:{pol.outcome}",
        "fact_agree": ",".join(sorted({f.checker for f in facts if f.outcome == "agree"})) or "-",
        "fact_negated": str(any(f.polarity == "negated" for f in an.facts)),
        "heads": ";".join(f"{c.head}{'-' if c.negated else '+'}" for c in mine),
        "den_segments": ",".join(den.segments) if den is not None else "",
        "den_reason": den.reason if den is not None else "",
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--type", default="negation_added")
    ap.add_argument("--per-type", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    encounters = [e for e in load_encounters(args.data, "auto", args.limit) if half(e.id) == "dev"]
    counts: dict[str, Counter[str]] = {}
    n_items = n_miss = 0
    shown = 0
    for _, p in prepare(encounters, args.per_type, args.seed):
        if half(p.encounter.id) != "dev":  # never: test-half encounters were dropped
            raise SystemExit("a test-half encounter reached the diagnosis")
        for it in p.items:
            if it.type != args.type or it.index < 0:
                continue
            orig = p.sentences[it.index]
            if _verdict(p.source, p.draft, orig.text, orig.section).label != "supported":
                continue
            n_items += 1
            src = flipped_source(p.source, it) if it.segment else p.source
            v = _verdict(src, p.draft, it.text, orig.section)
            if v.label != "supported":
                continue
            n_miss += 1
            m = _mechanism(src, it.text)
            m["decided_by"] = v.decided_by
            m["family"] = it.family
            key = f"{m['parse']} | denial={m['denial']} | polarity={m['polarity']}"
            for k in ("decided_by", "parse", "denial", "polarity", "fact_agree", "family"):
                counts.setdefault(k, Counter())[m[k]] += 1
            counts.setdefault("combo", Counter())[key] += 1
            if shown < args.show:
                shown += 1
                facts = m["fact_agree"]
                print(f"- [{it.family}/{it.direction}] {it.text[:150]}")
                print(f"    orig: {orig.text[:150]}")
                if it.segment:  # an answer flip: the source's answer rewritten
                    q = src.segment(it.question) if it.question else None
                    print(f"    flip: {q.text[:100] if q else ''} -> {it.segment_text[:80]}")
                print(f"    {key} | by={v.decided_by} | heads={m['heads']} | facts={facts}")
                if m["den_reason"]:
                    segs = [src.segment(s) for s in m["den_segments"].split(",") if s]
                    txt = " / ".join(s.text[:100] for s in segs if s is not None)
                    print(f"    denial: {m['den_reason'][:120]} :: {txt}")
    print(f"\n{args.type}: {n_miss} supported of {n_items} (development half)")
    for k, c in counts.items():
        print(f"{k}: " + ", ".join(f"{a}={b}" for a, b in c.most_common()))


if __name__ == "__main__":
    main()
