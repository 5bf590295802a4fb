"""Recognizer tables: positives (type and exact text) and near-miss negatives."""

from __future__ import annotations

import itertools

import pytest

from evident.errors import ConfigError
from evident.privacy import Detector, detect

POSITIVES = [
    ("Seen by Dr. Irene Barrowman today.", "NAME", "Irene Barrowman"),
    ("Mr. Okonkwo-Baptiste was admitted.", "NAME", "Okonkwo-Baptiste"),
    ("Patient: HALLORAN, MARGARET", "NAME", "HALLORAN, MARGARET"),
    ("Reviewed with Jones, Peter this morning.", "NAME", "Jones, Peter"),
    ("My name is Zebulon Quartermaine.", "NAME", "Zebulon Quartermaine"),
    ("Her daughter Anneliese will drive.", "NAME", "Anneliese"),
    ("Electronically signed by Priya Raman, MD", "NAME", "Priya Raman"),
    ("[doctor] hello , wanda . nice to see you .", "NAME", "wanda"),
    ("mrs. fleming went home", "NAME", "fleming"),
    ("Dr. J. Whitfield reviewed", "NAME", "J. Whitfield"),
    ("Visit on 03/14/2023 went well", "DATE", "03/14/2023"),
    ("Visit on 3-14-23 went well", "DATE", "3-14-23"),
    ("Seen Tuesday, March 14th, 2023.", "DATE", "Tuesday, March 14th, 2023"),
    ("Biopsy 14 Mar 2023 showed", "DATE", "14 Mar 2023"),
    ("Collected 14-MAR-23.", "DATE", "14-MAR-23"),
    ("Return on the 14th for labs", "DATE", "the 14th"),
    ("Seen 3/14 for follow-up", "DATE", "3/14"),
    ("Symptoms began in March and", "DATE", "March"),
    ("Echo 2023-03-14 normal", "DATE", "2023-03-14"),
    ("since the fourteenth of march", "DATE", "the fourteenth of march"),
    ("A 93-year-old woman", "AGE", "93"),
    ("aged 101 years", "AGE", "101"),
    ("Call 555-123-4567 tomorrow", "PHONE", "555-123-4567"),
    ("Phone (617) 555-0199 ext 12", "PHONE", "(617) 555-0199 ext 12"),
    ("Fax: 555.987.6543", "FAX", "555.987.6543"),
    ("Mail to j.doe+clinic@example.org today", "EMAIL", "j.doe+clinic@example.org"),
    ("SSN 123-45-6789 on file", "SSN", "123-45-6789"),
    ("MRN: 00482913", "MRN", "00482913"),
    ("Medical record number 4455-221", "MRN", "4455-221"),
    ("Account #: 99887766", "ACCOUNT", "99887766"),
    ("Member ID XYZ123456789", "HEALTH_PLAN", "XYZ123456789"),
    ("DEA# AB1234563", "LICENSE", "AB1234563"),
    ("Pacemaker serial number SN4567821", "DEVICE", "SN4567821"),
    ("VIN 1HGCM82633A004352", "VEHICLE", "1HGCM82633A004352"),
    ("See https://portal.example.org/pt/991 now", "URL", "https://portal.example.org/pt/991"),
    ("Login from 192.168.10.4", "IP", "192.168.10.4"),
    ("Lives at 1234 N. Oak Street, Apt 5B", "ADDRESS", "1234 N. Oak Street, Apt 5B"),
    ("PO Box 4411", "ADDRESS", "PO Box 4411"),
    ("Springfield, IL 62704", "CITY", "Springfield"),
    ("Springfield, IL 62704", "ZIP", "62704"),
    ("moved from Boston last year", "CITY", "Boston"),
    ("lives in Orange County", "COUNTY", "Orange County"),
    ("zip code 90210", "ZIP", "90210"),
    ("Case number 77-4412-9", "ID", "77-4412-9"),
    ("Card 4111 1111 1111 1111 expires", "ACCOUNT", "4111 1111 1111 1111"),
    ("Mobile: 0490 75 40 81", "PHONE", "0490 75 40 81"),
    ("license plate 7ABC123", "VEHICLE", "7ABC123"),
    ("Name: Okafor, Kwame", "NAME", "Okafor, Kwame"),
    ("[patient] ms. van der berg returns today.", "NAME", "van der berg"),
    ("Walla Walla, WA 99362", "CITY", "Walla Walla"),
    ("walla walla, wa 99362", "ZIP", "99362"),
]

NEGATIVES = [
    "BP 120/80, HR 72.",
    "Metformin 5 mg daily.",
    "History of Parkinson's disease.",
    "Bell's palsy resolved.",
    "Positive Murphy's sign.",
    "Pain is 7/10 today.",
    "Strength 5/5 bilaterally.",
    "She may need a walker.",
    "I will mark the spot.",
    "Doctor: What brings you in?",
    "A 45-year-old man.",
    "Hemoglobin A1c 7.2%.",
    "Follow up in 2 weeks.",
    "Take 1/2 tablet at night.",
    "Graves disease and Jones fracture.",
    "The patient lives with his wife.",
    "mr angiogram of the neck",
    "in 2019 she had surgery",
    "Platelets 250000, WBC 10.5.",
    "Call in 2 weeks if worse.",
    "for the first problem we will",
    "Fitzpatrick skin type IV.",
    "I'm short of breath.",
]


@pytest.mark.parametrize(("text", "phi_type", "value"), POSITIVES)
def test_positive(text: str, phi_type: str, value: str) -> None:
    found = [(s.type, s.text) for s in detect(text)]
    assert (phi_type, value) in found


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(text: str) -> None:
    assert detect(text) == []


def test_spans_point_into_text() -> None:
    text = "Dr. Irene Barrowman saw John Smith on 03/14/2023, MRN 00482913."
    spans = detect(text)
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(0.0 < s.score <= 1.0 for s in spans)


def test_hospitals_are_on_by_default_and_can_be_turned_off() -> None:
    text = "Transferred to Riverside Community Hospital."
    assert ("HOSPITAL", "Riverside Community Hospital") in [(s.type, s.text) for s in detect(text)]
    spans = Detector.create(hospitals=False).detect(text)
    assert not [s for s in spans if s.type == "HOSPITAL"]


def test_type_filter_and_bad_options() -> None:
    text = "John Smith, 555-123-4567"
    assert {s.type for s in detect(text, types={"PHONE"})} == {"PHONE"}
    with pytest.raises(ConfigError):
        Detector.create(["NOPE"])
    with pytest.raises(ConfigError):
        Detector.create(threshold=2.0)


def test_offsets_survive_unicode_whose_lower_case_is_longer() -> None:
    text = "İstanbul trip. Seen by Dr. Irene Barrowman on 03/14/2023, İİ MRN: 00482913."
    spans = detect(text)
    assert {(s.type, s.text) for s in spans} >= {
        ("NAME", "Irene Barrowman"),
        ("DATE", "03/14/2023"),
        ("MRN", "00482913"),
    }
    assert all(text[s.start : s.end] == s.text for s in spans)
