"""Date, interval and age arithmetic in the sense of CQL, at the precisions measures use.

FHIR date-times are read as naive UTC ``datetime`` values (a date alone is its midnight).
An :class:`Interval` keeps CQL's boundary rules: a closed null boundary is unbounded, an
open null boundary is unknown, and a comparison that needs an unknown boundary answers
``None`` (which every measure treats as false, as a CQL ``where`` does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "Interval",
    "add_years",
    "age_in_years",
    "day",
    "parse_datetime",
    "point",
]

_DATETIME = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d+))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_MIN = datetime(1, 1, 1)
_MAX = datetime(9999, 12, 31, 23, 59, 59, 999000)


def parse_datetime(value: object) -> datetime | None:
    """Read a FHIR date or dateTime as naive UTC; ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    match = _DATETIME.match(value.strip())
    if match is None:
        return None
    g = match.groupdict()
    fraction = (g["f"] or "0")[:6].ljust(6, "0")
    try:
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


def day(moment: datetime | date | None) -> date | None:
    """The calendar day of a moment (``None`` stays ``None``)."""
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment


def add_years(when: date, years: int) -> date:
    """``when`` plus whole years, 29 February falling back to the 28th as CQL does."""
    try:
        return when.replace(year=when.year + years)
    except ValueError:
        return when.replace(year=when.year + years, day=28)


def age_in_years(birth: date | None, at: date) -> int | None:
    """Whole years completed between ``birth`` and ``at`` (CQL ``AgeInYearsAt``)."""
    if birth is None:
        return None
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


def _le(a: date | datetime | None, b: date | datetime | None) -> bool:
    return a is not None and b is not None and a <= b


def _lt(a: date | datetime | None, b: date | datetime | None) -> bool:
    return a is not None and b is not None and a < b


def utc_now() -> datetime:
    """The current moment as naive UTC (the default ``--as-of``)."""
    return datetime.now(UTC).replace(tzinfo=None)
