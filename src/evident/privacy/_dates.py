"""Date recognizer: every element of a date except the year, in the forms clinicians write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from evident.privacy._data import FastRegex, load_dates
from evident.privacy.spans import PhiSpan

__all__ = ["date_spans"]

_I = re.IGNORECASE


def _alt(items: tuple[str, ...]) -> str:
    return "(?:" + "|".join(items) + ")"


@cache
def _patterns() -> tuple[tuple[FastRegex, float, int], ...]:
    v = load_dates()
    month = _alt(v["months"]) + r"\.?"
    ordinal = _alt(v["ordinal_words"])
    day = rf"(?:(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?|{ordinal})"
    year = r"(?:(?:19|20)\d{2}|'\d{2})"
    end = r"(?![\w/])"
    forms: list[tuple[str, float, int]] = [
        # Tuesday, March 14th, 2023 / Mar-14-23 / March 14
        (rf"\b{month}[\s-]*{day}(?:(?:,\s*|\s+|-){year}|-\d{{2}}(?!\d))?{end}", 0.9, 0),
        # 14 March 2023 / 14th of March / 14-MAR-2023 ("the" is added by date_spans)
        (
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s-]*{month}"
            rf"(?:(?:,?\s*|-){year}|-\d{{2}}(?!\d))?{end}",
            0.9,
            0,
        ),
        # fourteenth of March
        (rf"\b{ordinal}(?:\s+of)?\s+{month}(?:,?\s*{year})?{end}", 0.9, 0),
        # March 2023 / March of 2023 / Mar '23
        (rf"\b{month}(?:,?\s+|\s+of\s+|-){year}\b", 0.85, 0),
    ]
    return tuple((FastRegex.build(p, ignore_case=True), s, g) for p, s, g in forms)


@cache
def _cue_forms() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], FastRegex]:
    """ "on the 14th" and "in March", found from the date word back to the cue (fast)."""
    v = load_dates()
    month = _alt(v["months"]) + r"\.?"
    ordinal = re.compile(r"(\d{1,2})(?:st|nd|rd|th)\b", _I)
    ordinal_cue = re.compile(rf"\b{_alt(v['ordinal_cues'])}\s+(the\s+)$", _I)
    month_after = re.compile(rf"(?:\s+of)?\s+{month}", _I)
    months = FastRegex.build(rf"\b({_alt(v['months_alone'])})\b", ignore_case=True)
    return ordinal, ordinal_cue, month_after, months


def _cued(text: str, low: str | None) -> Iterator[PhiSpan]:
    ordinal, ordinal_cue, month_after, months = _cue_forms()
    for m in ordinal.finditer(text):  # on the 14th (numbers only: not "the first problem")
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "/.-_"):
            continue
        if not 1 <= int(m.group(1)) <= 31:
            continue
        cue = ordinal_cue.search(text, max(0, start - 20), start)
        if cue and not month_after.match(text, m.end()):
            yield PhiSpan(cue.start(1), m.end(), "DATE", 0.75, text[cue.start(1) : m.end()])
    for m in months.finditer(text, low):  # in March
        if _month_cue().search(text, max(0, m.start() - 24), m.start()):
            yield PhiSpan(m.start(), m.end(), "DATE", 0.7, text[m.start() : m.end()])


@cache
def _month_cue() -> re.Pattern[str]:
    return re.compile(rf"\b{_alt(load_dates()['month_cues'])}[\s-]+$", _I)


@cache
def _weekday_before() -> re.Pattern[str]:
    weekday = _alt(load_dates()["weekdays"]) + r"\.?"
    return re.compile(rf"(?:\b{weekday},?[ \t]+)?(?:\bthe[ \t]+)?$", _I)


# All-numeric dates in one digit-first pass (fast), classified in Python: 03/14/2023,
# 3-14-23, 3.14.2023 (month first); 2023-03-14; 31/12/2023 (day first, four-digit year);
# 03/2023 (month and year).
_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,4})(?:\2(\d{1,4}))?(?![\w/]|[.-]\d)")


def _numeric_score(a: str, sep: str, b: str, c: str | None) -> float:
    ia, ib = int(a), int(b)
    if c is None:
        month_year = sep == "/" and len(a) <= 2 and 1 <= ia <= 12 and len(b) == 4
        return 0.8 if month_year and b[:2] in ("19", "20") else 0.0
    ic = int(c)
    if len(a) == 4 and a[:2] in ("19", "20") and len(b) <= 2 and len(c) <= 2:
        return 0.95 if 1 <= ib <= 12 and 1 <= ic <= 31 else 0.0
    if len(a) > 2 or len(b) > 2:
        return 0.0
    if 1 <= ia <= 12 and 1 <= ib <= 31 and len(c) in (2, 4):
        return 0.9
    if 13 <= ia <= 31 and 1 <= ib <= 12 and len(c) == 4 and c[:2] in ("19", "20"):
        return 0.85
    return 0.0


def _numeric(text: str) -> Iterator[PhiSpan]:
    for m in _NUMERIC.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "/.-_"):
            continue
        score = _numeric_score(*m.groups())
        if score:
            yield PhiSpan(start, m.end(), "DATE", score, m.group())


_LEAD_DAY = re.compile(r"\d+")
_FULL_MONTH = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\.$",
    _I,
)
_FRACTION = re.compile(r"(\d{1,2})/(\d{1,2})(?![\w/]|\.\d)")


@cache
def _yearless() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = load_dates()
    before = re.compile(rf"(?:\b({_alt(v['numeric_cues'])})[ \t]+|^[ \t]*|\()$", _I | re.MULTILINE)
    blockers = re.compile(rf"\s*(?:{_alt(v['numeric_blockers'])})\b", _I)
    pre = re.compile(rf"\b{_alt(v['numeric_pre_blockers'])}\b", _I)
    return before, blockers, pre


def _fractions(text: str) -> Iterator[PhiSpan]:
    """Year-less numeric dates ("seen 3/14") only after a cue word, never "pain 7/10"."""
    before, blockers, pre = _yearless()
    for m in _FRACTION.finditer(text):
        start, stop = m.span()
        if start and (text[start - 1].isalnum() or text[start - 1] in "/.-_"):
            continue
        if not (1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31):
            continue
        cue = before.search(text, max(0, start - 14), start)
        if cue is None or blockers.match(text, stop):
            continue
        if pre.search(text, max(0, start - 25), start):
            continue
        score = 0.75 if cue.group(1) else 0.6
        yield PhiSpan(start, stop, "DATE", score, text[start:stop])


def date_spans(text: str, low: str | None = None) -> list[PhiSpan]:
    """Find dates and date elements (day, month, weekday with date; not the year alone).

    Args:
        text: Any text.
        low: ``text.lower()`` when the caller has it.

    Returns:
        Candidate DATE spans (they may overlap; the detector resolves overlaps).
    """
    out: list[PhiSpan] = []
    weekday = _weekday_before()
    for regex, score, group in _patterns():
        for m in regex.finditer(text, low):
            start, stop = m.span(group)
            if group == 0:  # "Tuesday, March 14", "the 14th of March": part of the date
                lead = _LEAD_DAY.match(text, start)
                if lead and int(lead.group()) > 31:
                    continue
                w = weekday.search(text, max(0, start - 16), start)
                start = w.start() if w else start
            if text[stop - 1 : stop] == "." and _FULL_MONTH.search(text, start, stop):
                stop -= 1  # "14th of October." : the full stop ends the sentence
            out.append(PhiSpan(start, stop, "DATE", score, text[start:stop]))
    out.extend(_numeric(text))
    out.extend(_cued(text, low))
    out.extend(_fractions(text))
    return out
