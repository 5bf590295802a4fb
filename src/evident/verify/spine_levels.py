"""Spinal levels ("L4-L5", "c5-6", "l five s one", "the l4 l5 disk space"): where on the
spine a finding, an injection or an operation is. A level is an identifier, like a side:
a note's level the source never gives is a missing fact ("no source gives the level
L4-L5"), and a level other than the source's is a conflict ("transcript says L5-S1, note
says L4-L5"), since a wrong level is a wrong site. Read from the tokens: a region letter
with its number in one token ("l5", "l4-l5", "c5-6") or, spoken, as a range in tokens of
their own ("l four five", "l four l five"; a spoken level alone may be something else:
"hepatitis c two years ago"), a range written with a hyphen or as two levels side by
side. Thoracic and sacral levels only in a range that crosses into them ("c7-t1",
"l5-s1"): alone, "T4" is a thyroid hormone and "S1" a heart sound."""

from __future__ import annotations

import re

from evident.verify._compare_base import Check, _ids
from evident.verify.facts import Fact
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = ["check_level", "level_facts"]

_MAX = {"c": 8, "t": 12, "l": 5, "s": 5}
_ONE = re.compile(r"^([ctls])(\d{1,2})(?:-([ctls])?(\d{1,2}))?$")
_ALONE = frozenset({"c", "l"})  # regions read without a range


def _label(region: str, number: str) -> str | None:
    n = int(number)
    return f"{region.upper()}{n}" if 1 <= n <= _MAX[region] else None


def _at(tokens: list[str], i: int) -> tuple[list[str], int] | None:
    """The level(s) starting at token ``i`` and the token after them, or None."""
    m = _ONE.match(tokens[i])
    if m and m[4] is None and len(m[2]) == 2 and int(m[2]) > _MAX[m[1]]:
        # "c56", "l45": two adjacent levels written together
        first, last = _label(m[1], m[2][0]), _label(m[1], m[2][1])
        ok = first and last and int(m[2][1]) == int(m[2][0]) + 1
        return ([first, last], i + 1) if ok and first and last else None
    if m:
        first = _label(m[1], m[2])
        if first is None:
            return None
        if m[4] is None:
            return [first], i + 1
        last = _label(m[3] or m[1], m[4])
        return ([first, last], i + 1) if last else None
    if tokens[i] in _MAX and i + 1 < len(tokens) and tokens[i + 1].isdigit():
        first = _label(tokens[i], tokens[i + 1])
        if first is None:
            return None
        # "l 4 5", "l 4 l 5": the next number, with or without its letter
        nxt = tokens[i + 2 : i + 4]
        if nxt[:1] and nxt[0].isdigit():
            last = _label(tokens[i], nxt[0])
            return ([first, last], i + 3) if last else ([first], i + 2)
        if len(nxt) == 2 and nxt[0] in _MAX and nxt[1].isdigit():
            last = _label(nxt[0], nxt[1])
            return ([first, last], i + 4) if last else None
        return None  # a spoken level alone ("hepatitis c 2 years ago") is no level
    return None


def level_facts(tokens: list[str]) -> tuple[list[Fact], set[int]]:
    """The spinal levels of a text as ``level`` facts (key "L4-L5", "C5"), and the token
    positions they cover (whose digits are no quantities)."""
    facts: list[Fact] = []
    covered: set[int] = set()
    i = 0
    while i < len(tokens):
        hit = _at(tokens, i)
        if hit is None:
            i += 1
            continue
        labels, end = hit
        if end < len(tokens) and len(labels) == 1:  # "l4 l5": two levels side by side
            more = _at(tokens, end)
            if more is not None and len(more[0]) == 1:
                labels, end = labels + more[0], more[1]
        if len(labels) > 1 or labels[0][0].lower() in _ALONE:
            key = "-".join(dict.fromkeys(labels))
            facts.append(Fact("level", key, " ".join(tokens[i:end]), position=i))
            covered.update(range(i, end))
        i = end
    return facts, covered


def check_level(stf: Fact, index: SourceIndex, _cands: list[IndexedSegment]) -> Check:
    """A statement's level against the source's: the same level (or its vertebrae all
    named) bears it out; other levels conflict; none is a missing fact."""
    said = [(s, f) for (kind, _), ms in index.by_key.items() if kind == "level" for s, f in ms]
    mine = set(stf.key.split("-"))
    same = [s for s, f in said if mine <= set(f.key.split("-"))]
    if same:
        return Check("ok", stf, _ids(same))
    if not said:
        return Check("missing", stf, reason=f"no source gives the level {stf.key}")
    named = set().union(*(set(f.key.split("-")) for _, f in said))
    if mine <= named:
        return Check("ok", stf, _ids(s for s, _ in said))
    # only a level of the same region that shares no vertebra with the statement's is
    # another place (L5-S1 for L3-L4); one that shares one may be the same level said
    # in part ("c five six" for "C5-6 and C6-7"), and another region's is another thing
    regions = {label[0] for label in mine}
    other = [(s, f) for s, f in said if f.key[0] in regions]
    if not other or named & mine:
        return Check("missing", stf, reason=f"no source gives the level {stf.key}")
    s, f = other[0]
    reason = f"{index.kind_label} says {f.key}, note says {stf.key}"
    return Check("conflict", stf, (s.segment.id,), reason)
