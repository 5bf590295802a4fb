"""The fact extractor behind :func:`evident.verify.facts.analyze`.

One pass over a text's tokens: the lexicon's concepts found in it (medications, findings,
anatomy, orders, allergies, vitals, labs) become :class:`~evident.verify.facts.Fact`s
with their ConText polarity, laterality, site, dose and plan context, then every number
with its unit. The word sets it reads are data (``resources/words.json``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from evident.verify._extract_cues import (
    drinks_alcohol,
    negated_before,
    non_prefix,
    none_after,
    partial_denial,
    remedy_for,
    smoking_verb,
)
from evident.verify._extract_numbers import QuantityReader
from evident.verify._normal_exams import normal_exam_facts
from evident.verify._polarity_cues import cues
from evident.verify._weight_change import weight_change_facts
from evident.verify._words import words
from evident.verify.facts import Fact
from evident.verify.lexicon import Entry
from evident.verify.spine_levels import level_facts

__all__ = ["FactExtractor"]

# "her covid-19 vaccine", "colon cancer screening": a finding that names no claim
_NOT_A_CLAIM = words("not_a_claim")
# "no asthma attacks", "no COPD exacerbations": the attacks are denied, not the disease
_EPISODES = words("episodes")

# "known drug allergies": allergies to something, not hay fever
_ALLERGY_KINDS = words("allergy_kinds")
# "no allergies", "any allergies", "history of allergies" (denied): no known allergies
_NO_ALLERGY_BEFORE = words("no_allergy_before")

_FIELD_END = words("field_end")
_LIST_GAP = words("list_gap")


class FactExtractor(QuantityReader):
    """Every fact of one tokenized text (``run``)."""

    def run(self) -> tuple[Fact, ...]:
        allergy_cues = [s for s, _, e in self.concepts if e.kind == "allergy_cue"]
        for start, n, entry in self.concepts:
            handler = getattr(self, f"_on_{entry.kind}", None)
            if handler is not None:
                handler(start, n, entry, allergy_cues)
        self.facts.extend(normal_exam_facts(self))
        levels, at = level_facts(self.tokens)  # "l four five": a level, no numbers
        self.facts.extend(levels)
        self.covered = self.covered | at
        self._quantities()
        self.facts.extend(weight_change_facts(self))  # reads the weights just found
        labels = self._field_labels(self.facts)
        return tuple(f for i, f in enumerate(self.facts) if i not in labels)

    def _field_labels(self, facts: list[Fact]) -> set[int]:
        """A field's label that its answer names again ("Smoking: never smoked.") is no
        claim of its own: the answer says whether it is there. A diagnosis heading is a
        claim ("Hypertension: blood pressure not elevated today" still has it)."""
        labels: set[int] = set()
        for i, f in enumerate(facts):
            end = f.position + len(f.text.split())
            if (
                f.kind != "finding"
                or f.category == "diagnosis"
                or self.tokens[end : end + 1] != [":"]
            ):
                continue
            stop = next(
                (j for j in range(end + 1, len(self.tokens)) if self.tokens[j] in _FIELD_END),
                len(self.tokens),
            )
            if any(g.key == f.key and end < g.position < stop for g in facts):
                labels.add(i)
        return labels

    def _on_anatomy(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        lat = self._laterality(start, n)
        self.facts.append(self._base(start, n, entry, laterality=lat))

    def _on_finding(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        if self.tokens[start] == "smoke" and n == 1 and not smoking_verb(self.tokens, start):
            return  # "the smoke of the fires", "triggers such as smoke": no smoking
        if n == 1 and entry.name == "alcohol use" and not drinks_alcohol(self.tokens, start):
            return  # "drinking plenty of water", "a drink of juice"
        site, lat = entry.extra2, self._laterality(start, n)
        if not site or not lat:
            near_site, near_lat = self._nearest_anatomy(start, n)
            site = site or near_site
            lat = lat or (near_lat if near_site == site else "")
        # "right knee joint pain" is knee pain; "joint pain" alone stays joint pain
        named_site = entry.name == "joint pain" and site and site in self.tokens[start - 3 : start]
        key = f"pain@{site}" if entry.name == "pain" or entry.extra2 or named_site else entry.name
        fact = self._base(start, n, entry, site=site, laterality=lat, category=entry.extra)
        fact = self._finding_polarity(fact, start, n, entry, key)
        if n == 1 and self.tokens[start] in {"allergies", "allergy"}:
            allergy = self._allergy_words(fact, start)
            if allergy is not None:
                self.facts.append(allergy)
                return
        self.facts.append(replace(fact, key=key))
        if entry.name == "pain" and site:
            # "knee, ankle, or foot pain", "pain in the knees, ankles or feet": each site
            for other, other_lat in self._listed_sites(start, n, site):
                self.facts.append(
                    replace(fact, key=f"pain@{other}", site=other, laterality=other_lat)
                )

    def _finding_polarity(self, fact: Fact, start: int, n: int, entry: Entry, key: str) -> Fact:
        """The polarity the words around a finding give it beyond ConText's."""
        nxt = self.tokens[start + n : start + n + 1]
        if non_prefix(self.tokens, start, key) and negated_before(self.tokens, start):
            return replace(fact, polarity="affirmed")  # "not a nonsmoker": two denials
        if none_after(self.tokens, start + n) or non_prefix(self.tokens, start, key):
            # "afebrile"; but "playful when afebrile" is a circumstance, no claim
            return replace(fact, polarity="uncertain" if fact.conditional else "negated")
        if fact.polarity == "negated" and partial_denial(self.tokens, start, start + n):
            return replace(fact, polarity="uncertain")  # "not every time", "not much"
        if (
            fact.polarity in {"affirmed", "negated"}
            and nxt
            and (
                nxt[0] in _NOT_A_CLAIM
                or (
                    fact.polarity == "affirmed"
                    and entry.extra == "diagnosis"
                    and nxt[0] in {"like", "-like"}
                )
            )
        ):
            # "her covid-19 vaccine", "colon cancer screening", "flu like symptoms", "did
            # not take my pain medication": the finding names a remedy or a service, no
            # claim that she has it or has not
            return replace(fact, polarity="uncertain")
        if fact.polarity == "affirmed" and self._test_without_result(start + n):
            return replace(fact, polarity="uncertain")  # "a pregnancy test to be safe"
        if fact.polarity == "negated" and (
            remedy_for(self.tokens, start)
            or (entry.extra == "diagnosis" and nxt and nxt[0] in _EPISODES)
        ):
            # "I don't need anything for the cough": the remedy is denied, the cough is
            # there; "no asthma attacks": the attacks are denied, the asthma is there
            return replace(fact, polarity="affirmed")
        return fact

    def _allergy_words(self, fact: Fact, start: int) -> Fact | None:
        """ "He has no allergies.", "no allergies here": no known allergies, not a denial
        of hay fever; "known drug allergies" are allergies to something."""
        before = self.tokens[start - 1] if start else ""
        if fact.polarity == "negated" and before in _NO_ALLERGY_BEFORE:
            return replace(fact, kind="allergy", key="none")
        if fact.polarity == "affirmed" and before in _ALLERGY_KINDS:
            return replace(fact, kind="allergy", key="any")
        return None

    def _listed_sites(self, start: int, n: int, site: str) -> list[tuple[str, str]]:
        """The other body sites of a list that holds ``site`` next to the pain mention."""
        sent = self.sentence_of(start)
        if sent[:2] not in self._sentence_anatomy:  # once per sentence, not per mention
            every = self.__dict__.get("_anatomy_named")
            if every is None:  # every body site sorted once; each sentence takes its slice
                every = sorted((s, m, e.name) for s, m, e in self.concepts if e.kind == "anatomy")
                self.__dict__["_anatomy_named"] = every
            anatomy = every[bisect_left(every, (sent[0],)) : bisect_left(every, (sent[1],))]
            self._sentence_anatomy[sent[:2]] = (
                anatomy,
                {s + m: i for i, (s, m, _) in enumerate(anatomy)},
                {s: i for i, (s, _, _) in enumerate(anatomy)},
            )
        anatomy, ends, starts = self._sentence_anatomy[sent[:2]]
        toks = self.tokens

        def gap(a: int, b: int) -> bool:  # only list words between token a and token b
            return all(toks[j] in _LIST_GAP for j in range(a, b))

        # the list ends just before the pain ("foot pain") or starts just after ("pain in")
        first = next((ends[e] for e in range(start, start - 3, -1) if e in ends), None)
        if first is None:
            j = start + n
            while j < sent[1] and j - (start + n) < 4 and j not in starts:
                j += 1
            if j not in starts or not all(
                t in _LIST_GAP or t in {"in", "of", "on"} for t in toks[start + n : j]
            ):
                return []
            first = starts[j]
        members = {first}
        for step in (-1, 1):
            i = first
            while 0 <= i + step < len(anatomy):
                a, b = sorted((i, i + step))
                if not gap(anatomy[a][0] + anatomy[a][1], anatomy[b][0]):
                    break
                i += step
                members.add(i)
        if len(members) < 2:
            return []
        out: list[tuple[str, str]] = []
        for i in sorted(members):
            s, m, name = anatomy[i]
            if name != site and name not in {o for o, _ in out}:
                out.append((name, self._laterality(s, m)))
        return out

    def _on_order(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        if entry.extra == "follow_up" and self._test_after(start + n):
            return  # "recheck TSH in 6 weeks": the test is repeated, no visit planned
        site, lat = self._nearest_anatomy(start, n)
        self.facts.append(
            self._base(start, n, entry, category=entry.extra, site=site, laterality=lat)
        )

    def _test_without_result(self, j: int) -> bool:
        """Whether a test of the finding is named at ``j`` with no result said in its
        sentence ("I'm sending you for a pregnancy test": no claim of pregnancy; "the
        covid test came back positive" and "positive covid swab" are one)."""
        if self.tokens[j : j + 1] not in (["test"], ["tests"], ["testing"], ["swab"]):
            return False
        start, end, _ = self.sentence_of(j)
        c = cues()
        results = {*c.absence_words, *c.presence_words, "showed", "shows", "came"}
        return not any(t in results for t in self.tokens[start:end])

    def _test_after(self, j: int) -> bool:
        """Whether a lab, a vital or a test is named at ``j`` (after "the" or "your")."""
        if self.tokens[j : j + 1] in (["the"], ["your"], ["his"], ["her"]):
            j += 1
        return any(
            s == j
            and (
                e.kind in {"lab", "vital"}
                or (e.kind == "order" and e.extra in {"test", "lab", "imaging"})
            )
            for s, _, e in self.concepts
        )

    def _on_medication_none(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        """ "No current medications", "takes no medications": no drug at all."""
        fact = self._base(start, n, entry)
        self.facts.append(replace(fact, kind="medication", key="none", polarity="negated"))

    def _on_history_none(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        """ "No significant family history", "no previous surgeries", "I'm healthy": an
        unremarkable history, keyed ``family``, ``medical`` or ``surgical`` (not "no family
        history of colon cancer": that denies one disease)."""
        after = tuple(self.tokens[start + n : start + n + 4])
        if after[:1] in {("of",), ("for",)}:
            return
        which = entry.name
        if after[:1] == ("in",) and "family" in after:
            which = "family"  # "no medical problems in the family"
        fact = replace(self._base(start, n, entry), kind="history", key=which)
        if fact.polarity != "affirmed":
            return  # asked, hedged or itself denied ("I wouldn't say I'm healthy")
        self.facts.append(replace(fact, family=which == "family", polarity="negated"))

    def _on_allergy_none(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        fact = self._base(start, n, entry)
        self.facts.append(replace(fact, kind="allergy", polarity="negated"))

    def _on_medication(self, start: int, n: int, entry: Entry, cues: list[int]) -> None:
        sent = self.sentence_of(start)
        if (
            self._any_start("allergy_cue", max(start - 5, sent[0]), min(start + 6, sent[1]))
            is not None
        ):
            fact = self._base(start, n, entry, category="allergen")
            self.facts.append(replace(fact, kind="allergy"))
            return
        dose, unit, base = self._dose(start, n, sent)
        freq, route = self._dosing_after(start + n, sent)
        fact = self._base(
            start, n, entry, value=dose, unit=unit, base=base, frequency=freq, route=route
        )
        self.facts.append(replace(fact, category=entry.extra))
