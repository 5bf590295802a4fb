"""Repeated turns do not crowd the answer out of a statement's candidates. Every sentence
here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import VerifyOptions

from .conftest import make_draft

QA = "[doctor] have you been in the hospital recently ?\n[patient] no , never been admitted .\n"
FILLER = "[doctor] okay .\n[patient] my knee still aches .\n"


@pytest.mark.parametrize(
    ("copies", "k", "texts", "n"),
    [
        # one copy: the question and its answer
        (1, 5, 2, 2),
        # six copies of the exchange: each text fills one place, with one more copy of it
        (6, 5, 2, 4),
        # k bounds the distinct texts, not the copies
        (6, 1, 1, 2),
    ],
)
def test_search_copies(copies: int, k: int, texts: int, n: int) -> None:
    src = load_source((QA + FILLER) * copies, kind="transcript", name="visit.txt")
    index = SourceIndex([src])
    hits = index.search(analyze("admitted to the hospital recently").terms, k=k)
    found = [index.segments[p].segment.text for p, _ in hits]
    assert len(set(found)) == texts
    assert len(found) == n
    assert all(found.count(t) <= 2 for t in found)


@pytest.mark.parametrize("copies", [1, 3, 8])
def test_repeated_exchange_still_contradicts(copies: int) -> None:
    src = load_source((QA + FILLER) * copies, kind="transcript", name="visit.txt")
    draft = make_draft("He was admitted to the hospital recently.")
    report = verify(draft, [src], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == "contradicted", report.verdicts[0].reason
