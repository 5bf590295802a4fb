"""The experiencer checker: a statement that names a relative ("her brother denies
chest pain", "his mother has diabetes") needs a source that names that relative.

Kinship terms are a closed class of English (``phrases.json``'s ``relatives``, each
mapped to its person: "mom" is the mother); a statement naming a person the source never
names has moved the fact to someone else, whatever the fact is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from evident.types import Segment, Source
from evident.verify._polarity_cues import words
from evident.verify._resources import load_lexicons
from evident.verify._sources import PerSource, source_label
from evident.verify.decide import CheckResult

__all__ = ["borne_out", "check_experiencer", "relatives_in"]

#: A spouse is borne out by a wife or a husband, and either by "spouse".
_SPOUSES = frozenset({"wife", "husband", "spouse"})


def _persons(text: str) -> set[str]:
    return set(relatives_in(words(text)))


def relatives_in(ws: Iterable[str]) -> frozenset[str]:
    """The persons a list of words names ("mom" is the mother)."""
    relatives = load_lexicons().phrases.relatives
    return frozenset(relatives[w] for w in ws if w in relatives)


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


@PerSource
def _named_in(source: Source) -> frozenset[str]:
    """The persons a source names anywhere (in speech or in speaker labels), and a
    child's caregivers where a caregiver tells the visit."""
    labels = " ".join((s.speaker or "").replace("_", " ") for s in source.segments)
    found = _persons(source.text) | _persons(labels)
    return frozenset(found | (_CAREGIVERS if _told_by_caregiver(source) else set()))


def borne_out(person: str, named: frozenset[str]) -> bool:
    """Whether a person is named among ``named`` (a spouse by either word, "a relative"
    by anyone)."""
    if person in named:
        return True
    if person == "relative":  # "a relative": any named person
        return bool(named)
    return person in _SPOUSES and bool(named & _SPOUSES)


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
        if not borne_out(person, named):
            reason = f"{source_label(source)} never mentions the patient's {person}"
            return CheckResult("experiencer", "missing", reason)
    return None
