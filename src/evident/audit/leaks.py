"""Leak check of audit records: original PHI values where only protected text belongs.

Uses :func:`evident.privacy.find_leaks`. A run record keeps the sources *as the task saw
them* (after privacy protection), its parameters and the privacy record: none of these
should hold an original value. The draft and the report are stored as the clinician saw
them (re-identified), and clinician actions hold their text, so they hold PHI by design;
``scope="all"`` scans them too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from evident.errors import InputError

__all__ = ["PROTECTED_FIELDS", "LeakFinding", "Scope", "scan_records"]

Scope = Literal["protected", "all"]
PROTECTED_FIELDS = ("sources", "params", "privacy")
_ALL_RUN_FIELDS = (*PROTECTED_FIELDS, "draft", "report")


class LeakFinding(BaseModel):
    """Original PHI values found in one field of one record (counts only, never values).

    Attributes:
        seq: The record.
        run_id: Its run.
        field: ``sources``, ``params``, ``privacy``, ``draft``, ``report`` or ``action``.
        counts: Occurrences per PHI type.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int
    run_id: str
    field: str
    counts: dict[str, int]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def scan_records(
    records: Iterable[tuple[int, Mapping[str, Any]]],
    originals: Iterable[str] | Mapping[str, str],
    *,
    scope: Scope = "protected",
    min_length: int = 3,
) -> list[LeakFinding]:
    """Scan ``(seq, payload)`` pairs for original values.

    Args:
        records: Stored records in chain order.
        originals: Original PHI values, or a mapping of value to PHI type.
        scope: ``protected`` (sources, params, privacy record) or ``all`` (also the
            draft, the report and clinician actions).
        min_length: Shorter values are ignored (too many chance matches).

    Returns:
        One finding per record and field with at least one occurrence.
    """
    if scope not in ("protected", "all"):
        raise InputError("scope must be 'protected' or 'all'")
    from evident.privacy import find_leaks

    values: Mapping[str, str] | list[str] = (
        dict(originals) if isinstance(originals, Mapping) else list(originals)
    )
    out: list[LeakFinding] = []
    for seq, payload in records:
        if payload.get("kind") == "run":
            fields = PROTECTED_FIELDS if scope == "protected" else _ALL_RUN_FIELDS
            parts = [(f, payload["run"].get(f)) for f in fields]
        elif scope == "all":
            parts = [("action", [payload.get("before"), payload.get("after")])]
        else:
            continue
        for name, value in parts:
            text = "\n".join(_strings(value))
            spans = find_leaks(text, values, min_length=min_length) if text else []
            if spans:
                counts = Counter(s.type for s in spans)
                out.append(
                    LeakFinding(seq=seq, run_id=payload["run_id"], field=name, counts=dict(counts))
                )
    return out
