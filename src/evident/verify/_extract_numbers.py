"""Numbers of the fact extractor (:mod:`evident.verify._extract`): doses, vitals, labs,
blood pressures, ages, dates, counts and every other quantity with its unit."""

from __future__ import annotations

from dataclasses import replace

from evident.verify._extract_cues import scale_anchor
from evident.verify._extract_doses import DoseReader
from evident.verify._resources import load_lexicons
from evident.verify._words import mapping, phrases, words
from evident.verify.facts import (
    _IN_OH,
    _ONE_DIGIT,
    _ORDINAL_ENDS,
    _PRONOUNS,
    Fact,
    _count_nouns,
    _full_year,
    _persons,
    _synonyms,
    age_in_years,
    age_unit,
    date_at,
    near_stems,
    person_in,
    stem,
)
from evident.verify.lexicon import Entry
from evident.verify.normalize import parse_number

__all__ = ["QuantityReader"]

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
# "182 pounds, down *from* 188", "three pounds in a day *or* five in a week": a bare
# number after these words is said in the unit of the value it stands beside
_CARRIED_AFTER = words("carried_unit")
# "once", "twice": a count of times ("I fainted twice"), unless a conjunction or an
# idiom ("once the swelling goes down", "at once", "more than once", "once in a while")
_TIMES = {w: float(v) for w, v in mapping("times").items()}
_TIMES_NOT_AFTER = words("times_not_after")
_TIMES_NOT_BEFORE = words("times_not_before")
_CARRY_REACH = 8
_DOSE_REACH = 30  # "metformin 500 mg ..., and we'll add 500 until you're at 1000 twice a day"
_DOSE_DIMENSIONS = frozenset({"mass", "volume", "units"})
_SENTENCE_END = frozenset({".", "?", "!", ";"})
_BOUND_BEFORE = mapping("bound_before")  # "less than 3 seconds": below
_BOUND_AFTER = mapping("bound_after")  # "3 seconds or more": above


def bound_side(tokens: tuple[str, ...] | list[str], j: int) -> str:
    """The side a bound puts the number at ``j`` on: ``above`` ("more than 3 seconds",
    "over 100", "2 or more"), ``below`` ("less than", "up to", "no more than"), else
    ``""``; a longer phrase wins ("no more than" is not "more than")."""
    for n in (3, 2, 1):
        if j >= n and (side := _BOUND_BEFORE.get(" ".join(tokens[j - n : j]))):
            return side
    for k in (j + 1, j + 2):  # "3 or more", "3 seconds or more"
        if side := _BOUND_AFTER.get(" ".join(tokens[k : k + 2])):
            return side
    return ""


class QuantityReader(DoseReader):
    """The quantity readings of the extractor (a base of ``FactExtractor``)."""

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
        if (
            not (unit and unit[1].kind == "unit")
            and toks[j - 1 : j]
            and toks[j - 1] in _CARRIED_AFTER
        ):
            unit = self._unit_before(j)
        if not (unit and unit[1].kind == "unit") and self._dosed_at(j):
            unit = self._unit_before(j, _DOSE_REACH, _DOSE_DIMENSIONS)
        said_in = self._said_age(j, value)
        if said_in:
            return value, "age", said_in, value * age_in_years(said_in)
        said = self._age_phrase(j, value)
        if said:
            return value, "age", said, value
        if unit and unit[1].kind == "unit":
            e = unit[1]
            return value, e.extra, e.name, value * float(e.extra2)
        return value, "", "", value

    def _dosed_at(self, j: int) -> bool:
        """Whether a number with no unit is followed by a dosing frequency ("until you're
        at 1000 *twice a day*"): a dose, in the unit of the dose said before it; not a
        small count ("1 in the morning"), which counts tablets."""
        value = parse_number(self.tokens[j]) or 0.0
        if value.is_integer() and value <= 4:
            return False  # "1 in the morning, 1 in the evening": a count of tablets
        hit = self.dosing.get(j + 1)
        return hit is not None and hit[1].kind == "frequency"

    def _unit_before(
        self, j: int, reach: int = 0, dimensions: frozenset[str] = frozenset()
    ) -> tuple | None:
        """The unit of the nearest number before ``j`` in its sentence that has one,
        passing over a duration ("in a day or five in a week": the five is pounds, as
        the three before "in a day" is); with ``dimensions``, only a unit of those."""
        toks = self.tokens
        for k in range(j - 2, max(-1, j - (reach or _CARRY_REACH)), -1):
            if toks[k] in _SENTENCE_END:
                return None
            if parse_number(toks[k]) is None:
                continue
            unit = self.dosing.get(k + 1)
            if unit and unit[1].kind == "unit" and unit[1].extra != "duration":
                if dimensions and unit[1].extra not in dimensions:
                    continue
                return unit
        return None

    def _said_age(self, j: int, value: float) -> str:
        """An age said the way people say it, as its unit (``age`` in years, else
        ``month-old``, ...) or ``""``: "i'm forty seven", "you're 41, correct?", "he is
        just one year", "she is fourteen months.", "she turned fifty", "i am forty two so
        i thought", "i am fifty after all", "i just turned fifty seven this year"."""
        if not 0 < value <= 120:
            return ""
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
            return ""
        after = toks[j + 1] if j + 1 < len(toks) else "."
        then = toks[j + 2] if j + 2 < len(toks) else "."
        if after in _AGE_AFTER or after == "so" or (after, then) == ("after", "all"):
            return "age"  # "i am fifty after all"
        if before[-1:] == ("turned",) and after in {"this", "last", "in", "on"}:
            return "age"  # "i just turned fifty seven this year"
        unit = self.dosing.get(j + 1)
        if then in _AGE_AFTER and unit and unit[1].kind == "unit" and unit[1].extra == "duration":
            return age_unit(unit[1].name)  # "he is just one year", "she is 14 months."
        return ""

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
                # "2 times a day" = "twice a day": the count per day is the number;
                # "3 times a week", "twice a month": the period's rate times the count
                per_day = float(hit[1].extra) * self._count_before(j)
                self._add_quantity(j, per_day, "per_day", "/day", tok)
                if tok[0].isdigit() and self.tokens[j + 1 : j + 2] == ["times"]:
                    continue
            elif tok in _TIMES and self._counted_times(j):
                self._add_quantity(j, _TIMES[tok], "", "", tok)
                continue
            if j in dated:
                continue
            date = date_at(self.tokens, j)
            if date is not None:
                value, end = date
                self._add_quantity(j, value, "date", "", " ".join(self.tokens[j:end]))
                dated.update(range(j, end))
                continue
            self._number_at(j, tok)

    def _count_before(self, j: int) -> float:
        """How many times a period's frequency phrase at ``j`` is said ("3 times *a
        week*", "twice *a month*"): the count before it, where the phrase names none
        itself ("twice a day" is its own phrase); 1 where none is said."""
        toks = self.tokens
        if toks[j] in _TIMES or toks[j][0].isdigit():
            return 1.0
        if j >= 1 and toks[j - 1] in _TIMES:
            return _TIMES[toks[j - 1]]
        if j >= 2 and toks[j - 1] in {"times", "x"}:
            count = parse_number(toks[j - 2])
            if count is not None and count > 0:
                return count
        return 1.0

    def _counted_times(self, j: int) -> bool:
        """Whether "once" or "twice" at ``j`` counts times: after no word of an idiom
        ("at once", "more than once") and before no clause or period ("once the
        swelling goes down", "once a year", "once in a while"); "once" opening a
        sentence opens a clause."""
        start, end, _ = self.sentence_of(j)
        freq = self.dosing.get(j + 1)
        if freq is not None and freq[1].kind == "frequency":
            return False  # "twice weekly" is a frequency (see :meth:`_count_before`)
        if j == start:
            return self.tokens[j] != "once"  # "Twice last year."; "Once it heals, ..."
        before, after = self.tokens[j - 1], self.tokens[j + 1] if j + 1 < end else "."
        return before not in _TIMES_NOT_BEFORE and before != "," and after not in _TIMES_NOT_AFTER

    def _number_at(self, j: int, tok: str) -> None:
        """The quantity of one number token that is no date: a count, a ratio, a year, an
        ordinal or a value with its unit (nothing for a scale's anchor or a digit inside a
        concept)."""
        if tok in _ONE_OF and self._counted_one(j):
            return
        if tok == "0" and self.tokens[j - 1 : j] in (["times"], ["x"]):
            return  # "nocturia times 0" denies the finding (see context.json)
        if not tok[0].isdigit() or j in self.covered:
            return  # a digit inside a concept ("type 2 diabetes") is no quantity
        after = self.tokens[j + 1 : j + 3]
        if tok == "1" and after[:1] == ["of"] and not (len(after) > 1 and after[1][0].isdigit()):
            # "one of her sisters", "one of fatigue": a member, which bears out a note's
            # "one" but need not be borne out itself
            self._add_quantity(j, 1.0, "count", "", tok)
            return
        if scale_anchor(self.tokens, j):
            return  # "zero being none, ten being the worst", "on a scale of 1 to 10"
        if "/" in tok:
            if not self._drug_strength(j) and self._bp_token(j, j, 0):
                pass
            for part in tok.split("/"):
                v = parse_number(part)
                if v is not None:
                    self._add_quantity(j, v, "ratio", "", tok)
            return
        if [tok] in _ONE_DIGIT and self.tokens[max(0, j - 2) : j] in _IN_OH:
            self._add_quantity(j, 2000.0 + int(tok), "", "", tok)  # "tied in o one"
            return
        q = self._quantity_at(j)
        if q is not None and not q[1] and not q[2] and self._two_digit_year(j):
            year = float(_full_year(int(tok)))  # "in ninety six" is "in 1996"
            self._add_quantity(j, year, "", "", tok)
            return
        if q is not None and not q[1] and self.tokens[j + 1 : j + 2] in _ORDINAL_ENDS:
            # "the 5th MTP joint", "the fifth mtp joint", "in 3rd grade": a place in an
            # order, which bears out the same place but need not be borne out itself
            self._add_quantity(j, q[0], "ordinal", "", tok)
            return
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
                bound=bound_side(self.tokens, j),
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
        first, last, _ = self.sentence_of(j)
        return near_stems(self.tokens[max(first, j - 4) : min(last, j + 5)])
