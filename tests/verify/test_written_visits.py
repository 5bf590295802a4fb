"""The written visits of ``tests/verify/visits`` (see its README): notes written
faithfully from them are never contradicted and mostly supported, and errors written by
hand into note sentences are mostly flagged. Floors, so that a change that loses
readings fails here; ``scripts/written-visits.py --misses`` shows what passes."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify.check import verify
from evident.verify.draft import draft_from_note

from .conftest import make_draft

VISITS = Path(__file__).parent / "visits"
NAMES = sorted(p.stem for p in VISITS.glob("visit*.txt"))


@cache
def _source(name: str) -> Source:
    return load_source((VISITS / f"{name}.txt").read_text(), kind="transcript", name=name)


@cache
def _faithful() -> Counter[str]:
    labels: Counter[str] = Counter()
    for name in NAMES:
        note = (VISITS / f"note{name.removeprefix('visit')}.txt").read_text()
        report = verify(draft_from_note(note), [_source(name)], omissions=False)
        labels.update(v.label for v in report.verdicts)
    return labels


def _errors() -> list[tuple[str, str, str]]:
    rows = [r.split("\t") for r in (VISITS / "errors.tsv").read_text().splitlines()]
    return [(name, text, kind) for name, text, kind in rows]


def test_the_visits_are_all_there() -> None:
    assert len(NAMES) == 9
    assert len(_errors()) == 100


def test_no_faithful_sentence_is_contradicted() -> None:
    assert _faithful()["contradicted"] == 0


def test_most_faithful_sentences_are_supported() -> None:
    labels = _faithful()
    assert labels["supported"] >= 118, labels


@cache
def _flagged() -> dict[str, tuple[int, int]]:
    out: dict[str, list[int]] = {}
    for name, text, kind in _errors():
        label = verify(make_draft(text), [_source(name)], omissions=False).verdicts[0].label
        out.setdefault(kind, [0, 0])
        out[kind][0] += label in {"unsupported", "contradicted"}
        out[kind][1] += 1
    return {k: (a, b) for k, (a, b) in out.items()}


def test_most_written_errors_are_flagged() -> None:
    flagged = _flagged()
    assert sum(a for a, _ in flagged.values()) >= 83, flagged


@pytest.mark.parametrize("kind", ["dose", "drug", "number", "side"])
def test_every_hard_fact_error_is_flagged(kind: str) -> None:
    hit, n = _flagged()[kind]
    assert hit == n, (kind, hit, n)


def test_a_turn_a_supported_statement_rests_on_is_no_omission() -> None:
    """'Any trouble breathing?' - 'a little bit, yeah, more than usual' is what 'He
    endorses mild dyspnea on exertion' rests on: said in the note's own words, no
    noteworthy omission; without the verdicts' evidence the turn is listed."""
    from evident.verify.index import SourceIndex
    from evident.verify.omissions import find_omissions

    note = draft_from_note((VISITS / "note1.txt").read_text())
    report = verify(note, [_source("visit1")])
    answer = "A little bit, yeah, more than usual."
    assert not any(o.text.startswith(answer) for o in report.omissions)
    index = SourceIndex([_source("visit1")])
    bare = find_omissions(note.statements, index)
    assert any(o.text.startswith(answer) for o in bare)
