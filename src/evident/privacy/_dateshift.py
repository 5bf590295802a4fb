"""Shift a written date by a number of days, keeping the way it was written.

"March 14th, 2023" shifted by -40 days becomes "February 2nd, 2023"; "03/14/23" becomes
"02/02/23"; "the 14th" becomes "the 2nd". Elements the text leaves out (the year, the
month) stay out: they are only assumed for the arithmetic.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["shift_date_text"]

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = [
    *(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
        ]
    ),
    *(
        [
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
        ]
    ),
    *(
        [
            "nineteenth",
            "twentieth",
            "twenty-first",
            "twenty-second",
            "twenty-third",
            "twenty-fourth",
        ]
    ),
    *(["twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth", "twenty-ninth"]),
    *(["thirtieth", "thirty-first"]),
]
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|twenty[- ]\w+|thirty[- ]\w+|[A-Za-z]+|'\d\d|.", re.I)
_REF_YEAR = 2001  # assumed when the text has no year (not a leap year)


def _month_of(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if len(w) < 3:
        return None
    for i, name in enumerate(_MONTHS):
        if name.startswith(w) and (len(w) >= 3 or w == name):
            return i + 1
    return 9 if w == "sept" else None


def _weekday_of(word: str) -> bool:
    w = word.lower().rstrip(".")
    return len(w) >= 3 and any(d.startswith(w) or w == d for d in _WEEKDAYS)


def _case_like(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new.lower()


def _render_month(month: int, old: str) -> str:
    name = _MONTHS[month - 1]
    core = old.rstrip(".")
    if len(core) < len(_MONTHS[(_month_of(core) or 1) - 1]):  # abbreviated
        name = "sept" if core.lower() == "sept" and month == 9 else name[:3]
    return _case_like(name, core) + old[len(core) :]


def _render_day(day: int, old: str, pad: bool = False) -> str:
    low = old.lower().replace(" ", "-")
    if low in _ORDINALS:
        word = _ORDINALS[day - 1]
        return _case_like(word, old)
    text = str(day).zfill(2) if pad or old.startswith("0") else str(day)
    if re.search(r"(?:st|nd|rd|th)$", old, re.I):
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        text += _case_like(suffix, old[-2:])
    return text


def _parse(tokens: list[str]) -> dict[str, int] | None:
    """Find which token is the year, month, day and weekday (by index)."""
    roles: dict[str, int] = {}
    numbers = [i for i, t in enumerate(tokens) if t[:1].isdigit()]
    order: tuple[str, ...]
    words = [i for i, t in enumerate(tokens) if t[:1].isalpha()]
    for i in words:
        if "month" not in roles and _month_of(tokens[i]):
            roles["month"] = i
        elif tokens[i].lower().replace(" ", "-") in _ORDINALS:
            roles["day"] = i
        elif _weekday_of(tokens[i]):
            roles["weekday"] = i
    for i, t in enumerate(tokens):
        if t.startswith("'"):
            roles["year"] = i
    if "month" in roles:
        for i in numbers:
            digits = re.match(r"\d+", tokens[i]).group()  # type: ignore[union-attr]
            if len(digits) == 4 or ("day" in roles and "year" not in roles):
                roles["year"] = i
            elif "day" not in roles:
                roles["day"] = i
            elif "year" not in roles:
                roles["year"] = i
        return roles
    values = [int(re.match(r"\d+", tokens[i]).group()) for i in numbers]  # type: ignore[union-attr]
    if len(numbers) == 3:
        if len(tokens[numbers[0]]) == 4:
            order = ("year", "month", "day")
        elif values[0] > 12:
            order = ("day", "month", "year")
        else:
            order = ("month", "day", "year")
    elif len(numbers) == 2:
        order = ("month", "year") if len(tokens[numbers[1]]) == 4 else ("month", "day")
    elif len(numbers) == 1 and re.search(r"(?:st|nd|rd|th)$", tokens[numbers[0]], re.I):
        order = ("day",)
    else:
        return roles if "day" in roles else None
    roles.update(dict(zip(order, numbers, strict=True)))
    return roles


def _value(tokens: list[str], roles: dict[str, int], role: str) -> int | None:
    if role not in roles:
        return None
    tok = tokens[roles[role]]
    if role == "month":
        return _month_of(tok) if tok[:1].isalpha() else int(tok)
    if role == "day" and tok[:1].isalpha():
        return _ORDINALS.index(tok.lower().replace(" ", "-")) + 1
    digits = int(re.sub(r"\D", "", tok))
    if role == "year" and digits < 100:
        return 2000 + digits if digits < 50 else 1900 + digits
    return digits


def shift_date_text(text: str, days: int) -> str | None:
    """Shift the date written in ``text`` by ``days``, in the same format.

    Args:
        text: A date as written ("March 14th, 2023", "3/14/23", "the 14th", "March").
        days: Days to add (negative to go back).

    Returns:
        The shifted date in the original format, or None when ``text`` is not understood.
    """
    tokens = _TOKEN.findall(text)
    roles = _parse(tokens)
    if not roles:
        return None
    year, month, day = (_value(tokens, roles, r) for r in ("year", "month", "day"))
    try:
        old = date(year or _REF_YEAR, month or 1, day or 15)
    except ValueError:
        return None
    if month is None and day is not None:
        old = date(_REF_YEAR, 1, day)  # "the 14th": any 31-day month
    new = old + timedelta(days=days)
    if month is None:  # keep the day within a month of 31 days
        new = date(_REF_YEAR, 1, (day - 1 + days) % 31 + 1) if day else new
    out = list(tokens)
    numeric = [tokens[roles[r]] for r in ("month", "day") if r in roles]
    pad = all(t[:1].isdigit() for t in numeric) and any(t.startswith("0") for t in numeric)
    if "year" in roles:
        tok = tokens[roles["year"]]
        digits = re.sub(r"\D", "", tok)
        out[roles["year"]] = tok.replace(digits, str(new.year)[-len(digits) :].zfill(len(digits)))
    if "month" in roles:
        tok = tokens[roles["month"]]
        out[roles["month"]] = (
            _render_month(new.month, tok)
            if tok[:1].isalpha()
            else str(new.month).zfill(2 if pad else 1)
        )
    if "day" in roles:
        out[roles["day"]] = _render_day(new.day, tokens[roles["day"]], pad)
    if "weekday" in roles:
        tok = tokens[roles["weekday"]]
        name = _WEEKDAYS[new.weekday()]
        core = tok.rstrip(".")
        name = name if len(core) > 3 else name[:3]
        out[roles["weekday"]] = _case_like(name, core) + tok[len(core) :]
    return "".join(out)
