"""Date, interval and age arithmetic in the sense of CQL, at the precisions measures use.

FHIR date-times are read as naive UTC ``datetime`` values (a date alone is its midnight).
A date of year or month precision (``2019``, ``2019-06``) is the range it denotes, a
:class:`Partial`: its first moment, with its last one attached. The comparisons here
(:func:`on_or_before`, :func:`before`, the :class:`Interval` relations, ages) hold only
when they hold for every moment of such a range, as CQL's comparisons of uncertain values
do; when the range straddles the boundary the answer is unknown, which every measure
treats as false, as a CQL ``where`` does. So a look-back window is met by ``2019`` only
when all of 2019 lies inside it.

An :class:`Interval` keeps CQL's boundary rules: a closed null boundary is unbounded, an
open null boundary is unknown, and a comparison that needs an unknown boundary answers
``None`` (false to the measures, as above).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, overload

__all__ = [
    "Interval",
    "Partial",
    "PartialDay",
    "add_years",
    "age_in_years",
    "ages_in_years",
    "before",
    "day",
    "midnight",
    "on_or_before",
    "parse_datetime",
    "point",
]

_T = TypeVar("_T", date, datetime)


class Partial(datetime):
    """A moment known only to its year or month: its first moment, its last in ``latest``.

    To Python's operators it is its first moment (what the code read before partial dates
    were ranges); shifting it by a ``timedelta`` shifts the whole range. Compare it with
    this module's functions, which read both ends.
    """

    latest: datetime

    @classmethod
    def spanning(cls, first: datetime, last: datetime) -> Partial:
        """The range from ``first`` to ``last``."""
        moment = cls(*first.timetuple()[:6], first.microsecond)
        moment.latest = last
        return moment

    def __add__(self, other: timedelta) -> Partial:
        return Partial.spanning(datetime.__add__(self, other), self.latest + other)

    __radd__ = __add__

    @overload  # type: ignore[override]
    def __sub__(self, other: timedelta) -> Partial: ...
    @overload
    def __sub__(self, other: datetime) -> timedelta: ...
    def __sub__(self, other: Any) -> Any:
        if isinstance(other, timedelta):
            return Partial.spanning(datetime.__sub__(self, other), self.latest - other)
        return datetime.__sub__(self, other)


class PartialDay(date):
    """The days of a :class:`Partial`: its first day, its last in ``latest``."""

    latest: date

    @classmethod
    def spanning(cls, first: date, last: date) -> PartialDay:
        """The days from ``first`` to ``last``."""
        moment = cls(first.year, first.month, first.day)
        moment.latest = last
        return moment

    def __add__(self, other: timedelta) -> PartialDay:
        return PartialDay.spanning(date.__add__(self, other), self.latest + other)

    __radd__ = __add__

    @overload  # type: ignore[override]
    def __sub__(self, other: timedelta) -> PartialDay: ...
    @overload
    def __sub__(self, other: date) -> timedelta: ...
    def __sub__(self, other: Any) -> Any:
        if isinstance(other, timedelta):
            return PartialDay.spanning(date.__sub__(self, other), self.latest - other)
        return date.__sub__(self, other)


def _last(moment: _T) -> _T:
    """The last moment (or day) a value may be: a partial one's ``latest``, else itself."""
    return getattr(moment, "latest", moment)


_DATETIME = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d+))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_MIN = datetime(1, 1, 1)
_MAX = datetime(9999, 12, 31, 23, 59, 59, 999000)


def parse_datetime(value: object) -> datetime | None:
    """Read a FHIR date or dateTime as naive UTC; ``None`` for anything else.

    A year (``2019``) or a month (``2019-06``) is a :class:`Partial`: the range from its
    first moment to its last.
    """
    if not isinstance(value, str):
        return None
    match = _DATETIME.match(value.strip())
    if match is None:
        return None
    g = match.groupdict()
    fraction = (g["f"] or "0")[:6].ljust(6, "0")
    try:
        if g["d"] is None:  # a year or a month: the range it denotes
            return _partial(int(g["y"]), int(g["m"]) if g["m"] else None)
        moment = datetime(
            int(g["y"]),
            int(g["m"] or 1),
            int(g["d"] or 1),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
            int(fraction),
        )
        tz = g["tz"]
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            offset = timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
            moment -= sign * offset
    except (ValueError, OverflowError):  # 1960-02-30, month 13, year 0, before year 1
        return None
    return moment


def _partial(year: int, month: int | None) -> Partial:
    first = datetime(year, month or 1, 1)
    last_month = month or 12
    last_day = calendar.monthrange(year, last_month)[1]
    return Partial.spanning(first, datetime(year, last_month, last_day, 23, 59, 59, 999000))


def day(moment: datetime | date | None) -> date | None:
    """The calendar day of a moment (``None`` stays ``None``; a partial one, its days)."""
    if moment is None:
        return None
    if isinstance(moment, Partial):
        return PartialDay.spanning(moment.date(), moment.latest.date())
    return moment.date() if isinstance(moment, datetime) else moment


def midnight(moment: datetime) -> datetime:
    """The start of a moment's day (of each end of a partial one's range)."""
    first = datetime(moment.year, moment.month, moment.day)
    if isinstance(moment, Partial):
        return Partial.spanning(first, midnight(moment.latest))
    return first


def on_or_before(a: _T | None, b: _T | None) -> bool:
    """``a <= b`` for every moment ``a`` and ``b`` may be; false when either is unknown."""
    return a is not None and b is not None and _last(a) <= b


def before(a: _T | None, b: _T | None) -> bool:
    """``a < b`` for every moment ``a`` and ``b`` may be; false when either is unknown."""
    return a is not None and b is not None and _last(a) < b


def add_years(when: date, years: int) -> date:
    """``when`` plus whole years, 29 February falling back to the 28th as CQL does."""
    try:
        return when.replace(year=when.year + years)
    except ValueError:
        return when.replace(year=when.year + years, day=28)


def age_in_years(birth: date | None, at: date) -> int | None:
    """Whole years completed between ``birth`` and ``at`` (CQL ``AgeInYearsAt``).

    With a partial birth date or day, the age when it is the same for every day they may
    be, else ``None`` (unknown): born in 1950, one is 76 on 31 December 2026 but 75 or 76
    on 1 January.
    """
    ages = ages_in_years(birth, at)
    return ages[0] if ages is not None and ages[0] == ages[1] else None


def ages_in_years(birth: date | None, at: date | None) -> tuple[int, int] | None:
    """The youngest and the oldest :func:`age_in_years` a partial ``birth`` or ``at`` allow."""
    if birth is None or at is None:
        return None
    return _years(_last(birth), at), _years(birth, _last(at))


def _years(birth: date, at: date) -> int:
    years = at.year - birth.year
    if (at.month, at.day) < (birth.month, birth.day):
        years -= 1
    return years


@dataclass(frozen=True)
class Interval:
    """A date-time interval with CQL boundary semantics.

    Attributes:
        low: Start, or ``None``.
        high: End, or ``None``.
        low_closed: Whether ``low`` belongs to the interval (a closed null is unbounded).
        high_closed: Whether ``high`` belongs to the interval (an open null is unknown).
    """

    low: datetime | None
    high: datetime | None
    low_closed: bool = True
    high_closed: bool = True

    @property
    def start(self) -> datetime | None:
        """The first point, ``datetime.min`` when unbounded, ``None`` when unknown."""
        if self.low is None:
            return _MIN if self.low_closed else None
        return self.low if self.low_closed else self.low + timedelta(milliseconds=1)

    @property
    def end(self) -> datetime | None:
        """The last point, ``datetime.max`` when unbounded, ``None`` when unknown."""
        if self.high is None:
            return _MAX if self.high_closed else None
        return self.high if self.high_closed else self.high - timedelta(milliseconds=1)

    @property
    def has_end(self) -> bool:
        """QICoreCommon ``hasEnd``: an end that is neither null nor the maximum."""
        return self.high is not None

    @property
    def has_start(self) -> bool:
        """QICoreCommon ``hasStart``: a start that is neither null nor the minimum."""
        return self.low is not None

    def start_day(self) -> date | None:
        """The day of :attr:`start`."""
        return day(self.start)

    def end_day(self) -> date | None:
        """The day of :attr:`end`."""
        return day(self.end)

    def during_day(self, other: Interval) -> bool:
        """``self during day of other``: contained at day precision."""
        return _le(other.start_day(), self.start_day()) and _le(self.end_day(), other.end_day())

    def during(self, other: Interval) -> bool:
        """``self during other`` at the precision of the values."""
        return _le(other.start, self.start) and _le(self.end, other.end)

    def overlaps_day(self, other: Interval) -> bool:
        """``self overlaps day of other``."""
        return _le(self.start_day(), other.end_day()) and _le(other.start_day(), self.end_day())

    def overlaps(self, other: Interval) -> bool:
        """``self overlaps other``."""
        return _le(self.start, other.end) and _le(other.start, self.end)

    def overlaps_after_day(self, other: Interval) -> bool:
        """``self overlaps after day of other``: overlaps and ends after it ends."""
        return self.overlaps_day(other) and _lt(other.end_day(), self.end_day())

    def contains_day(self, moment: datetime | None) -> bool:
        """``moment during day of self``."""
        return moment is not None and point(moment).during_day(self)


def point(moment: datetime) -> Interval:
    """The interval ``[moment, moment]`` (QICoreCommon ``toInterval`` of a DateTime)."""
    return Interval(moment, moment)


_le = on_or_before
_lt = before


def utc_now() -> datetime:
    """The current moment as naive UTC (the default ``--as-of``)."""
    return datetime.now(UTC).replace(tzinfo=None)
