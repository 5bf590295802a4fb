"""How the polarity checker reads a note's statement before its parse is compared: a
templated field ("Alcohol use: None.", "McMurray test: positive.") as the sentence it
stands for, and a statement that opens with a denial as denying every item of its main
clause (for ``polarity.py``, ``denials.py`` and the checkers that share their reading)."""

from __future__ import annotations

import re
from dataclasses import replace

from evident.verify._polarity_cues import cues, is_cue, is_denial_word, words
from evident.verify._polarity_read import Claim, as_written

__all__ = ["_field_reading", "_list_denial"]

_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z /-]{1,40}):\s*(.+?)[.\s]*$")


def _field_reading(statement: str) -> str:
    """A templated field whose value is a null answer ("Alcohol use: None.", the answers
    of ``phrases.json``) reads as the denial of its label ("No alcohol use."), one whose
    value is a result word says it of its label ("McMurray test: positive." is "McMurray
    test positive."); any other field is read without its label."""
    m = _FIELD.match(statement)
    if m is None:
        return statement
    from evident.verify._resources import load_lexicons

    value = m.group(2).strip().lower()
    if value in load_lexicons().phrases.null_answers:
        return f"No {m.group(1).strip().lower()}."
    if value in cues().absence_words or value in cues().presence_words:
        return f"{m.group(1).strip()} {value}."  # "Lachman test: negative." says it of the test
    # a heading before a sentence ("Constitutional: Denies fevers.") is no part of it
    return statement[m.start(2) :]


def _list_denial(statement: str, claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
    """A note's sentence that opens with a denial and has no contrast in it ("Denies
    fevers, chills.", "He denies pain when moving his neck.", "No bilateral ankle edema or
    calf tenderness.") denies every item of its main clause, however the tagger read the
    list ("No allergies, so she stopped her Allegra" still affirms the stopping).

    The statement is written: two negations of one head cancel ("there is not no
    hernia" affirms it, :func:`as_written`), and a head it negates twice is not denied
    again by the opening denial."""
    claims = as_written(claims)
    ws = [w for raw in words(statement)[:4] for w in raw.split("-") if w]
    first = next((i for i, w in enumerate(ws) if is_cue(w)), None)
    if first is None or (first > 0 and not is_denial_word(ws[first])):
        return claims  # "He denies ..." opens a denial; "She walks not ..." does not
    if ws[first] == "negative" and ws[first + 1 : first + 2] != ["for"]:
        return claims  # "Negative straight leg raise" is a result, not a denial
    frames = cues().absence_words.get(ws[first], ())
    if (
        frames
        and set(frames) <= cues().prepositions
        and ws[first + 1 : first + 2] not in [[f] for f in frames]
    ):
        return claims  # "Clear to auscultation." denies nothing; "Clear of masses." does
    rest = set(words(statement)[first + 1 :])
    if (cues().contrast_words | cues().clause_openers) & rest or not claims:
        return claims  # a second clause ("..., so she stopped her Allegra") is its own
    if rest & cues().presence_words.keys():
        return claims  # "Negative Spurling test, positive Phalen test": each its own
    first_denied = next((c for c in claims if c.negated), claims[0])
    main, cue, held = first_denied.clause, first_denied.cue, first_denied.held
    # the opening denial's list ends at a semicolon, as a negation's scope does ("Not
    # pregnant; IUD in place." denies no IUD, however the parser joined the two)
    return tuple(
        replace(c, negated=True, cue=cue, held=held | c.core)
        if c.clause == main
        and not c.negated
        and c.negations < 2
        and c.part == first_denied.part
        and c.phrase
        else c
        for c in claims
    )
