"""Date, interval and age arithmetic (tables of cases)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from evident.caregaps.timing import Interval, add_years, age_in_years, parse_datetime, point


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-04", datetime(2026, 3, 4)),
        ("2026-03", datetime(2026, 3, 1)),
        ("2026-03-04T10:20:30.500+00:00", datetime(2026, 3, 4, 10, 20, 30, 500000)),
        ("2026-03-04T23:30:00-05:00", datetime(2026, 3, 5, 4, 30)),
        ("2026-03-04T01:00:00Z", datetime(2026, 3, 4, 1, 0)),
        ("2026", datetime(2026, 1, 1)),
        ("not a date", None),
        (None, None),
        # impossible calendar values read as no date, like any other unreadable text
        ("1960-02-30", None),
        ("2020-13-45T10:00:00Z", None),
        ("0000-01-01", None),
        ("0001-01-01T00:00:00+01:00", None),
    ],
)
def test_parse_datetime(text: object, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    ("birth", "at", "age"),
    [
        (date(1951, 1, 1), date(2026, 12, 31), 75),
        (date(1951, 12, 31), date(2026, 12, 31), 75),
        (date(1952, 1, 1), date(2026, 12, 31), 74),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (None, date(2026, 1, 1), None),
    ],
)
def test_age_in_years(birth: date | None, at: date, age: int | None) -> None:
    assert age_in_years(birth, at) == age


def test_add_years_leap_day() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


MP = Interval(datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59, 999000))


@pytest.mark.parametrize(
    ("interval", "during", "overlaps"),
    [
        (Interval(datetime(2026, 1, 1), datetime(2026, 1, 1, 1)), True, True),
        (Interval(datetime(2025, 12, 31, 23), datetime(2026, 1, 1, 1)), False, True),
        (Interval(datetime(2025, 6, 1), datetime(2025, 12, 31)), False, False),
        (Interval(datetime(2026, 12, 31), None, True, True), False, True),  # open-ended, active
        (Interval(datetime(2025, 1, 1), None, True, False), False, None),  # unknown end
        (Interval(None, datetime(2026, 2, 1), True, True), False, True),  # unbounded start
    ],
)
def test_interval_day_comparisons(interval: Interval, during: bool, overlaps: bool | None) -> None:
    assert interval.during_day(MP) is during
    assert interval.overlaps_day(MP) is bool(overlaps)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (datetime(2026, 1, 1), True),
        (datetime(2026, 12, 31, 23, 59), True),
        (datetime(2027, 1, 1), False),
        (None, False),
    ],
)
def test_contains_day(moment: datetime | None, inside: bool) -> None:
    assert MP.contains_day(moment) is inside
    if moment is not None:
        assert point(moment).during_day(MP) is inside
