"""Phrase indexes built from the resources: greedy longest-match lookup over tokens."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from evident.verify._resources import load_lexicons
from evident.verify._words import words
from evident.verify.drug_classes import CLASS_PREFIX
from evident.verify.normalize import tokenize

__all__ = ["Entry", "PhraseIndex", "concept_index", "context_index", "dosing_index"]


_PREPOSITIONS = frozenset({"in", "of", "on", "with", "to"})
_DETERMINERS = ("the", "your", "my", "his", "her", "their", "a")
_MEMO_SIZE = 100_000  # words whose prefix reading is remembered, per index


@dataclass(frozen=True)
class Entry:
    """What a phrase means: its kind (``medication``, ``finding``, ...), canonical name
    and an extra attribute (drug class, finding category, site, trigger direction)."""

    kind: str
    name: str
    extra: str = ""
    extra2: str = ""


class PhraseIndex:
    """Maps token sequences to entries; ``match`` finds the longest phrase at a position."""

    def __init__(self, negating_prefixes: tuple[str, ...] = ()) -> None:
        self._map: dict[tuple[str, ...], Entry] = {}
        self._longest: dict[str, int] = {}  # first token -> its longest phrase's length
        self._prefixes = tuple(sorted(negating_prefixes, key=len, reverse=True))
        self._unprefixed_memo: dict[str, str | None] = {}

    def add(self, phrase: str, entry: Entry, variants: bool = False) -> None:
        """Register ``phrase`` (normalised like source text); the first registration wins.

        With ``variants``, "blood in stool" also matches "blood in your/the/my stool".
        """
        key = tuple(tokenize(phrase.lower()))
        if not key:
            return
        self._unprefixed_memo.clear()  # a new phrase may be what a word's prefix hides
        keys = [key]
        last = key[-1]
        if variants and not last.endswith("s") and last.isalpha():
            keys.append((*key[:-1], last + "s"))  # plural: "murmurs", "gallops"
        elif variants and last.endswith("ions"):
            keys.append((*key[:-1], last[:-1]))  # singular: "no palpitation", "contusion"
        if variants and len(key) >= 3:
            for i, tok in enumerate(key[1:-1], 1):
                if tok in _PREPOSITIONS and key[i + 1] not in _DETERMINERS:
                    keys.extend((*key[: i + 1], d, *key[i + 1 :]) for d in _DETERMINERS)
        for k in keys:
            if k not in self._map:
                self._map[k] = entry
                self._longest[k[0]] = max(self._longest.get(k[0], 0), len(k))

    def forget(self) -> None:
        """Forget the words whose prefix reading was remembered (to measure a cold start)."""
        self._unprefixed_memo.clear()

    def match(self, tokens: list[str], i: int) -> tuple[Entry, int] | None:
        """The longest phrase starting at token ``i``, with its length, or None; a word
        that is a finding behind a negating prefix ("afebrile", "non-tender") matches
        that finding (:meth:`prefix_negated` tells the extractor it is denied)."""
        for n in range(min(self._longest.get(tokens[i], 0), len(tokens) - i), 0, -1):
            entry = self._map.get(tuple(tokens[i : i + n]))
            if entry is not None:
                return entry, n
        rest = self._unprefixed(tokens[i]) if self._prefixes else None
        return (self._map[(rest,)], 1) if rest is not None else None

    def _unprefixed(self, token: str) -> str | None:
        """The finding word behind a negating prefix of ``token``, or None (remembered per
        word: nearly every word of a text is looked up here)."""
        if token in self._unprefixed_memo:
            return self._unprefixed_memo[token]
        if len(self._unprefixed_memo) > _MEMO_SIZE:
            self._unprefixed_memo.clear()
        got = self._unprefixed_memo[token] = self._read_unprefixed(token)
        return got

    def _read_unprefixed(self, token: str) -> str | None:
        for prefix in self._prefixes:
            rest = token[len(prefix) :]
            if token.startswith(prefix) and len(rest) >= 4 and rest.isalpha():
                entry = self._map.get((rest,))
                if entry is not None and entry.kind == "finding":
                    return rest
        return None

    def prefix_negated(self, token: str) -> bool:
        """Whether ``token`` is no phrase itself but a finding behind a negating prefix:
        "afebrile" (febrile), "non-tender" (tender), "nontender"; not "apnea", a finding
        in its own right, nor "atypical" ("typical" is no finding)."""
        return (token,) not in self._map and self._unprefixed(token) is not None

    def scan(self, tokens: list[str], overlapping: bool = False) -> list[tuple[int, int, Entry]]:
        """Longest matches as ``(start, length, entry)``; non-overlapping by default.

        With ``overlapping`` every position is tried ("is negative for" yields both the
        backward trigger "is negative" and the forward trigger "negative for").
        """
        out: list[tuple[int, int, Entry]] = []
        i = 0
        while i < len(tokens):
            m = self.match(tokens, i)
            if m is None:
                i += 1
                continue
            out.append((i, m[1], m[0]))
            i += 1 if overlapping else m[1]
        return out

    def __len__(self) -> int:
        return len(self._map)


@cache
def concept_index() -> PhraseIndex:
    """Medications, labs, vitals, findings, orders and anatomy in one index.

    Labs and vitals come first so that "hemoglobin a1c" is a lab, not a finding; longer
    phrases always beat shorter ones at the same position.
    """
    lex = load_lexicons()
    idx = PhraseIndex(tuple(words("negating_prefixes")))
    for lab in lex.measurements.labs:
        for a in (lab.name, *lab.aliases):
            idx.add(a, Entry("lab", lab.name))
    for vit in lex.measurements.vitals:
        for a in (vit.name, *vit.aliases):
            idx.add(a, Entry("vital", vit.name))
    for a in lex.measurements.blood_pressure.aliases:
        idx.add(a, Entry("vital", "blood pressure"))
    for med in lex.medications:
        for a in (med.name, *med.aliases):
            idx.add(a, Entry("medication", med.name, med.class_))
    for dc in lex.drug_classes:  # "antibiotics": any drug of the class bears it out
        for a in dc.aliases:
            idx.add(a, Entry("medication", CLASS_PREFIX + dc.name, dc.name))
    for f in lex.findings:
        for a in (f.name, *f.aliases):
            idx.add(a, Entry("finding", f.name, f.category, f.site or ""), variants=True)
    for o in lex.orders:
        for a in (o.name, *o.aliases):
            idx.add(a, Entry("order", o.name, o.category), variants=True)
    for an in lex.anatomy:
        for a in (an.name, *an.aliases):
            idx.add(a, Entry("anatomy", an.name), variants=True)
    for a in ("allergic", "allergy", "allergies", "allergic reaction"):
        idx.add(a, Entry("allergy_cue", "allergy"))
    for a in (
        "nkda",
        "no known drug allergies",
        "no known allergies",
        "nka",
        "no drug allergies",
        "no medication allergies",
        "no known medical allergies",
        "no known medication allergies",
        "no known drug allergy",
        "no known allergy",
        "not allergic to anything",
    ):
        idx.add(a, Entry("allergy_none", "none"))
    for a in (
        "no medications",
        "no current medications",
        "no regular medications",
        "no daily medications",
        "not on any medications",
        "not taking any medications",
        "takes no medications",
        "no meds",
    ):
        idx.add(a, Entry("medication_none", "none"))
    for which, phrases in lex.phrases.history_none.items():
        for a in phrases:
            idx.add(a, Entry("history_none", which))
    return idx


@cache
def context_index() -> PhraseIndex:
    """ConText triggers (``extra`` = direction) and terminators."""
    rules = load_lexicons().context
    idx = PhraseIndex()
    # a term listed both forward and backward ("years ago") looks both ways
    directions: dict[tuple[str, str], set[str]] = {}
    for trig in rules.triggers:
        for t in trig.terms:
            directions.setdefault((t, trig.category), set()).add(trig.direction)
    for (t, category), ways in directions.items():
        way = "result" if "result" in ways else "both" if len(ways) > 1 else next(iter(ways))
        idx.add(t, Entry("trigger", category, way))
    for t in rules.terminators:
        idx.add(t, Entry("terminator", "terminator"))
    for t in rules.clause_terminators:
        idx.add(t, Entry("terminator", "clause"))
    for t in rules.pseudo_triggers:  # the longest match at a position shadows the trigger
        idx.add(t, Entry("pseudo", "pseudo"))
    return idx


@cache
def dosing_index() -> PhraseIndex:
    """Units, frequencies and routes."""
    q = load_lexicons().quantities
    idx = PhraseIndex()
    for code, f in q.frequencies.items():
        for p in f.phrases:
            idx.add(p, Entry("frequency", code, str(f.per_day)))
    for name, unit in q.units.items():
        for a in (name, *unit.aliases):
            idx.add(a, Entry("unit", name, unit.dimension, str(unit.factor)))
    for route, phrases in q.routes.items():
        for p in phrases:
            idx.add(p, Entry("route", route))
    return idx
