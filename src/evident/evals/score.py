"""Score one raw output against its item (multiple choice or MEDEC)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from evident.evals.extract import extract_choice, find_json_objects, raw_text
from evident.evals.items import EvalItem

__all__ = ["Scored", "extract_medec", "score_output"]


@dataclass(frozen=True)
class Scored:
    """The parsed answer and whether it is right.

    Attributes:
        parsed: The option letter found (MEDEC: ``A`` error flagged, ``B`` none), or None.
        method: How it was found (see :class:`evident.evals.extract.Extraction`).
        correct: True when ``parsed`` equals the item's answer.
        sentence_correct: MEDEC only: the flag and the error sentence id are both right.
    """

    parsed: str | None
    method: str
    correct: bool
    sentence_correct: bool | None = None


_TRUE = {"1", "true", "yes", "y", "error", "incorrect"}
_FALSE = {"0", "false", "no", "n", "none", "correct", "no error"}


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _sentence_id(value: Any) -> int | None:
    match = re.search(r"-?\d+", str(value))
    return int(match.group(0)) if match else None


_PROSE_ID = re.compile(r"^\s*(\d+)\s*[:.)\-]?\s+\S", re.MULTILINE)


def extract_medec(raw: Any) -> tuple[bool | None, int | None, str]:
    """Read (error flag, error sentence id, method) from a MEDEC output.

    Accepts the JSON the prompt asks for, and the MEDIQA-CORR plain format
    (``CORRECT`` or ``<sentence id> <corrected sentence>``).
    """
    text = raw_text(raw)
    if not text.strip():
        return None, None, "empty"
    for obj in reversed(find_json_objects(text)):
        if "error_flag" in obj:
            flag = _flag(obj["error_flag"])
            sid = _sentence_id(obj.get("error_sentence_id", ""))
            if flag is not None:
                return flag, sid if flag else -1, "json"
    stripped = text.strip()
    if stripped.upper().rstrip(".") == "CORRECT":
        return False, -1, "prose"
    match = _PROSE_ID.match(stripped)
    if match:
        return True, int(match.group(1)), "prose"
    return None, None, "none"


def score_output(item: EvalItem, raw: Any) -> Scored:
    """Parse ``raw`` for ``item`` and compare with the gold answer."""
    if item.kind == "medec":
        flag, sid, method = extract_medec(raw)
        if flag is None:
            return Scored(None, method, False, False)
        letter = "A" if flag else "B"
        sentence_ok = letter == item.answer and (not flag or sid == item.error_sentence_id)
        return Scored(letter, method, letter == item.answer, sentence_ok)
    found = extract_choice(raw, item.options)
    return Scored(found.letter, found.method, found.letter == item.answer)
