"""Doses of the fact extractor (a base of :class:`evident.verify._extract_numbers.
QuantityReader`): a drug's dose after or before its name, what a count of tablets is,
and the frequency said after it ("two a day" is twice daily)."""

from __future__ import annotations

from evident.verify._extract_core import ExtractorCore
from evident.verify._resources import load_lexicons
from evident.verify._words import words
from evident.verify.facts import _count_nouns
from evident.verify.normalize import parse_number

__all__ = ["DoseReader"]

# "type 2 diabetes", "stage 3", "day 5 of antibiotics": the number names, it measures nothing
_NUMBER_LABELS = words("number_labels")
_NOT_STRENGTH_BEFORE = frozenset({"every", "q", "each", "for", "x", "over"})
_TIME_UNITS = frozenset({"minute", "min", "hour", "hr", "day", "week", "month", "year"})


class DoseReader(ExtractorCore):
    """The dose readings of the extractor."""

    def _quantity_at(self, j: int) -> tuple[float, str, str, float] | None:
        raise NotImplementedError  # the quantity reader's

    def _dose(self, start: int, n: int, sent: tuple[int, int, bool]) -> tuple:
        """Dose after the drug name (up to the next drug, lab or vital sign: "iron
        deficiency anemia with hemoglobin 9.1" gives the iron no dose), else just
        before it."""
        stop = min(sent[1], start + n + 8)
        for kind in ("medication", "lab", "vital"):
            nxt = self._any_start(kind, start + n, stop)
            stop = stop if nxt is None else nxt
        after = counted = None
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
            if found and not found[1] and self.tokens[j - 1] in _NUMBER_LABELS:
                continue  # "metformin for type 2 diabetes": no dose of 2
            if found and not found[1] and self._counts_things(j):
                counted = counted or found  # "two tablets, 400 total": 400 if it follows
                continue
            if found and counted and not found[1] and not self._strength_after_count(j):
                continue  # "2 puffs every 4 hours": the count stays the dose
            if found and found[1] in {"", "mass", "volume", "units"}:
                after = found
                break
        after = after or counted  # "albuterol 2 puffs": the count is the dose
        if after and after[1]:
            return after[0], after[2], after[3]
        of = self.tokens[start - 1 : start] == ["of"]
        if of and (spoken := self._spoken_dose(start - 2, sent)):  # "you're on 500 of metformin"
            return spoken
        # "400 mg of ibuprofen": a measured dose just before beats a count after; not a
        # dose a list gave the drug before ("lisinopril 20 mg, tamsulosin")
        for j in range(max(sent[0], start - 4), start):
            found = self._quantity_at(j)
            if found and found[1] in {"mass", "volume", "units"} and not self._listed(j, start):
                return found[0], found[2], found[3]
        if not after and not of and (spoken := self._spoken_dose(start - 1, sent)):
            return spoken  # "that 2.5 norvasc"
        return (after[0], after[2], after[3]) if after else (None, "", None)

    def _counts_things(self, j: int) -> bool:
        """Whether the number at ``j`` counts things (``phrases.json``'s count nouns:
        "two tablets", "2 puffs"), not the drug's dose."""
        nxt = self.tokens[j + 1] if j + 1 < len(self.tokens) else ""
        nouns = _count_nouns()
        return nxt in nouns or (nxt.endswith("s") and nxt[:-1] in nouns)

    def _strength_after_count(self, j: int) -> bool:
        """Whether a number with no unit after a count of tablets is their strength
        ("two tablets, 400 total", "2 pills of 500"): 10 or more, and no interval or
        duration ("every 12 hours", "for 10 days")."""
        value = parse_number(self.tokens[j]) or 0.0
        nxt = self.tokens[j + 1] if j + 1 < len(self.tokens) else ""
        return (
            value >= 10
            and self.tokens[j - 1] not in _NOT_STRENGTH_BEFORE
            and nxt.rstrip("s") not in _TIME_UNITS
        )

    def _listed(self, j: int, start: int) -> bool:
        """Whether the dose at ``j`` is another drug's in a list: a comma between it and
        the drug at ``start``, or a drug named just before it."""
        if "," in self.tokens[j + 1 : start]:
            return True
        return self._any_start("medication", max(0, j - 3), j) is not None

    def _spoken_dose(self, j: int, sent: tuple[int, int, bool]) -> tuple | None:
        """A dose said without a unit just before the drug, as ``_dose`` returns it; a
        small whole number there counts tablets ("take 2 tylenol") and is no dose."""
        found = self._quantity_at(j) if j >= sent[0] else None
        if found and not found[1] and (found[0] >= 10 or found[0] != int(found[0])):
            return found[0], found[2], found[3]
        return None

    def _dosing_after(self, j: int, sent: tuple[int, int, bool]) -> tuple[str, str]:
        """The frequency and route said after a drug (from ``j``, past its name), up to
        the next drug named: "Symbicort at the same dose and albuterol as needed" says
        the albuterol's frequency, not the Symbicort's."""
        freq = route = ""
        end = min(sent[1], j + 12)
        nxt = self._any_start("medication", j, end)
        for k in range(j, end if nxt is None else nxt):
            hit = self.dosing.get(k)
            if hit is None:
                continue
            e = hit[1]
            if e.kind == "frequency" and not freq:
                freq = self._counted_frequency(k, e.name)
            elif e.kind == "route" and not route:
                route = e.name
        return freq, route

    def _counted_frequency(self, k: int, code: str) -> str:
        """A count right before "a day" counts the doses ("naproxen, *two* a day" is
        twice daily): the frequency code with as many doses a day, else ``code``."""
        count = parse_number(self.tokens[k - 1]) if k > 0 else None
        if code != "daily" or count is None or not count.is_integer() or not 1 < count <= 4:
            return code
        if self.tokens[k : k + 1] not in (["a"], ["per"]):
            return code  # "2 daily" is the dose said with its frequency
        freqs = load_lexicons().quantities.frequencies
        return next((c for c, f in freqs.items() if f.per_day == count), code)
