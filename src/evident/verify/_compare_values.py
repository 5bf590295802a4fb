"""When two numbers are the same value of the same thing (for :mod:`evident.verify.compare`):
the units and dimensions that must agree, dates and years, ages and decades, and the
near words that say what a bare number counts."""

from __future__ import annotations

from evident.verify.facts import Fact, decode_date, is_year, stem

__all__ = [
    "AGE_UNITS",
    "decimal",
    "is_year_fact",
    "quantity_matches",
    "same_person",
    "same_value",
    "thing",
]


# "76-year-old", "i'm 76" ("age"); "at age 60", "my mother was 67" ("aged": said of
# anyone); "in her 70s" ("decade")
AGE_UNITS = frozenset({"age", "aged", "decade"})


def same_value(a: float | None, b: float | None, rel: float = 0.01) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-9)


# A number with one of these units must be matched by a number with a unit of the same
# dimension: "3 weeks" is not supported by a bare "3" somewhere nearby.
_STRICT_DIMENSIONS = frozenset(
    {"duration", "mass", "volume", "units", "bodyweight", "length", "area"}
)


def decimal(value: float | None) -> bool:
    """A value like 4.6 or 7.2 is specific enough to be found anywhere in the source."""
    return value is not None and value != int(value)


def _same_date(stf: Fact, src: Fact) -> bool:
    """The source's date gives the note's month, and its day and year where the note
    gives them; a source that leaves out the year ("june 21") still bears out
    "06/21/2004". A bare year ("in 2008") is borne out by any date in that year."""
    if stf.value is None or src.value is None:
        return False
    sy, sm, sd = decode_date(src.value)
    if stf.key != "date":
        return bool(sy) and stf.value == sy
    y, m, d = decode_date(stf.value)
    return m == sm and (not d or d == sd) and (not y or not sy or y == sy)


def is_year_fact(f: Fact) -> bool:
    return not f.key and not f.unit and f.value is not None and is_year(f.value)


def thing(f: Fact) -> frozenset[str]:
    """What a number with a unit counts: its near words but its unit's ("lifting at work
    for 6 weeks" and "improving in six weeks" share only the weeks)."""
    return f.near - {f.unit, stem(f.unit)}


def _span(f: Fact) -> str:
    """The unit of time an age in days, weeks or months or a duration is said in ("32
    weeks" of a pregnancy is read as an age, "you're 32 weeks"; a note writes "32 weeks
    gestation")."""
    if f.key == "age" and f.unit.endswith("-old"):
        return f.unit.removesuffix("-old")
    return f.unit if f.key == "duration" else ""


def quantity_matches(stf: Fact, src: Fact) -> bool:
    if {stf.key, src.key} == {"age", "duration"} and _span(stf) and _span(stf) == _span(src):
        return same_value(stf.value, src.value, 0.001)
    if "date" in (stf.key, src.key):
        return (
            src.key == "date" and (stf.key == "date" or is_year_fact(stf)) and _same_date(stf, src)
        )
    if is_year_fact(stf) and is_year_fact(src):
        return stf.value == src.value  # "in 1975": a year is one wherever it is said
    if "ordinal" in (stf.key, src.key):  # "the fifth mtp joint" for "the 5th MTP joint"
        other = src if stf.key == "ordinal" else stf
        if other.key not in ("", "ordinal") or other.unit:
            return False
        if stf.near and src.near and not (stf.near & src.near):
            return False
        return stf.value == src.value
    if (stf.key == "per_day") != (src.key == "per_day"):
        return False  # "2 times a day" is matched by "twice a day", a bare 2 by a 2
    if src.key == "count":  # "I have a daughter" for "one daughter", not "one son"
        return not stf.key and not stf.unit and bool(stf.near & src.near) and stf.value == 1
    if not same_person(stf, src):
        return False  # the father's 60 is not the brother's, nor the patient's own
    if stf.key == src.key == "age" and "decade" in (stf.unit, src.unit):
        return _in_decade(stf, src)
    if stf.unit and src.unit and stf.key and stf.key == src.key:
        # a duration in other units is a conversion with months of 28-31 days ("six
        # weeks" is "1.5 months"); in the same unit it is the same number
        rel = 0.1 if stf.key == "duration" and stf.unit != src.unit else 0.01
        return same_value(stf.base, src.base, rel)
    if stf.key and src.key and stf.key != src.key:
        return False
    if stf.key in _STRICT_DIMENSIONS and not src.key and (src.unit or not decimal(stf.value)):
        return False  # but "went to twenty two point five" is the "22.5 mg" said before
    if not stf.unit and not stf.key and stf.near and src.key in _STRICT_DIMENSIONS:
        return False  # "stage 5" is not "five milligrams", "type 3" not "three weeks"
    if (
        not stf.unit
        and not src.unit
        and stf.near
        and src.near
        and not _near_shared(stf.near, src.near)
        and not decimal(stf.value)
    ):
        return False  # a bare number must count the same thing: "stage 2" vs "type 2"
    return same_value(stf.value, src.value, 0.001)


_PREFIX = 5  # letters two words of one stem share ("lightheaded", "lightheadedness")


def _near_shared(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two numbers' near words share a word or a word's first letters ("one
    episode of lightheadedness" and "lightheaded once")."""
    if a & b:
        return True
    return bool({w[:_PREFIX] for w in a if len(w) >= _PREFIX} & {w[:_PREFIX] for w in b})


def same_person(a: Fact, b: Fact) -> bool:
    """Two ages may be one person's: neither names someone else ("my sibling" may be
    the note's brother, never the patient)."""
    if not a.person or not b.person or a.person == b.person:
        return True
    return "relative" in (a.person, b.person) and "self" not in (a.person, b.person)


def _in_decade(a: Fact, b: Fact) -> bool:
    """ "in her 70s" holds "she was seventy three" and "in her seventies"."""
    if a.value is None or b.value is None:
        return False
    if a.unit == b.unit:
        return same_value(a.value, b.value, 0.001)
    decade, age = (a.value, b.value) if a.unit == "decade" else (b.value, a.value)
    return decade <= age < decade + 10
