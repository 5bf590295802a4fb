"""Verify the written visits of ``tests/verify/visits`` and print their table.

Usage: .venv/bin/python scripts/written-visits.py [--misses]

Each note is verified against its visit (the faithful sentences: how many are
supported, unsupported, contradicted), then each hand-written error of ``errors.tsv``
alone against its visit (flagged when unsupported or contradicted), per error type.
``--misses`` lists the errors that passed and the faithful sentences flagged.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from evident.sources import load_source
from evident.types import Draft, ModelInfo, Section, Statement
from evident.verify.check import verify
from evident.verify.draft import draft_from_note

VISITS = Path(__file__).resolve().parents[1] / "tests" / "verify" / "visits"
_MODEL = ModelInfo(spec="offline", backend="offline", name="offline", offline=True)


def faithful(name: str) -> list[tuple[str, str, str]]:
    """(sentence, verdict, reason) of the note written from visit ``name``."""
    n = name.removeprefix("visit")
    src = load_source((VISITS / f"{name}.txt").read_text(), kind="transcript", name=name)
    draft = draft_from_note((VISITS / f"note{n}.txt").read_text())
    report = verify(draft, [src], omissions=False)
    texts = {st.id: st.text for st in draft.statements}
    return [(texts[v.statement_id], v.label, v.reason) for v in report.verdicts]


def errors() -> list[tuple[str, str, str, str, str]]:
    """(visit, statement, type, verdict, reason) of every hand-written error."""
    out = []
    for line in (VISITS / "errors.tsv").read_text().splitlines():
        name, text, kind = line.split("\t")
        src = load_source((VISITS / f"{name}.txt").read_text(), kind="transcript", name=name)
        st = Statement(id="e1", text=text, section="note")
        draft = Draft(
            task="scribe",
            model=_MODEL,
            prompt_version="written-visits",
            sections=(Section(name="note", statements=(st,)),),
        )
        v = verify(draft, [src], omissions=False).verdicts[0]
        out.append((name, text, kind, v.label, v.reason))
    return out


def main() -> None:
    misses = "--misses" in sys.argv
    names = sorted(p.stem for p in VISITS.glob("visit*.txt"))
    labels: Counter[str] = Counter()
    for name in names:
        for text, label, reason in faithful(name):
            labels[label] += 1
            if misses and label in {"unsupported", "contradicted"}:
                print(f"flagged  {name} {label:12s} {text[:70]} | {reason[:70]}")
    clinical = sum(labels.values()) - labels["no_clinical_content"]
    print(f"| faithful note sentences | {clinical} |")
    for label in ("supported", "unsupported", "contradicted"):
        print(f"| {label} | {labels[label]} ({100 * labels[label] / clinical:.1f}%) |")
    by_type: dict[str, list[int]] = {}
    for name, text, kind, label, reason in errors():
        hit = label in {"unsupported", "contradicted"}
        by_type.setdefault(kind, [0, 0])
        by_type[kind][0] += hit
        by_type[kind][1] += 1
        if misses and not hit:
            print(f"passed   {name} {kind:16s} {text[:70]} | {reason[:70]}")
    print("| error type | flagged |")
    for kind, (hit, n) in sorted(by_type.items()):
        print(f"| {kind} | {hit} of {n} |")
    hit = sum(h for h, _ in by_type.values())
    n = sum(n for _, n in by_type.values())
    print(f"| all | {hit} of {n} ({100 * hit / n:.1f}%) |")


if __name__ == "__main__":
    main()
