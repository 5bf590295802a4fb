"""Allergens named in any words: "allergic to sulfa drugs" -> sulfa, "latex allergy" ->
latex, "Allergies: shellfish (hives)" -> shellfish, whether or not a drug lexicon holds
the substance. The cue words are data (``resources/omissions.json``); a denied allergy
("no allergy to latex", "NKDA") names none. The fact reader turns each into an allergy
fact (:func:`evident.verify.facts.analyze`), the omission list and the allergy checker
read them as any other allergy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from evident.errors import ConfigError
from evident.verify._resources import load_lexicons
from evident.verify.allergy_frames import field_labels

if TYPE_CHECKING:
    from evident.verify.facts import Analysis

__all__ = ["allergen_positions", "allergy_substances"]


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    allergy_before: tuple[tuple[str, str], ...]
    allergy_after: frozenset[str]
    allergy_denials: frozenset[str]
    not_substances: frozenset[str]
    self_words: frozenset[str]
    question_speakers_skipped: frozenset[str]


@cache
def _cues() -> _Cues:
    path = resources.files("evident.verify").joinpath("resources", "omissions.json")
    try:
        return _Cues.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigError(f"verify resource omissions.json is invalid: {exc}") from None


@cache
def _not_substances() -> frozenset[str]:
    """Words that never name what someone is allergic to (function words, "anything")."""
    return _cues().not_substances | frozenset(load_lexicons().phrases.stopwords)


def allergy_substances(an: Analysis) -> set[str]:
    """Substances the text says someone is allergic to, named in a lexicon or not
    ("allergic to sulfa drugs" -> sulfa; "latex allergy" -> latex; "Allergies: sulfa"
    -> sulfa); denied ones are not."""
    return {word for word, _ in allergen_positions(an.tokens)}


def allergen_positions(toks: Sequence[str], *, modifiers: bool = True) -> list[tuple[str, int]]:
    """(substance, token position) of each allergen the tokens name. With
    ``modifiers=False`` only those an allergy frame names ("allergic to X", "Allergies:
    X"), not the word before "allergy", which is as often a modifier ("fall allergies",
    "systemic allergy", "significant allergies") as a substance ("latex allergy")."""
    cues = _cues()
    fields = set(field_labels(toks))  # "Allergies: sulfa (rash)"
    out: list[tuple[str, int]] = []
    for i, tok in enumerate(toks):
        if i + 1 < len(toks) and (tok, toks[i + 1]) in cues.allergy_before:
            if cues.allergy_denials.intersection(toks[max(0, i - 3) : i]):
                continue
            out.extend(_substances_after(toks, i + 2))
        elif i in fields:
            out.extend(_substances_after(toks, i + 2))
        elif (
            modifiers
            and tok in cues.allergy_after
            and i > 0
            and toks[i - 1] not in _not_substances()
        ):
            word = toks[i - 1]
            if word[0].isalpha() and not cues.allergy_denials.intersection(toks[max(0, i - 3) : i]):
                out.append((_stem(word), i - 1))
    return out


def _substances_after(toks: Sequence[str], j: int) -> list[tuple[str, int]]:
    """The list after "allergic to": each item's first word ("sulfa drugs, and latex")."""
    cues, skip, take = _cues(), _not_substances(), True
    out: list[tuple[str, int]] = []
    for k in range(j, min(len(toks), j + 12)):
        tok = toks[k]
        if tok in {".", ";", "?", "!"} or tok in cues.allergy_denials:
            break
        if tok in {",", "and", "or", "/"}:
            take = True
            continue
        if take and tok[0].isalpha() and tok not in skip:
            if out and not _ends_item(toks, k):
                break  # "to peanuts, manifesting as hives": a clause, not an allergen
            out.append((_stem(tok), k))
            take = False
        elif take and out:  # after a comma a new clause begins ("sulfa, i get a rash")
            break
    return out


def _ends_item(toks: Sequence[str], k: int) -> bool:
    """Whether the word at ``k`` is a whole list item: a delimiter or the end follows it
    ("sulfa, latex and shellfish.")."""
    return k + 1 >= len(toks) or toks[k + 1] in {",", "and", "or", "/", ".", ";", "(", "!", "?"}


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 4 and not word.endswith("ss") else word
