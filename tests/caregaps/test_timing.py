"""Date, interval and age arithmetic (tables of cases)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from evident.caregaps.record import period_interval
from evident.caregaps.timing import (
    Interval,
    add_years,
    age_in_years,
    ages_in_years,
    before,
    day,
    on_or_before,
    parse_datetime,
    point,
)


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


WINDOW = Interval(datetime(2025, 7, 1), datetime(2026, 6, 30, 23, 59, 59, 999000))


@pytest.mark.parametrize(
    ("text", "inside", "overlaps"),
    [
        ("2026-03", True, True),
        ("2026-06", True, True),  # all of June is inside
        ("2026", False, False),  # straddles the end: unknown, so false
        ("2025", False, False),  # straddles the start
        ("2026-07", False, False),
        ("2024", False, False),
        ("2026-03-15", True, True),
    ],
)
def test_a_partial_date_is_the_range_it_denotes(text: str, inside: bool, overlaps: bool) -> None:
    moment = parse_datetime(text)
    assert WINDOW.contains_day(moment) is inside
    assert point(moment).during_day(WINDOW) is inside  # type: ignore[arg-type]
    assert point(moment).overlaps_day(WINDOW) is overlaps  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "during", "overlaps"),
    [
        ("2025-08", "2026-02", True, True),
        ("2025", "2026-02", False, True),  # began some time in 2025: surely before February
        ("2025", "2025-06", False, False),  # ended in June 2025, before the window
        ("2024-05", "2026", False, True),
    ],
)
def test_periods_with_partial_boundaries(
    start: str, end: str, during: bool, overlaps: bool
) -> None:
    span = period_interval({"start": start, "end": end})
    assert span.during_day(WINDOW) is during
    assert span.overlaps_day(WINDOW) is overlaps


@pytest.mark.parametrize(
    ("birth", "at", "ages", "age"),
    [
        ("1961", date(2026, 12, 31), (65, 65), 65),
        ("1961", date(2026, 1, 1), (64, 65), None),  # 64 or 65: unknown
        ("1961-06", date(2026, 7, 1), (65, 65), 65),
        ("1961-06", date(2026, 6, 15), (64, 65), None),
        ("1961-06-20", date(2026, 6, 20), (65, 65), 65),
    ],
)
def test_ages_from_partial_birth_dates(
    birth: str, at: date, ages: tuple[int, int], age: int | None
) -> None:
    born = day(parse_datetime(birth))
    assert ages_in_years(born, at) == ages
    assert age_in_years(born, at) == age


@pytest.mark.parametrize(
    ("a", "b", "le", "lt", "le_day"),
    [
        ("2026-06", "2026-06-30", False, False, True),  # June ends after the 30th's midnight
        ("2026-06", "2026-07-01", True, True, True),
        ("2026-05-31", "2026-06", True, True, True),
        ("2026-06-01", "2026-06", True, False, True),
        ("2026", "2026", False, False, False),
        ("2026", None, False, False, False),
    ],
)
def test_comparisons_hold_for_the_whole_range(
    a: str, b: str | None, le: bool, lt: bool, le_day: bool
) -> None:
    first, second = parse_datetime(a), parse_datetime(b)
    assert on_or_before(first, second) is le
    assert before(first, second) is lt
    assert on_or_before(day(first), day(second)) is le_day
