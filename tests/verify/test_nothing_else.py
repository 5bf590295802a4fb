""" "No other complaints" (a review of systems otherwise negative) is borne out by a
question asking for anything more that the patient answers no ("anything else?" - "no,
that's it"), as it is by symptoms asked about and denied; not by a question about
something new, nor by an answer yes. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.check import verify

from .conftest import make_draft, make_transcript

_OPEN = "[doctor] what brings you in ?\n[patient] my left knee has been aching for a week .\n"


@pytest.mark.parametrize(
    ("closing", "statement", "supported"),
    [
        ("[doctor] anything else ?\n[patient] no , that's it .\n", "No other complaints.", True),
        (
            "[doctor] okay . any other concerns today ?\n[patient] nope .\n",
            "She has no other concerns.",
            True,
        ),
        (
            "[doctor] anything else ?\n[patient] no .\n",
            "Review of systems otherwise negative.",
            True,
        ),
        # answered yes, or not answered: nothing else is not said
        (
            "[doctor] anything else ?\n[patient] yes , my back hurts too .\n",
            "No other complaints.",
            False,
        ),
        ("[doctor] anything else ?\n[doctor] okay .\n", "No other complaints.", False),
        # a question about a definite other thing asks for nothing more
        (
            "[doctor] is the other knee going to need surgery ?\n[patient] no .\n",
            "No other complaints.",
            False,
        ),
        # a question about something new asks for no more of the same
        ("[doctor] anything new ?\n[patient] no .\n", "No other complaints.", False),
    ],
)
def test_nothing_else_bears_out_no_other_complaints(
    closing: str, statement: str, supported: bool
) -> None:
    src = make_transcript(_OPEN + closing)
    v = verify(make_draft(statement), [src], omissions=False).verdicts[0]
    assert (v.label == "supported") is supported, v.reason


def test_read_once_per_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft of many such statements reads the source's questions once, not once per
    statement (no draft makes the reading grow with its length times the source's)."""
    from evident.verify import _compare_history

    calls: list[int] = []
    read = _compare_history._read_nothing_else

    def counted(index: object) -> object:
        calls.append(1)
        return read(index)  # type: ignore[arg-type]

    monkeypatch.setattr(_compare_history, "_read_nothing_else", counted)
    src = make_transcript(_OPEN + "[doctor] anything else ?\n[patient] no .\n")
    report = verify(make_draft(*["No other complaints."] * 30), [src], omissions=False)
    assert all(v.label == "supported" for v in report.verdicts)
    assert len(calls) == 1
