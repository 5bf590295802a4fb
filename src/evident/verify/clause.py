"""Clause context: which source mention of a fact best matches a statement's wording.

A finding is often affirmed in one place and denied in another ("pain on flexion, no pain
on extension"), and both sides of a joint are often examined ("swelling of the right
ankle, the left ankle looks fine"). The mention whose own clause shares the statement's
other words ("extension", "fine") is the one the statement reports; its polarity or
side decides, when it clearly beats the mentions that say otherwise.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import cache

from evident.verify._directions import directions
from evident.verify._resources import load_lexicons
from evident.verify._words import words
from evident.verify.facts import Analysis, Fact, stem
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = [
    "EARLIER",
    "ENDED",
    "EVER",
    "NOW",
    "RESOLVED",
    "answered",
    "best_by_context",
    "close_negation",
    "earlier_episodes",
    "side_by_clause",
    "statement_context",
]

_WHEN = frozenset(
    {"today", "now", "currently", "anymore", "tonight", "yesterday", "recently", "recent"}
)
# time words that place a statement in the present: an old episode does not bear it out
_CURRENT = frozenset(stem(w) for w in ("today", "now", "currently", "recently", "recent"))
NOW = "#now"  # in a statement context: the fact's own clause has a _CURRENT word
RESOLVED = "#resolved"  # a denial by resolution: "the pain resolved" (so it was there)
ENDED = "#ended"  # an affirmation of what stopped: "former smoker", "quit 10 years ago"
EARLIER = "#earlier"  # a denial of earlier episodes: "no prior chest pain", "never before"
EVER = "#ever"  # a denial for all time: "never smoked", "denies ever smoking"
ASPECT = "#aspect:"  # a direction in the fact's own clause: "#aspect:lateral"
_ENDED = frozenset({"former", "formerly", "quit", "ex", "ex-smoker", "stopped"})
_NO_MORE = frozenset({("no", "longer"), ("any", "more"), ("no", "more")})
_RESOLVED = frozenset({"resolved", "subsided", "gone", "away", "resolving"})
_EARLIER = words("earlier")
_LIFETIME = words("lifetime")
RADIUS = 8  # tokens each side of a mention that make its clause
MIN_SCORE = 1.5  # IDF-weighted shared words the best clause needs
WEAK_SCORE = 2.0  # the same for a mention whose polarity is a yes or no to it
MARGIN = 1.5  # the best label must beat the best other label by this factor
_BREAKS = frozenset({".", "?", "!", ";", "but", "however", "though", "although"})
# Polarity and side cues are what the comparison decides, never evidence of context.
_CUES = frozenset(
    stem(w)
    for w in (
        "no", "not", "without", "with", "denies", "denied", "deny", "reports", "reported",
        "endorses", "negative", "positive", "absent", "present", "has", "have", "had",
        "does", "did", "having", "left", "right", "bilateral", "both", "side", "sided",
        "like", "likely",
    )
)  # fmt: skip


@cache
def _synonyms() -> dict[str, str]:
    return dict(load_lexicons().phrases.synonyms)


def _stems(words: Iterable[str]) -> set[str]:
    syn = _synonyms()
    return {stem(syn.get(w, w)) for w in words if w and w[0].isalpha()}


def statement_context(an: Analysis, fact: Fact, extra: Iterable[str] = ()) -> frozenset[str]:
    """The statement's content stems other than the fact's own words and the cues."""
    own = _stems(fact.text.split()) | _stems(extra) | _CUES
    # "diarrhea today" is the clause "I didn't have any diarrhea today", though "today"
    # is too common a word to retrieve by
    when = {stem(t) for t in an.tokens if t in _WHEN}
    toks = an.tokens
    lo, hi = fact.position, fact.position + max(1, len(fact.text.split()))
    while lo > 0 and toks[lo - 1] not in _BREAKS:
        lo -= 1
    while hi < len(toks) and toks[hi] not in _BREAKS:
        hi += 1
    # "6-pack beer a day for many years: now claims he has been dry": a colon ends the
    # clause a time word belongs to (not a status: "peptic ulcer disease: resolved")
    end = min(hi, len(toks))
    now_lo = max([lo, *(i + 1 for i in range(lo, min(fact.position, end)) if toks[i] == ":")])
    now_hi = min([end, *(i for i in range(fact.position, end) if toks[i] == ":")])
    if any(stem(t) in _CURRENT for t in toks[now_lo:now_hi]):
        when.add(NOW)
    before = toks[lo : fact.position]
    if (
        fact.polarity == "negated"
        and (
            (
                _RESOLVED.intersection(toks[fact.position : hi])
                and not _NEG_BEFORE.intersection(before)  # "denies X, which resolved"
            )
            or any(before[i : i + 2] in _NO_MORE for i in range(len(before)))
            or "anymore" in toks[fact.position : hi]
        )
    ):
        # "no longer suffering from back pain", "no back pain anymore", "denies any more
        # diarrhea"
        when.add(RESOLVED)
    if fact.polarity == "affirmed" and fact.historical and _ENDED.intersection(toks[lo:hi]):
        when.add(ENDED)
    if fact.polarity == "negated":
        when |= _denied_when(list(toks[lo:hi]))
        # "no lateral joint line tenderness": the aspect denied (see _directions)
        when |= {ASPECT + d for d in directions(stem(t) for t in toks[lo:hi])}
    return frozenset(t for t in an.terms if not t.startswith("#") and t not in own) | when


def _denied_when(clause: list[str]) -> set[str]:
    """When a denial holds: before this episode ("no prior chest pain", "never had this
    before": :func:`earlier_episodes`; not "no history of", which denies a chronic
    condition now too), or for all time ("never smoked", "denies ever smoking":
    ``words.json``'s ``lifetime``)."""
    if earlier_episodes(clause):
        return {EARLIER}
    return {EVER} if _LIFETIME.intersection(clause) else set()


def earlier_episodes(tokens: Sequence[str]) -> bool:
    """Whether a time word places a statement before this episode (``words.json``'s
    ``earlier``: "no previous DVT", "no prior episodes", "never had this before"); not a
    preposition or conjunction that dates something else ("prior to admission", "before
    surgery", "before he came in")."""
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else "."
        if tok in _EARLIER and not (nxt == "to" or (tok == "before" and nxt[:1].isalnum())):
            return True
    return False


_NEG_BEFORE = frozenset(
    {"no", "not", "denies", "denied", "deny", "without", "never", "none", "nor"}
)
_NEG_AFTER = frozenset({"negative", "resolved", "absent", "gone", "denied"})


def close_negation(seg: IndexedSegment, fact: Fact) -> bool:
    """A negation cue within the mention's own clause ("no pain on extension"), not one
    whose scope ran on through an unpunctuated transcript."""
    toks = seg.analysis.tokens
    for j in range(fact.position - 1, max(-1, fact.position - 1 - RADIUS), -1):
        if toks[j] in _BREAKS:
            break
        if toks[j] in _NEG_BEFORE or toks[j].endswith("n't"):
            return True
    end = fact.position + max(1, len(fact.text.split()))
    return any(t in _NEG_AFTER for t in toks[end : end + 4])


def answered(seg: IndexedSegment, fact: Fact) -> bool:
    """Whether the mention's polarity came from the next speaker's yes or no."""
    said = seg.__dict__.get("_said")
    if said is None:  # a set built once per segment, not a scan of its facts per mention
        said = {(g.position, g.key, g.polarity) for g in seg.analysis.facts}
        seg.__dict__["_said"] = said
    return (fact.position, fact.key, fact.polarity) not in said


def _clause(seg: IndexedSegment, fact: Fact, others: set[int]) -> dict[str, int]:
    """Stems around one mention with their distance, bounded by breaks and the
    neighbouring mentions of the same thing."""
    toks = seg.analysis.tokens
    start, end = fact.position, fact.position + max(1, len(fact.text.split()))
    out: dict[str, int] = {}
    syn = _synonyms()

    def add(j: int, d: int) -> None:
        t = toks[j]
        if t[0].isalpha():
            s = stem(syn.get(t, t))
            out[s] = min(out.get(s, d), d)

    for j in range(start - 1, max(-1, start - 1 - RADIUS), -1):
        if toks[j] in _BREAKS or j in others:
            break
        add(j, start - j)
    for j in range(end, min(len(toks), end + RADIUS)):
        if toks[j] in _BREAKS or j in others:
            break
        add(j, j - end + 1)
    return out


def _score(terms: frozenset[str], clause: dict[str, int], index: SourceIndex) -> float:
    return sum(index.idf(t) * (1.0 if d <= 3 else 0.6) for t, d in clause.items() if t in terms)


def best_by_context(
    terms: frozenset[str],
    mentions: list[tuple[IndexedSegment, Fact]],
    index: SourceIndex,
    label: Callable[[IndexedSegment, Fact], str | None],
    same: Callable[[Fact, Fact], bool],
    weak: Callable[[IndexedSegment, Fact], bool] | None = None,
) -> tuple[str, list[IndexedSegment]] | None:
    """The label of the mentions whose clauses best match ``terms``, if it is clear.

    Args:
        terms: The statement's context stems (:func:`statement_context`).
        mentions: Source mentions of the statement's fact.
        index: The analysed sources (for IDF weights).
        label: What a mention says (polarity, side), None to ignore it.
        same: Whether two facts of one segment mention the same thing (clause bounds).
        weak: Mentions whose label is inferred (a question's yes or no): their clause
            must score WEAK_SCORE to count.

    Returns:
        ``(label, segments)`` of the winning mentions, or None when no clause matches
        well enough or two labels match about as well.
    """
    if not terms:
        return None
    best: dict[str, tuple[float, list[IndexedSegment]]] = {}
    for seg, f in mentions:
        lab = label(seg, f)
        if lab is None:
            continue
        others = {
            g.position for g in _near(seg, f, index) if g.position != f.position and same(g, f)
        }
        score = _score(terms, _clause(seg, f, others), index)
        if weak is not None and score < WEAK_SCORE and weak(seg, f):
            score = 0.0
        top, segs = best.get(lab, (0.0, []))
        if score > top:
            best[lab] = (score, [seg])
        elif score == top and score > 0:
            segs.append(seg)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    if not ranked or ranked[0][1][0] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1][0] < MARGIN * ranked[1][1][0]:
        return None
    lab, (_, segs) = ranked[0]
    return lab, segs


def _near(seg: IndexedSegment, fact: Fact, index: SourceIndex) -> list[Fact]:
    """The facts of ``seg`` within ``RADIUS`` tokens of ``fact``: the only ones that can
    bound its clause (:func:`_clause`). Found by position in a list sorted once per
    segment, not by testing every fact of the segment (quadratic on a long utterance)."""
    cache: dict[int, tuple[list[int], list[Fact]]] = index.__dict__.setdefault(
        "_facts_by_position", {}
    )
    by_pos = cache.get(seg.pos)
    if by_pos is None:
        ordered = sorted(seg.facts, key=lambda g: g.position)
        by_pos = cache[seg.pos] = ([g.position for g in ordered], ordered)
    positions, facts = by_pos
    start, end = fact.position, fact.position + max(1, len(fact.text.split()))
    return facts[bisect_left(positions, start - RADIUS) : bisect_left(positions, end + RADIUS)]


def _site_label(_seg: IndexedSegment, f: Fact) -> str | None:
    return f.laterality or None


def _same_site(a: Fact, b: Fact) -> bool:
    return a.kind == b.kind and a.key == b.key


def side_by_clause(
    fact: Fact, site: str, an: Analysis, index: SourceIndex
) -> tuple[str, list[IndexedSegment]] | None:
    """The side the source gives ``site`` in the clause that best matches the statement.

    Args:
        fact: The statement's lateral fact (a body site, or a finding that is its own
            site such as "kidney stone").
        site: Its body site.
        an: The statement's analysis.
        index: The analysed sources.

    Returns:
        ``(side, segments)`` when one side's clauses clearly match the statement best.
    """
    kind = "anatomy" if fact.kind == "anatomy" or fact.key != site else fact.kind
    mentions = [(s, g) for s, g in index.by_key.get((kind, site), []) if g.laterality]
    if not mentions:
        return None
    terms = statement_context(an, fact, site.split())
    return best_by_context(terms, mentions, index, _site_label, _same_site)
