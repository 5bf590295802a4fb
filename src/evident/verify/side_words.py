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
from evident.verify._normal_exams import normal_words
from evident.verify._polarity_cues import cues, is_cue, norm, words
from evident.verify._polarity_views import _sentences, _stop
from evident.verify._sources import PerSource, source_label
from evident.verify.context import opens_inverted
from evident.verify.decide import CheckResult

__all__ = ["check_side_words"]

#: Side words, each with its side; "bilateral" and "both" give both sides.
_SIDES = {"left": "left", "right": "right", "bilateral": "both", "bilaterally": "both"}
_REACH = 3  # content words after a side word that it qualifies
_GENERIC = frozenset({"side", "sided", "sides"})  # "the left side of the back": the back
# "left" as a verb: after a subject pronoun or an auxiliary, before what is left behind
_LEFT_VERB_BEFORE = frozenset(
    {"i", "he", "she", "we", "they", "you", "it", "who", "was", "were", "been", "be", "being"}
    | {"is", "are", "am", "has", "have", "had", "just", "then", "never", "get", "got"}
)
_LEFT_VERB_AFTER = frozenset({"with", "home", "alone", "over", "untreated", "behind", "early"})
# "right" as in "right now", "that's right", "all right"
_RIGHT_NOT_A_SIDE_AFTER = frozenset({"now", "away", "there", "here", "after", "before"})
_RIGHT_NOT_A_SIDE_BEFORE = frozenset({"all", "that's", "is", "okay", "alright"})
_Given = tuple[str, frozenset[str], str, str]  # side, stems, words as written, segment id


def _given(text: str) -> list[tuple[str, frozenset[str], str]]:
    """The sides a source text gives: not those asked about, nor those inside a denial
    ("no tenderness ... of your right foot" gives the foot no side), as the side
    checker of :mod:`evident.verify.sides` reads them."""
    out: list[tuple[str, frozenset[str], str]] = []
    for sent in _sentences(text):
        if _asks(sent):
            continue
        ws = _side_tokens(sent)
        first_side = next((i for i, w in enumerate(ws) if w in _SIDES), None)
        if first_side is not None and any(is_cue(w) for w in ws[:first_side]):
            continue
        out.extend(_qualified(sent))
    return out


def _side_tokens(text: str) -> list[str]:
    """The text's words, hyphenated ones split ("left-sided" is "left", "sided")."""
    return [p for w in words(text) for p in w.split("-") if p]


def _asks(sentence: str) -> bool:
    """A question, not a statement closed by a tag ("your left knee looks fine, okay?");
    unpunctuated, one that opens inverted ("and does anything make it better")."""
    ws = words(sentence)
    if not sentence.rstrip().endswith("?"):
        return opens_inverted(ws)
    return not (ws and ws[-1] in cues().tag_questions)


def _qualified(text: str) -> list[tuple[str, frozenset[str], str]]:
    """(side, stems of the content words it qualifies, those words) for each side word."""
    ws = _side_tokens(text)  # "left-sided weakness"
    stop = _stop()
    out: list[tuple[str, frozenset[str], str]] = []
    for i, w in enumerate(ws):
        side = _SIDES.get(w)
        if side is None or _not_a_side(ws, i):
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
    """ "right" as in "right now", "that's right", "all right", "right away"; "left" as a
    verb ("I was left with", "she left the hospital")."""
    nxt = ws[i + 1] if i + 1 < len(ws) else ""
    prev = ws[i - 1] if i else ""
    if ws[i] == "left":  # "it was left-sided" is a side
        return nxt not in _GENERIC and (prev in _LEFT_VERB_BEFORE or nxt in _LEFT_VERB_AFTER)
    if ws[i] != "right":
        return False
    return nxt in _RIGHT_NOT_A_SIDE_AFTER or prev in _RIGHT_NOT_A_SIDE_BEFORE


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
    if _in_denial(statement) and all(side in _sides_named(source) for side, _, _ in mine):
        return None  # "denies left knee pain": the source may deny the left side itself
    given = _source_sides(source)
    agree: CheckResult | None = None
    normal = _normal_parts(statement)
    for side, stems, shown in mine:
        first = norm(shown.split()[0])
        near = [g for g in given if _same_thing(first, stems, g)]
        same = [g for g in near if g[0] == side or "both" in (g[0], side)]
        other = [g for g in near if g[0] != side and "both" not in (g[0], side)]
        if other and not same and (side, shown.split()[0]) not in normal:
            # a part found normal on one side ("left lung clear") is no conflict with a
            # finding the source gives the other side ("crackles at the right base")
            o_side, _, o_shown, o_id = other[0]
            reason = f"{source_label(source)} says {o_side} {o_shown} ({o_id}), note says {side}"
            return CheckResult("side", "conflict", reason, (o_id,))
        if same and agree is None:
            agree = CheckResult("side", "agree", f"same side ({same[0][3]})", (same[0][3],))
    return agree or _never_named(mine, source)


def _normal_parts(statement: str) -> set[tuple[str, str]]:
    """(side, part) for each part the statement finds normal on a side ("left *lung
    clear*", "left *hand asymptomatic*"; ``words.json``'s ``normal_words`` and the normal
    exams' words): that side is judged by what the normal exam rules out, not against a
    finding the source gives the other side."""
    ws = _side_tokens(statement)
    normal = normal_words()
    out: set[tuple[str, str]] = set()
    for i, w in enumerate(ws[:-1]):
        after = ws[i + 2 : i + 2 + _NORMAL_REACH]
        if w in _SIDES and normal.intersection(after) and not cues().negators.intersection(after):
            out.add((_SIDES[w], ws[i + 1]))
    return out


_NORMAL_REACH = 4


def _in_denial(statement: str) -> bool:
    """A side said inside a denial ("denies left knee pain", "no right upper quadrant
    tenderness"): a negation cue before the first side word."""
    ws = _side_tokens(statement)
    first_side = next((i for i, w in enumerate(ws) if w in _SIDES), None)
    return first_side is not None and any(is_cue(w) for w in ws[:first_side])


def _never_named(mine: list[tuple[str, frozenset[str], str]], source: Source) -> CheckResult | None:
    """A left or right the source never uses as a side at all, anywhere (not even asked
    about or denied): the side is a missing hard fact, whatever the statement's side word
    qualifies ("left-sided hemiparesis" where the patient only ever speaks of the right,
    or of no side)."""
    named = _sides_named(source)
    if "both" in named:
        return None
    for side, _, shown in mine:
        other = {"left": "right", "right": "left"}.get(side)
        if other is not None and side not in named:
            said = f"only {other}" if other in named else "no side at all"
            label = source_label(source)
            reason = f"{label} never says {side} ({said}); note says {side} {shown}"
            return CheckResult("side", "missing", reason)
    return None


@PerSource
def _sides_named(source: Source) -> frozenset[str]:
    """Every side any sentence of the source uses as a side word."""
    return frozenset(side for seg in source.segments for side in _sides_used(seg.text))


def _sides_used(text: str) -> list[str]:
    """The side of every side word of a text, whatever it qualifies ("my right side")."""
    ws = _side_tokens(text)
    return [_SIDES[w] for i, w in enumerate(ws) if w in _SIDES and not _not_a_side(ws, i)]
