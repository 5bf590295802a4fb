"""The side-word checker: "left" or "right" in a statement, read with the words it
qualifies, against the sides the source gives the same words.

The side checker of :mod:`evident.verify.sides` reads sites the anatomy lexicon knows;
this one needs no lexicon: a side word ("left", "right", "bilateral") qualifies the
content words after it ("the left *inguinal lymph node*", "a right *C7-T1 epidural*"),
and the source must give that side to one of those words somewhere. It gives only the
other side: a conflict; it gives no side to them: nothing to say.
"""

from __future__ import annotations

from collections.abc import Sequence

from evident.types import Segment, Source
from evident.verify._polarity_cues import cues, is_cue, norm, words
from evident.verify._sources import PerSource, source_label
from evident.verify.decide import CheckResult
from evident.verify.polarity import _sentences, _stop

__all__ = ["check_side_words"]

#: Side words, each with its side; "bilateral" and "both" give both sides.
_SIDES = {"left": "left", "right": "right", "bilateral": "both", "bilaterally": "both"}
_REACH = 3  # content words after a side word that it qualifies
_GENERIC = frozenset({"side", "sided", "sides"})  # "the left side of the back": the back
_Given = tuple[str, frozenset[str], str, str]  # side, stems, words as written, segment id


def _given(text: str) -> list[tuple[str, frozenset[str], str]]:
    """The sides a source text gives: not those asked about, nor those inside a denial
    ("no tenderness ... of your right foot" gives the foot no side), as the side
    checker of :mod:`evident.verify.sides` reads them."""
    out: list[tuple[str, frozenset[str], str]] = []
    for sent in _sentences(text):
        if _asks(sent):
            continue
        ws = [p for w in words(sent) for p in w.split("-") if p]
        first_side = next((i for i, w in enumerate(ws) if w in _SIDES), None)
        if first_side is not None and any(is_cue(w) for w in ws[:first_side]):
            continue
        out.extend(_qualified(sent))
    return out


def _asks(sentence: str) -> bool:
    """A question, not a statement closed by a tag ("your left knee looks fine, okay?")."""
    ws = words(sentence)
    return sentence.rstrip().endswith("?") and not (ws and ws[-1] in cues().tag_questions)


def _qualified(text: str) -> list[tuple[str, frozenset[str], str]]:
    """(side, stems of the content words it qualifies, those words) for each side word."""
    ws = [p for w in words(text) for p in w.split("-") if p]  # "left-sided weakness"
    stop = _stop()
    out: list[tuple[str, frozenset[str], str]] = []
    for i, w in enumerate(ws):
        side = _SIDES.get(w)
        if side is None or (w == "right" and _not_a_side(ws, i)):
            continue
        after: list[str] = []
        shown: list[str] = []
        for nxt in ws[i + 1 : i + 1 + 2 * _REACH]:
            if nxt in _SIDES or nxt in {"and", "or", "but", "than", "worse", "better"}:
                break
            if nxt.isalpha() and nxt not in stop and nxt not in _GENERIC and len(nxt) > 2:
                after.append(norm(nxt))
                shown.append(nxt)
            if len(after) == _REACH:
                break
        if after:
            out.append((side, frozenset(after), " ".join(shown)))
    return out


def _not_a_side(ws: list[str], i: int) -> bool:
    """ "right" as in "right now", "that's right", "all right", "right away"."""
    nxt = ws[i + 1] if i + 1 < len(ws) else ""
    prev = ws[i - 1] if i else ""
    return nxt in {"now", "away", "there", "here", "after", "before"} or prev in {
        "all",
        "that's",
        "is",
        "okay",
        "alright",
    }


@PerSource
def _source_sides(source: Source) -> tuple[_Given, ...]:
    """Every side the source gives, with what it qualifies and where."""
    return tuple(
        (side, stems, shown, seg.id)
        for seg in source.segments
        for side, stems, shown in _given(seg.text)
    )


def _same_thing(first: str, stems: frozenset[str], given: _Given) -> bool:
    """Whether a source's side words qualify the same thing: the word right after one
    side word is among the words the other qualifies ("left inguinal lymph node" -
    "right inguinal node"; not "left wrist swelling" - "bilateral pitting edema")."""
    return first in given[1] or norm(given[2].split()[0]) in stems


def check_side_words(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Whether the source gives the statement's side to what the statement's side word
    qualifies.

    Args:
        statement: The statement's text.
        candidates: Unused: a side is looked for anywhere in the source.
        source: The source.

    Returns:
        ``conflict`` (checker ``side``) when the source gives the words only the other
        side, ``agree`` when it gives them the same side, None otherwise.
    """
    mine = _qualified(statement)
    if not mine:
        return None
    given = _source_sides(source)
    agree: CheckResult | None = None
    for side, stems, shown in mine:
        first = norm(shown.split()[0])
        near = [g for g in given if _same_thing(first, stems, g)]
        same = [g for g in near if g[0] == side or "both" in (g[0], side)]
        other = [g for g in near if g[0] != side and "both" not in (g[0], side)]
        if other and not same:
            o_side, _, o_shown, o_id = other[0]
            reason = f"{source_label(source)} says {o_side} {o_shown} ({o_id}), note says {side}"
            return CheckResult("side", "conflict", reason, (o_id,))
        if same and agree is None:
            agree = CheckResult("side", "agree", f"same side ({same[0][3]})", (same[0][3],))
    return agree
