"""Operators: redaction, consistent surrogates, interval-preserving date shift, 90+."""

from __future__ import annotations

from datetime import date

import pytest

from evident.privacy import PhiSpan, Redactor, Surrogator, detect, transform
from evident.privacy._dateshift import shift_date_text

KEY = b"k" * 32


def _sur(patient: str = "p1", **kw: bool) -> Surrogator:
    return Surrogator(KEY, patient, **kw)


def test_redact_replaces_with_type_and_keeps_ages_readable() -> None:
    text = "John Smith, a 93-year-old, seen 03/14/2023."
    out = transform(text, detect(text), Redactor())
    assert out.text == "[NAME], a 90+-year-old, seen [DATE]."
    assert [r.type for r in out.replacements] == ["NAME", "AGE", "DATE"]


def test_surrogates_consistent_across_documents_and_instances() -> None:
    a = "Dr. Smith saw John Smith on 03/14/2023."
    b = "Mr. Smith called back; SMITH, JOHN confirmed."
    one = transform(a, detect(a), _sur()).text
    two = transform(b, detect(b), _sur()).text
    sur_smith = one.split()[1].rstrip(".")
    assert sur_smith != "Smith"
    assert f"Mr. {sur_smith}" in two
    assert f"{sur_smith.upper()}," in two  # case and "Last, First" format kept
    assert "Smith" not in one + two


def test_surrogates_differ_between_patients_and_keys() -> None:
    span = PhiSpan(0, 10, "NAME", 1.0, "John Smith")
    values = {
        Surrogator(k, p).replace(span) for k, p in [(KEY, "p1"), (KEY, "p2"), (b"x" * 32, "p1")]
    }
    assert len(values) >= 2


@pytest.mark.parametrize(
    ("phi_type", "value"),
    [
        ("PHONE", "555-123-4567"),
        ("SSN", "123-45-6789"),
        ("MRN", "00482913"),
        ("HEALTH_PLAN", "XYZ123456789"),
        ("ZIP", "62704"),
        ("VEHICLE", "1HGCM82633A004352"),
    ],
)
def test_identifiers_keep_their_format(phi_type: str, value: str) -> None:
    new = _sur().replace(PhiSpan(0, len(value), phi_type, 1.0, value))
    assert new != value and len(new) == len(value)
    assert [c.isdigit() for c in new] == [c.isdigit() for c in value]
    assert [c.isalpha() for c in new] == [c.isalpha() for c in value]


@pytest.mark.parametrize(
    ("phi_type", "value", "check"),
    [
        ("EMAIL", "jdoe@gmail.com", lambda v: "example." in v.split("@")[1]),
        ("URL", "https://jdoe.net/x", lambda v: v.startswith("https://")),
        ("IP", "192.168.1.1", lambda v: v.startswith("10.")),
        ("AGE", "95", lambda v: v == "90+"),
        ("CITY", "Boston", lambda v: v != "Boston" and v[0].isupper()),
        ("ADDRESS", "12 Main Street", lambda v: v.endswith(" Street") and "Main" not in v),
    ],
)
def test_other_surrogates(phi_type: str, value: str, check: object) -> None:
    new = _sur().replace(PhiSpan(0, len(value), phi_type, 1.0, value))
    assert callable(check) and check(new)


DATES = [
    ("03/14/2023", "%m/%d/%Y"),
    ("March 14, 2023", "%B %d, %Y"),
    ("2023-03-14", "%Y-%m-%d"),
    ("14 Mar 2023", "%d %b %Y"),
]


@pytest.mark.parametrize(("text", "fmt"), DATES)
def test_date_shift_keeps_format(text: str, fmt: str) -> None:
    from datetime import datetime

    shifted = shift_date_text(text, -40)
    assert shifted is not None
    assert datetime.strptime(shifted, fmt).date() == date(2023, 2, 2)


def test_date_shift_preserves_intervals_per_patient() -> None:
    text = "Admitted 03/01/2023, discharged 03/11/2023."
    out = transform(text, detect(text), _sur())
    first, second = (
        __import__("datetime").datetime.strptime(r.replacement, "%m/%d/%Y")
        for r in out.replacements
    )
    assert (second - first).days == 10
    assert out.replacements[0].replacement != "03/01/2023"


@pytest.mark.parametrize(
    ("keep_weekday", "keep_season"), [(True, False), (False, True), (True, True)]
)
def test_date_shift_options(keep_weekday: bool, keep_season: bool) -> None:
    for patient in ("a", "b", "c", "d"):
        days = _sur(patient, keep_weekday=keep_weekday, keep_season=keep_season).date_shift
        assert days < 0
        if keep_weekday:
            assert days % 7 == 0
        if keep_season:
            assert abs(days) % 364 >= 350 or abs(days) % 364 <= 14


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday, March 14", "Saturday, February 3"),  # year 2001 assumed
        ("the 14th", "the 5th"),
        ("March", "February"),
        ("3/14", "2/2"),
        ("not a date", None),
    ],
)
def test_shift_date_text_forms(text: str, expected: str | None) -> None:
    out = shift_date_text(text, -40 if text != "Tuesday, March 14" else -39)
    assert out == expected


def test_map_offset_through_replacements() -> None:
    text = "Hi John, bye."
    out = transform(text, detect(text), Redactor())
    assert out.text == "Hi [NAME], bye."
    assert out.map_offset(0) == 0
    assert out.map_offset(3) == 3 and out.map_offset(7, end=True) == 9
    assert out.text[out.map_offset(9) :] == "bye."
