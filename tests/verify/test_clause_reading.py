"""Where a claim's circumstances belong, read from the parse: a time word holds for its own
clause and the clauses it governs or that govern it, not for a clause beside it (in "I
move better now and my arm does not hurt" the "now" is the moving's, so the arm's denial
is no denial of today only, and a note saying the arm hurts contradicts it); a light noun
that is the object of a preposition ("at the time of the injury") makes what follows its
"of" a circumstance, not a denied claim. Every sentence here is written for these
tests."""

from __future__ import annotations

import pytest

from evident.verify.polarity import canonical, claims_of

from .conftest import verdict


def _present(text: str, head: str) -> bool:
    return next(c.present for c in claims_of([text])[text] if c.head.startswith(head))


@pytest.mark.parametrize(
    ("text", "head", "present"),
    [
        ("I am moving around better now and my arm does not hurt.", "pain", False),
        ("My arm does not hurt and I move better now.", "pain", False),
        ("I don't have any pain now.", "pain", True),
        ("When I walk now I do not have pain.", "pain", True),  # the "when" clause's time
        ("No pain currently.", "pain", True),
    ],
)
def test_time_words_hold_for_their_clause(text: str, head: str, present: bool) -> None:
    assert _present(text, head) is present


def _denied(text: str) -> set[str]:
    st = canonical(text)
    return {c.head for c in claims_of([st])[st] if c.negated}


@pytest.mark.parametrize(
    ("text", "denied", "not_denied"),
    [
        ("She denies feeling a pop at the time of the fall.", "pop", "fall"),
        ("No pain in the middle of the night.", "pain", "night"),
        ("Denies a history of asthma.", "asthma", ""),
        ("She has no history of seizures.", "seizure", ""),
    ],
)
def test_time_or_place_is_no_claim(text: str, denied: str, not_denied: str) -> None:
    heads = _denied(text)
    assert any(h.startswith(denied[:4]) for h in heads)
    assert not not_denied or not any(h.startswith(not_denied[:4]) for h in heads)


VISIT = """\
[doctor] how is the shoulder doing ?
[patient] i am sleeping a lot better now and my shoulder does not hurt .
[doctor] good .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Her shoulder hurts.", "contradicted"),
        ("Her shoulder does not hurt.", "supported"),
    ],
)
def test_a_denial_beside_a_timed_clause(statement: str, label: str) -> None:
    assert verdict(VISIT, statement)[0] == label
