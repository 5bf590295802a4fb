"""The experiencer checker: a statement that names a relative ("her brother denies
chest pain", "his mother has diabetes") needs a source that names that relative.

Kinship terms are a closed class of English (``phrases.json``'s ``relatives``, each
mapped to its person: "mom" is the mother); a statement naming a person the source never
names has moved the fact to someone else, whatever the fact is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from evident.types import Segment, Source
from evident.verify._polarity_cues import words
from evident.verify._resources import load_lexicons
from evident.verify.decide import CheckResult

__all__ = ["check_experiencer"]

#: Persons any kinship term of a kind bears out ("a relative", "a spouse").
_GENERIC = {"relative": None, "spouse": frozenset({"wife", "husband", "spouse"})}
_CACHE: OrderedDict[tuple[str, int], frozenset[str]] = OrderedDict()


def _persons(text: str) -> set[str]:
    relatives = load_lexicons().phrases.relatives
    return {relatives[w] for w in words(text) if w in relatives}


#: Who brings a child: a visit whose questions speak of the patient in the third person
#: ("any bluish color around her mouth?") is told by a parent, whom a note may name.
_CAREGIVERS = frozenset({"mother", "father", "grandmother", "grandfather", "relative"})
_THIRD = frozenset({"he", "she", "his", "her", "him"})


def _told_by_caregiver(source: Source) -> bool:
    for seg in source.segments:
        if seg.text.rstrip().endswith("?"):
            ws = set(words(seg.text))
            if ws & _THIRD and "you" not in ws and "your" not in ws:
                return True
    return False


def _named_in(source: Source) -> frozenset[str]:
    """The persons a source names anywhere (in speech or in speaker labels), and a
    child's caregivers where a caregiver tells the visit; cached."""
    key = (source.id, hash(source.text))
    hit = _CACHE.get(key)
    if hit is None:
        labels = " ".join((s.speaker or "").replace("_", " ") for s in source.segments)
        found = _persons(source.text) | _persons(labels)
        hit = frozenset(found | (_CAREGIVERS if _told_by_caregiver(source) else set()))
        _CACHE[key] = hit
        if len(_CACHE) > 16:
            _CACHE.popitem(last=False)
    return hit


def _borne_out(person: str, named: frozenset[str]) -> bool:
    if person in named:
        return True
    if person == "relative":
        return bool(named)
    kinds = _GENERIC.get("spouse")
    return bool(kinds and person in kinds and named & kinds)


def check_experiencer(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """A relative the statement names must be named by the source.

    Args:
        statement: The statement's text.
        candidates: Segments retrieved for it (unused: a person is looked for anywhere).
        source: The source.

    Returns:
        ``missing`` (checker ``experiencer``) naming the person the source never names;
        None when the statement names no relative or the source names each.
    """
    named = _named_in(source)
    for person in sorted(_persons(statement)):
        if not _borne_out(person, named):
            label = {"transcript": "transcript", "note": "source note"}.get(source.kind, "source")
            return CheckResult(
                "experiencer", "missing", f"{label} never mentions the patient's {person}"
            )
    return None
