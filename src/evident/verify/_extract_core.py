"""The state and shared readings of the fact extractor (:mod:`evident.verify._extract`).

:class:`ExtractorCore` holds a text's tokens, sentences, lexicon concepts and dosing
words, and the readings every kind of fact uses: the sentence of a token, a fact's
ConText polarity and plan context (``_base``), its side and its nearest body site.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from evident.verify._extract_cues import with_coordinated_drugs
from evident.verify._words import mapping, words
from evident.verify.context import ContextEngine
from evident.verify.facts import Fact, _plan_cues, presupposed
from evident.verify.lexicon import Entry, concept_index, dosing_index

__all__ = ["ExtractorCore"]

# "right" as an adverb: "right at the shoulder", "right in the middle of the back"
_RIGHT_ADVERB = words("right_adverb")
_LATERALITY = mapping("laterality")
_POSSESSIVE = words("possessive")
_SITE_MODIFIERS = words("site_modifiers")
_BREAK = words("break")
_SENTENCE_END = frozenset({".", ";", "?", "!"})
_REDUCED_WHEN = frozenset({"when", "whenever"})
_SIDE_REACH = 12  # tokens after a mention within which its sentence gives it a side


class ExtractorCore:
    """Tokens, concepts and dosing words of one text, and the readings all facts share."""

    def __init__(self, tokens: list[str], sentences: tuple[tuple[int, int, bool], ...]):
        self.tokens = tokens
        self.sentences = sentences
        self._sentence_starts = [s[0] for s in sentences]
        self.concepts = with_coordinated_drugs(tokens, concept_index().scan(tokens))
        covered = frozenset(i for s, n, _ in self.concepts for i in range(s, s + n))
        self.covered = covered
        self.ctx = ContextEngine(tokens, covered)
        self.dosing = {s: (n, e) for s, n, e in dosing_index().scan(tokens)}
        self.facts: list[Fact] = []
        self._plan_sentences: dict[tuple[int, int], bool] = {}
        self._sentence_anatomy: dict[tuple[int, int], tuple] = {}
        self._kind_starts: dict[str, list[int]] = {}
        self._vitals: tuple[int, set[int]] = (0, set())

    def _starts(self, kind: str) -> list[int]:
        """Sorted start tokens of the concepts of ``kind`` (built once per kind): a
        window of them is found by bisection instead of a scan of every concept."""
        if kind not in self._kind_starts:
            self._kind_starts[kind] = sorted(s for s, _, e in self.concepts if e.kind == kind)
        return self._kind_starts[kind]

    def _vital_positions(self) -> set[int]:
        """Positions of the vitals found so far, brought up to date with the facts added
        since the last call (facts are only appended while extracting)."""
        seen, positions = self._vitals
        positions.update(f.position for f in self.facts[seen:] if f.kind == "vital")
        self._vitals = (len(self.facts), positions)
        return positions

    def _any_start(self, kind: str, lo: int, hi: int) -> int | None:
        """The first start of a ``kind`` concept in ``[lo, hi)``, if any."""
        starts = self._starts(kind)
        i = bisect_left(starts, lo)
        return starts[i] if i < len(starts) and starts[i] < hi else None

    def sentence_of(self, i: int) -> tuple[int, int, bool]:
        k = bisect_right(self._sentence_starts, i) - 1
        if k >= 0 and self.sentences[k][0] <= i < self.sentences[k][1]:
            return self.sentences[k]
        return (0, len(self.tokens), False)

    def _base(self, start: int, n: int, entry: Entry, **kw: object) -> Fact:
        sent = self.sentence_of(start)
        c = self.ctx.context(start, start + n)
        polarity = (
            "uncertain"
            if c.conditional
            else "negated"
            if c.negated
            else "uncertain"
            if c.uncertain
            else "affirmed"
        )
        conditional = c.conditional
        if polarity in {"affirmed", "negated"} and self._reduced_when(start, sent[0]):
            polarity, conditional = "uncertain", True  # "playful when afebrile"
        if sent[2] and not c.negated and not presupposed(self.tokens, start):
            polarity = "asked"
        plan = self._plan_sentences.get(sent[:2])
        if plan is None:  # once per sentence, not once per fact of it
            cues = _plan_cues()
            plan = self._plan_sentences[sent[:2]] = any(
                t in cues for t in self.tokens[sent[0] : sent[1]]
            )
        return Fact(
            kind=entry.kind,
            key=entry.name,
            text=" ".join(self.tokens[start : start + n]),
            polarity=polarity,
            historical=c.historical,
            family=c.family,
            plan=plan,
            conditional=conditional,
            position=start,
            **kw,  # type: ignore[arg-type]
        )

    def _reduced_when(self, start: int, sentence_start: int) -> bool:
        """A finding right after "when" inside its sentence ("playful *when afebrile*",
        "wheezy whenever sick"): a reduced clause that says when another holds, no
        claim of the finding (a "when" with a subject, "when you have pain", is left to
        the other readings)."""
        return start - 1 > sentence_start and self.tokens[start - 1] in _REDUCED_WHEN

    def _laterality(self, start: int, n: int = 1) -> str:
        """Side before the mention ("left knee"), else after it ("on the right side")."""
        toks = self.tokens
        # "the left side of my back", "the right side of the neck"
        of = start - 2 if start >= 2 and toks[start - 1] in _POSSESSIVE else start - 1
        if of >= 2 and toks[of] == "of" and toks[of - 1] == "side" and toks[of - 2] in _LATERALITY:
            return _LATERALITY[toks[of - 2]]
        for j in range(start - 1, max(-1, start - 4), -1):
            if toks[j] in _BREAK:
                break
            side, dash, rest = toks[j].partition("-")
            if dash and rest == "sided" and side in _LATERALITY:
                return _LATERALITY[side]  # "right-sided wheezing"
            if toks[j] in _LATERALITY and not (
                toks[j] == "right"
                and (
                    (j > 0 and toks[j - 1] in {"all", "that's", "alright"})
                    or toks[j + 1] in _RIGHT_ADVERB  # "it stays right at the shoulder"
                )
            ):
                return _LATERALITY[toks[j]]
        after = start + n
        if toks[after : after + 3] == [",", "on", "the"] and after + 3 < len(toks):
            side = toks[after + 3]  # "my upper back, on the left."
            end = toks[after + 4] if after + 4 < len(toks) else "."
            if side in {"left", "right"} and end in _SENTENCE_END | {","}:
                return side
        for j in range(start + n, min(len(toks) - 1, start + n + 6)):
            if toks[j] in _BREAK:
                break
            if toks[j] in {"left", "right"} and (
                (toks[j - 1] in _POSSESSIVE and toks[j + 1] not in _SITE_MODIFIERS)
                or self._side_phrase(j + 1)
            ):
                return "bilateral" if self._other_side_after(j) else toks[j]
        return self._sided_predicate(start + n)

    def _sided_predicate(self, j: int) -> str:
        """A side said of the mention at the end of its sentence's predicate ("Headaches
        are throbbing and *left-sided*.", "the pain is right-sided"): a "-sided" word
        before the sentence ends, not one that qualifies a noun after it ("headache and
        right-sided weakness")."""
        toks = self.tokens
        for k in range(j, min(len(toks), j + _SIDE_REACH)):
            if toks[k] in _SENTENCE_END:
                return ""
            side, dash, rest = toks[k].partition("-")
            if dash and rest == "sided" and side in _LATERALITY:
                nxt = toks[k + 1] if k + 1 < len(toks) else "."
                return _LATERALITY[side] if nxt in _SENTENCE_END or nxt == "," else ""
        return ""

    def _other_side_after(self, j: int) -> bool:
        """Whether the sentence gives the other side later in a bare side phrase that
        names no site of its own ("positive on the left ... and negative *on the
        right*."): the mention is given both sides, each with its own finding (not a
        comparison: "the right being worse than the left")."""
        toks = self.tokens
        other = "right" if toks[j] == "left" else "left"
        for k in range(j + 1, min(len(toks), j + _SIDE_REACH)):
            if toks[k] in _SENTENCE_END:
                return False
            if toks[k] == other and toks[k - 2 : k] == ["on", "the"]:
                return k + 1 >= len(toks) or toks[k + 1] in _BREAK
        return False

    def _side_phrase(self, j: int) -> bool:
        """Whether the words from ``j`` end a side phrase: "side", "hand" or "sided",
        after any positional modifiers ("on the right *lower side*")."""
        toks = self.tokens
        while j < len(toks) and toks[j] in _SITE_MODIFIERS:
            j += 1
        return j < len(toks) and toks[j] in {"side", "hand", "sided"}

    def _nearest_anatomy(self, start: int, n: int) -> tuple[str, str]:
        """The closest body site in the sentence, preferring one with a side."""
        sent = self.sentence_of(start)
        # Body sites by token start, built once: each call then looks at the few sites
        # within 8 tokens instead of every concept (quadratic on a long utterance).
        sites = self.__dict__.get("_anatomy_sites")
        if sites is None:
            sites = sorted(
                (s, i) for i, (s, _, e) in enumerate(self.concepts) if e.kind == "anatomy"
            )
            self.__dict__["_anatomy_sites"] = sites
        best: tuple[bool, int, str, str] | None = None
        for s, i in sites[bisect_left(sites, (max(sent[0], start - 8), -1)) :]:
            if s >= sent[1] or s > start + 8:
                break
            _, m, e = self.concepts[i]
            lat = self._laterality(s, m)
            cand = (not lat, abs(s - start), e.name, lat)
            if best is None or cand < best:
                best = cand
        return (best[2], best[3]) if best else ("", "")
