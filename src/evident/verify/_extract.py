"""The fact extractor behind :func:`evident.verify.facts.analyze`.

One pass over a text's tokens: the lexicon's concepts found in it (medications, findings,
anatomy, orders, allergies, vitals, labs) become :class:`~evident.verify.facts.Fact`s
with their ConText polarity, laterality, site, dose and plan context, then every number
with its unit. The word sets it reads are data (``resources/words.json``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from evident.verify._resources import load_lexicons
from evident.verify._words import mapping, phrases, sequences, words
from evident.verify.context import ContextEngine
from evident.verify.facts import (
    _IN_OH,
    _ONE_DIGIT,
    _ORDINAL_ENDS,
    _PRONOUNS,
    Fact,
    _count_nouns,
    _full_year,
    _persons,
    _plan_cues,
    _stopwords,
    _synonyms,
    date_at,
    person_in,
    presupposed,
    stem,
)
from evident.verify.lexicon import Entry, concept_index, dosing_index
from evident.verify.normalize import parse_number

__all__ = ["FactExtractor"]

# "right" as an adverb: "right at the shoulder", "right in the middle of the back"
_RIGHT_ADVERB = words("right_adverb")
_LATERALITY = mapping("laterality")
_POSSESSIVE = words("possessive")
# "back again on his right lower abdomen": the side is the abdomen's
_FIELD_END = words("field_end")
_SITE_MODIFIERS = words("site_modifiers")
_BREAK = words("break")
_LIST_GAP = words("list_gap")


# "smoke" is the habit only as a verb: "do you smoke", "she does not smoke"
_SMOKE_SUBJECT = words("smoke_subject")


def _smoking_verb(tokens: Sequence[str], start: int) -> bool:
    """ "do you smoke", "drink, smoke, or use drugs", "Smoke or drink?"."""
    return start == 0 or tokens[start - 1] in _SMOKE_SUBJECT


_DRINK = words("drink")
_NOT_ALCOHOL = words("not_alcohol")


_EATING = words("eating")
_INTAKE = words("intake")


def _drinks_alcohol(tokens: Sequence[str], start: int) -> bool:
    """ "do you drink?", "I drink a little", "drinks socially" speak of alcohol; "drinking
    plenty of water" and "drinks through a straw" do not. A bare "drink" or "drank" must be a
    verb ("the drink" is no habit)."""
    tok = tokens[start]
    if tok not in _DRINK:
        return True
    lo = start
    while lo > 0 and start - lo < 8 and tokens[lo - 1] not in {".", "?", "!", ";"}:
        lo -= 1
    if _NOT_ALCOHOL.intersection(tokens[lo : start + 5]):
        return False  # "she is not a big milk drinker, but she does try to drink some"
    if (start >= 2 and tokens[start - 1] == "and" and tokens[start - 2] in _EATING) or (
        tokens[start + 1 : start + 2] and tokens[start + 1] in _INTAKE
    ):
        return False  # "he is eating and drinking well": intake, not alcohol
    return (
        tok in {"drinking", "drinker", "drinkers"}
        or _smoking_verb(tokens, start)
        or tokens[start - 1] in {"a", "social"}
    )


_REMEDY = words("remedy")
# "no asthma attacks", "no COPD exacerbations": the attacks are denied, not the disease
_EPISODES = words("episodes")
_DETERMINER = words("determiner")


def _remedy_for(tokens: Sequence[str], start: int) -> bool:
    """The finding is what a remedy is for: "anything for the cough", "no medication for
    pain"."""
    j = start - 1
    if j >= 0 and tokens[j] in _DETERMINER:
        j -= 1
    return j >= 1 and tokens[j] == "for" and bool(_REMEDY.intersection(tokens[max(0, j - 3) : j]))


_NOT_A_CLAIM = words("not_a_claim")
_NONE = words("none")


def _none_after(tokens: Sequence[str], end: int) -> bool:
    """A templated "Back pain: None." or "Alcohol use, denies." (the answer closes its
    field: "Cough: no, fever: yes" negates only the cough; "Musculoskeletal: denies joint
    pain" is no answer)."""
    return (
        end + 1 < len(tokens)
        and tokens[end] in {":", ","}
        and (tokens[end + 1] in _NONE or tokens[end + 1].startswith("non-"))
        and (end + 2 == len(tokens) or tokens[end + 2] in {".", ",", ";"})
    )


def _non(tokens: Sequence[str], start: int, key: str) -> bool:
    """ "non-smoker", "nontender", "a non-cigarette smoker": the prefix denies the
    finding (not "non-healing ulcer", "non-cardiac chest pain": there it qualifies another
    word, except for a habit's "non-cigarette smoker"; nor where the finding is itself a
    "non" word: "non-compliant" is noncompliance)."""
    if key.startswith("non"):
        return False
    if tokens[start].startswith("non-") or tokens[start] in _NON_WORDS:
        return True
    return key in _HABITS and start > 0 and tokens[start - 1].startswith("non-")


_HABITS = words("habits")
_NON_WORDS = words("non_words")


def _scale_anchor(tokens: Sequence[str], j: int) -> bool:
    """An end of a rating scale, not a value: "0 being none", "10 being the worst", "on a
    scale of 1 to 10", "a 1 to 10 scale"."""
    tok = tokens[j]
    if tok not in {"0", "1", "10"}:
        return False
    if tokens[j + 1 : j + 2] == ["being"]:
        return True
    if tok == "10" and j >= 2 and tokens[j - 1] == "to" and tokens[j - 2] in {"0", "1"}:
        lo = j - 2
    elif tok in {"0", "1"} and tokens[j + 1 : j + 3] == ["to", "10"]:
        lo = j
    else:
        return False
    return "scale" in tokens[max(0, lo - 3) : lo] or tokens[lo + 3 : lo + 4] == ["scale"]


_STRENGTH_AFTER = words("strength_after")

# a value the patient should stay under or above, not a measurement
_GOAL = words("goal")

# "i'm 47", "you're forty one, correct?", "he is just one year."
_AGE_SAID_ONE = phrases("age_said_one")
_AGE_SAID_TWO = phrases("age_said_two")
_AGE_AFTER = words("age_after")
# "in her 70s", "in his early eighties": a decade of life
_DECADE_BEFORE = words("decade_before")


_ONE_OF = words("one_of")


# "known drug allergies": allergies to something, not hay fever
_ALLERGY_KINDS = words("allergy_kinds")
# "no allergies", "any allergies", "history of allergies" (denied): no known allergies
_NO_ALLERGY_BEFORE = words("no_allergy_before")


_DRUG_TOKENS = words("drug_tokens")
_AND_ALCOHOL = sequences("and_alcohol")


def _with_coordinated_drugs(
    tokens: list[str], concepts: list[tuple[int, int, Entry]]
) -> list[tuple[int, int, Entry]]:
    """ "any drug or alcohol abuse", "drugs or alcohol": the drugs are substance use too,
    though the phrase that names it ("drug abuse") is split by the alcohol."""
    if _DRUG_TOKENS.isdisjoint(tokens):
        return concepts
    covered = {i for s, n, _ in concepts for i in range(s, s + n)}
    hits = [
        j
        for j, tok in enumerate(tokens)
        if tok in _DRUG_TOKENS and j not in covered and tokens[j + 1 : j + 3] in _AND_ALCOHOL
    ]
    if not hits:
        return concepts
    m = concept_index().match(["drug", "use"], 0)
    if m is None:
        return concepts
    return sorted([*concepts, *((j, 1, m[0]) for j in hits)], key=lambda c: c[0])


class FactExtractor:
    def __init__(self, tokens: list[str], sentences: tuple[tuple[int, int, bool], ...]):
        self.tokens = tokens
        self.sentences = sentences
        self._sentence_starts = [s[0] for s in sentences]
        self.concepts = _with_coordinated_drugs(tokens, concept_index().scan(tokens))
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

    def run(self) -> tuple[Fact, ...]:
        allergy_cues = [s for s, _, e in self.concepts if e.kind == "allergy_cue"]
        for start, n, entry in self.concepts:
            handler = getattr(self, f"_on_{entry.kind}", None)
            if handler is not None:
                handler(start, n, entry, allergy_cues)
        self._quantities()
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

    def _base(self, start: int, n: int, entry: Entry, **kw: object) -> Fact:
        sent = self.sentence_of(start)
        c = self.ctx.context(start, start + n)
        polarity = "negated" if c.negated else "uncertain" if c.uncertain else "affirmed"
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
            position=start,
            **kw,  # type: ignore[arg-type]
        )

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
            if toks[j] in _LATERALITY and not (
                toks[j] == "right"
                and (
                    (j > 0 and toks[j - 1] in {"all", "that's", "alright"})
                    or toks[j + 1] in _RIGHT_ADVERB  # "it stays right at the shoulder"
                )
            ):
                return _LATERALITY[toks[j]]
        for j in range(start + n, min(len(toks) - 1, start + n + 6)):
            if toks[j] in _BREAK:
                break
            if toks[j] in {"left", "right"} and (
                (toks[j - 1] in _POSSESSIVE and toks[j + 1] not in _SITE_MODIFIERS)
                or toks[j + 1] in {"side", "hand", "sided"}
            ):
                return toks[j]
        return ""

    def _nearest_anatomy(self, start: int, n: int) -> tuple[str, str]:
        """The closest body site in the sentence, preferring one with a side."""
        from bisect import bisect_left

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

    def _on_anatomy(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        lat = self._laterality(start, n)
        self.facts.append(self._base(start, n, entry, laterality=lat))

    def _on_finding(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        if self.tokens[start] == "smoke" and n == 1 and not _smoking_verb(self.tokens, start):
            return  # "the smoke of the fires", "triggers such as smoke": no smoking
        if n == 1 and entry.name == "alcohol use" and not _drinks_alcohol(self.tokens, start):
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
        if _none_after(self.tokens, start + n) or _non(self.tokens, start, key):
            fact = replace(fact, polarity="negated")
        elif (
            fact.polarity == "affirmed"
            and self.tokens[start + n : start + n + 1]
            and (
                self.tokens[start + n] in _NOT_A_CLAIM
                or (entry.extra == "diagnosis" and self.tokens[start + n] in {"like", "-like"})
            )
        ):
            # "her covid-19 vaccine", "colon cancer screening", "flu like symptoms": no
            # claim that she has it
            fact = replace(fact, polarity="uncertain")
        elif fact.polarity == "negated" and (
            _remedy_for(self.tokens, start)
            or (
                entry.extra == "diagnosis"
                and self.tokens[start + n : start + n + 1]
                and self.tokens[start + n] in _EPISODES
            )
        ):
            # "I don't need anything for the cough": the remedy is denied, the cough is
            # there; "no asthma attacks": the attacks are denied, the asthma is there
            fact = replace(fact, polarity="affirmed")
        if n == 1 and self.tokens[start] in {"allergies", "allergy"}:
            # "He has no allergies.", "no allergies here": no known allergies, not a denial
            # of hay fever; "known drug allergies" are allergies to something
            before = self.tokens[start - 1] if start else ""
            if fact.polarity == "negated" and before in _NO_ALLERGY_BEFORE:
                self.facts.append(replace(fact, kind="allergy", key="none"))
                return
            if fact.polarity == "affirmed" and before in _ALLERGY_KINDS:
                self.facts.append(replace(fact, kind="allergy", key="any"))
                return
        self.facts.append(replace(fact, key=key))
        if entry.name == "pain" and site:
            # "knee, ankle, or foot pain", "pain in the knees, ankles or feet": each site
            for other, other_lat in self._listed_sites(start, n, site):
                self.facts.append(
                    replace(fact, key=f"pain@{other}", site=other, laterality=other_lat)
                )

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
        site, lat = self._nearest_anatomy(start, n)
        self.facts.append(
            self._base(start, n, entry, category=entry.extra, site=site, laterality=lat)
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

    def _dose(self, start: int, n: int, sent: tuple[int, int, bool]) -> tuple:
        """Dose after the drug name (up to the next drug), else just before it."""
        stop = min(sent[1], start + n + 8)
        nxt = self._any_start("medication", start + n, stop)
        stop = stop if nxt is None else nxt
        after = None
        for j in range(start + n, stop):
            found = self._quantity_at(j)
            if found and not found[1] and self.tokens[j + 1 : j + 2] in (["times"], ["time"]):
                continue  # "up to 3 times a day" is a frequency
            if (
                found
                and not found[1]
                and found[0] <= 4
                and self.tokens[j + 1 : j + 2] in (["a"], ["per"], ["each"])
                and (hit := self.dosing.get(j + 1))
                and hit[1].kind == "frequency"
            ):
                continue  # "doxycycline only one a day": a count per day, not the dose
            if found and found[1] in {"", "mass", "volume", "units"}:
                after = found
                break
        if after and after[1]:
            return after[0], after[2], after[3]
        of = self.tokens[start - 1 : start] == ["of"]
        if of and (spoken := self._spoken_dose(start - 2, sent)):  # "you're on 500 of metformin"
            return spoken
        # "400 mg of ibuprofen": a measured dose just before beats a count after
        for j in range(max(sent[0], start - 4), start):
            found = self._quantity_at(j)
            if found and found[1] in {"mass", "volume", "units"}:
                return found[0], found[2], found[3]
        if not after and not of and (spoken := self._spoken_dose(start - 1, sent)):
            return spoken  # "that 2.5 norvasc"
        return (after[0], after[2], after[3]) if after else (None, "", None)

    def _spoken_dose(self, j: int, sent: tuple[int, int, bool]) -> tuple | None:
        """A dose said without a unit just before the drug, as ``_dose`` returns it; a
        small whole number there counts tablets ("take 2 tylenol") and is no dose."""
        found = self._quantity_at(j) if j >= sent[0] else None
        if found and not found[1] and (found[0] >= 10 or found[0] != int(found[0])):
            return found[0], found[2], found[3]
        return None

    def _quantity_at(self, j: int) -> tuple[float, str, str, float] | None:
        value = parse_number(self.tokens[j])
        if value is None:
            return None
        if self.tokens[j].endswith("%"):
            return value, "percent", "%", value
        unit = self.dosing.get(j + 1)
        toks = self.tokens
        # a range shares its unit: "5 or 6 months", "2 to 3 weeks", "1-2 days"; so do the
        # sides of a size, "1 by 2 cm", "3 x 4 mm"
        if not (unit and unit[1].kind == "unit") and j + 2 < len(toks):
            ranged = toks[j + 1] in {"to", "or", "-", "by", "x"} or (
                toks[j + 1] == "and" and toks[j - 1 : j] == ["between"]
            )
            if ranged and parse_number(toks[j + 2]) is not None:
                unit = self.dosing.get(j + 3)  # also "between 20 and 25 mg"
            elif (
                (nxt := parse_number(toks[j + 1])) is not None
                and "/" not in toks[j + 1]
                and value < nxt
                and "." not in toks[j]
            ):
                unit = self.dosing.get(j + 2)  # "5 6 months"; not "4.0 1 week ago"
        if self._said_age(j, value):
            return value, "age", "age", value
        said = self._age_phrase(j, value)
        if said:
            return value, "age", said, value
        if unit and unit[1].kind == "unit":
            e = unit[1]
            return value, e.extra, e.name, value * float(e.extra2)
        return value, "", "", value

    def _said_age(self, j: int, value: float) -> bool:
        """An age said the way people say it: "i'm forty seven", "you're 41, correct?",
        "he is just one year", "she turned fifty", "i am forty two so i thought", "i am
        fifty after all", "i just turned fifty seven this year"."""
        if not 0 < value <= 120:
            return False
        toks = self.tokens
        k = j - 1
        while k >= 0 and toks[k] in {"just", "only", "now", "almost", "nearly"}:
            k -= 1
        before = tuple(toks[max(0, k - 1) : k + 1])
        said = (
            before[-1:] in _AGE_SAID_ONE
            or before in _AGE_SAID_TWO
            or (before[-1:] == ("turned",) and k == j - 1)
        )
        if not said:
            return False
        after = toks[j + 1] if j + 1 < len(toks) else "."
        then = toks[j + 2] if j + 2 < len(toks) else "."
        if after in _AGE_AFTER or after == "so" or (after, then) == ("after", "all"):
            return True  # "i am fifty after all"
        if before[-1:] == ("turned",) and after in {"this", "last", "in", "on"}:
            return True  # "i just turned fifty seven this year"
        return after in {"year", "years"} and then in _AGE_AFTER

    def _age_phrase(self, j: int, value: float) -> str:
        """An age written or said of anyone: "at age 60", "at the age of 8", "45 years of
        age", "when he was sixty", "my mother was sixty seven", "died ... at seventy
        three" ("aged"); or a decade of life, "in her 70s", "in his eighties" ("decade")."""
        if not 0 < value <= 120 or "." in self.tokens[j]:
            return ""
        toks = self.tokens
        before = toks[max(0, j - 2) : j]
        after = toks[j + 1 : j + 4]
        if after[:1] == ["s"] and value % 10 == 0 and before[-1:] and before[-1] in _DECADE_BEFORE:
            return "decade"  # "in her 70s", "in his early 80's"
        if before[-1:] in (["age"], ["aged"], ["ages"]) or before == ["age", "of"]:
            return "aged"
        if after == ["years", "of", "age"]:
            return "age"  # "at 7 years of age": the patient, as "7-year-old" is
        if after[:2] == ["th", "birthday"]:
            return "aged"  # "she just had her eighty ninth birthday"
        if (
            before[-1:] == ["my"]
            and value >= 10
            and after[:1] == ["years"]
            and after[1:2] not in (["of"], ["in"], ["at"], ["as"], ["with"], ["ago"])
        ):
            return "age"  # "never had this pain in my forty one years"
        nxt = after[0] if after else "."
        if nxt not in _AGE_AFTER and nxt not in {"when", "but", "doctor", "years", "year"}:
            return ""
        if nxt in {"years", "year"} and after[1:2] != ["old"]:
            return ""
        if before[-1:] in (["was"], ["were"]) and before[:1] and before[0] in _persons():
            return "aged"  # "when he was sixty", "my mother was sixty seven"
        if before[-1:] == ["at"] and self.dosing.get(j + 1) is None:
            died = toks[max(0, j - 10) : j - 1]
            if any(t in {"died", "passed", "death", "diagnosed"} for t in died):
                return "aged"  # "my mom passed from a heart attack at seventy three"
        return ""

    def _dosing_after(self, j: int, sent: tuple[int, int, bool]) -> tuple[str, str]:
        freq = route = ""
        for k in range(j, min(sent[1], j + 12)):
            hit = self.dosing.get(k)
            if hit is None:
                continue
            e = hit[1]
            if e.kind == "frequency" and not freq:
                freq = e.name
            elif e.kind == "route" and not route:
                route = e.name
        return freq, route

    def _measure_value(self, start: int, n: int, lo: float, hi: float) -> tuple | None:
        sent = self.sentence_of(start)
        for j in range(start + n, min(sent[1], start + n + 6)):
            tok = self.tokens[j]
            if "/" in tok:
                return None
            value = parse_number(tok)
            if value is not None and lo <= value <= hi:
                q = self._quantity_at(j)
                if q is not None and q[1] in {"duration", "age"}:
                    return None  # "no a1c for almost five months": a time, not the value
                before = self.tokens[max(0, j - 8) : j]
                if _GOAL.intersection(before) or ["to", "be"] in (before[-3:-1], before[-2:]):
                    return None  # "we'd like that a1c to be under seven": a goal
                return value, (q[2] if q else "")
        return None

    def _on_vital(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        m = load_lexicons().measurements
        if entry.name == "blood pressure":
            self._bp_after(start, n)
            return
        spec = next(v for v in m.vitals if v.name == entry.name)
        found = self._measure_value(start, n, spec.min, spec.max)
        if found is None:
            return
        value, unit = found
        if spec.name == "weight" and unit == "kg":
            value = round(value * 2.20462, 1)
        abnormal = spec.abnormal(value)
        self.facts.append(
            self._base(start, n, entry, value=value, unit=spec.unit, base=value, abnormal=abnormal)
        )

    def _on_lab(self, start: int, n: int, entry: Entry, _cues: list[int]) -> None:
        spec = next(v for v in load_lexicons().measurements.labs if v.name == entry.name)
        found = self._measure_value(start, n, spec.min, spec.max)
        if found is None:
            return
        value = found[0]
        abnormal = spec.abnormal(value)
        self.facts.append(
            self._base(start, n, entry, value=value, unit=spec.unit, base=value, abnormal=abnormal)
        )

    def _bp_after(self, start: int, n: int) -> None:
        sent = self.sentence_of(start)
        for j in range(start + n, min(sent[1], start + n + 6)):
            if self._bp_token(j, start, n):
                return

    def _bp_token(self, j: int, start: int, n: int) -> bool:
        parts = self.tokens[j].split("/")
        if len(parts) != 2:
            return False
        sys_, dia = parse_number(parts[0]), parse_number(parts[1])
        if sys_ is None or dia is None or not (60 <= sys_ <= 300 and 30 <= dia <= 200):
            return False
        if sys_ <= dia or j in self._vital_positions():
            return False
        bp = load_lexicons().measurements.blood_pressure
        abnormal = not (
            bp.systolic_low <= sys_ <= bp.systolic_high
            and bp.diastolic_low <= dia <= bp.diastolic_high
        )
        entry = Entry("vital", "blood pressure")
        fact = self._base(j, 1, entry, value=sys_, value2=dia, unit="mmhg", abnormal=abnormal)
        self.facts.append(replace(fact, text=" ".join(self.tokens[start : j + 1])))
        return True

    def _quantities(self) -> None:
        """Every number with its unit; a ratio gives one quantity per part, a date one
        quantity (key ``date``, see ``date_at``)."""
        dated: set[int] = set()
        for j, tok in enumerate(self.tokens):
            hit = self.dosing.get(j)
            if hit is not None and hit[1].kind == "frequency" and hit[1].extra:
                # "2 times a day" = "twice a day": the count per day is the number
                per_day = float(hit[1].extra)
                self._add_quantity(j, per_day, "per_day", "/day", tok)
                if tok[0].isdigit() and self.tokens[j + 1 : j + 2] == ["times"]:
                    continue
            if j in dated:
                continue
            date = date_at(self.tokens, j)
            if date is not None:
                value, end = date
                self._add_quantity(j, value, "date", "", " ".join(self.tokens[j:end]))
                dated.update(range(j, end))
                continue
            if tok in _ONE_OF and self._counted_one(j):
                continue
            if tok == "0" and self.tokens[j - 1 : j] in (["times"], ["x"]):
                continue  # "nocturia times 0" denies the finding (see context.json)
            if not tok[0].isdigit() or j in self.covered:
                continue  # a digit inside a concept ("type 2 diabetes") is no quantity
            after = self.tokens[j + 1 : j + 3]
            if (
                tok == "1"
                and after[:1] == ["of"]
                and not (len(after) > 1 and after[1][0].isdigit())
            ):
                # "one of her sisters", "one of fatigue": a member, which bears out a note's
                # "one" but need not be borne out itself
                self._add_quantity(j, 1.0, "count", "", tok)
                continue
            if _scale_anchor(self.tokens, j):
                continue  # "zero being none, ten being the worst", "on a scale of 1 to 10"
            if "/" in tok:
                if not self._drug_strength(j) and self._bp_token(j, j, 0):
                    pass
                for part in tok.split("/"):
                    v = parse_number(part)
                    if v is not None:
                        self._add_quantity(j, v, "ratio", "", tok)
                continue
            if [tok] in _ONE_DIGIT and self.tokens[max(0, j - 2) : j] in _IN_OH:
                self._add_quantity(j, 2000.0 + int(tok), "", "", tok)  # "tied in o one"
                continue
            q = self._quantity_at(j)
            if q is not None and not q[1] and not q[2] and self._two_digit_year(j):
                year = float(_full_year(int(tok)))  # "in ninety six" is "in 1996"
                self._add_quantity(j, year, "", "", tok)
                continue
            if q is not None and not q[1] and self.tokens[j + 1 : j + 2] in _ORDINAL_ENDS:
                # "the 5th MTP joint", "the fifth mtp joint", "in 3rd grade": a place in an
                # order, which bears out the same place but need not be borne out itself
                self._add_quantity(j, q[0], "ordinal", "", tok)
                continue
            if q is not None:
                person = self._person_before(j) if q[1] == "age" else ""
                self._add_quantity(j, q[0], q[1], q[2], tok, q[3], person=person)

    def _two_digit_year(self, j: int) -> bool:
        """Two digits after "in" or "since" and before the sentence's end, a comma or "and"
        ("i had my heart attack in ninety six.", "since 08, ...")."""
        toks = self.tokens
        return (
            len(toks[j]) == 2
            and toks[j].isdigit()
            and toks[j - 1 : j] in (["in"], ["since"])
            and toks[j + 1 : j + 2] in ([], ["."], [","], [";"], ["and"])
        )

    def _counted_one(self, j: int) -> bool:
        """ "I have a daughter", "I smoke about a pack a day", "another sister": a count of
        one ("count"), which bears out a note's "one daughter" or "1 pack". Statements
        do not have to bear it out (see ``check._checkable``)."""
        nouns, toks = _count_nouns(), self.tokens
        for k in (j + 1, j + 2):  # "a daughter", "a younger sister"
            if k < len(toks) and toks[k] in nouns:
                if toks[k + 1 : k + 4] == ["and", "a", "half"]:
                    return False  # "a pack and a half"
                noun = stem(_synonyms().get(toks[k], toks[k]))
                # near: what it counts, and nothing else
                self._add_quantity(k, 1.0, "count", "", f"{toks[j]} {toks[k]}", near={noun})
                return True
        return False

    def _drug_strength(self, j: int) -> bool:
        """ "the 250/50 dose", "advair 250/50": a combination drug's strength, no blood
        pressure."""
        if self.tokens[j + 1 : j + 2] and self.tokens[j + 1] in _STRENGTH_AFTER:
            return True
        return self._any_start("medication", j - 4, j) is not None

    def _add_quantity(
        self,
        j: int,
        value: float,
        dim: str,
        unit: str,
        text: str,
        base: float | None = None,
        person: str = "",
        near: set[str] | None = None,
    ) -> None:
        self.facts.append(
            Fact(
                kind="quantity",
                key=dim,
                text=text,
                value=value,
                unit=unit,
                base=value if base is None else base,
                position=j,
                near=self._near_words(j) if near is None else frozenset(near),
                # a relative's age ("her mother died at the age of 67") is checked near
                # its evidence only: another relative's 67 elsewhere does not bear it out
                family=person not in {"", "self"},
                person=person,
            )
        )

    def _person_before(self, j: int) -> str:
        """Whose age the number at ``j`` is: the relative it describes ("a 3-year-old
        sister"), else the one named before it in its sentence (see ``person_in``: "my
        brothers aged 18 and 16", "my half sister and i have the same mom, and she's
        34"), else ``self`` after "i" ("i'm 40"), else ``""``."""
        toks = self.tokens
        start = self.sentence_of(j)[0]
        if toks[j + 1 : j + 2] and toks[j + 1].endswith("-old"):
            after = person_in(toks[j + 3 : j + 1 : -1])  # the first of the next two
            if after:
                return after
        k = j - 1
        while k > start and toks[k] in {"just", "only", "now", "almost", "nearly", "was", "is"}:
            k -= 1
        return person_in(toks[start:j], speaker=True, pronoun=_PRONOUNS.get(toks[k], ""))

    def _near_words(self, j: int) -> frozenset[str]:
        """Words of the number's own sentence within four tokens ("we have three. we all
        live together": the three counts nothing it is said of)."""
        stop, syn = _stopwords(), _synonyms()
        first, last, _ = self.sentence_of(j)
        lo, hi = max(first, j - 4), min(last, j + 5)
        return frozenset(
            stem(syn.get(t, t))
            for t in self.tokens[lo:hi]
            if t[0].isalpha() and t not in stop and len(t) > 2
        )
