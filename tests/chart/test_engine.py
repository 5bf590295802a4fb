"""The offline chart engine on a fixture record: what it says, what it leaves out."""

from __future__ import annotations

from datetime import date

import pytest

from evident.tasks.chart import abnormal, chart_record, write_chart
from evident.tasks.chart.engine import clean_display
from evident.types import Source


def _summary(
    source: Source, as_of: date = date(2024, 6, 1), gaps=()
) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    sections = write_chart(chart_record([source], as_of), gaps)
    return {s.name: [(st.text, st.citations) for st in s.statements] for s in sections}


@pytest.mark.parametrize(
    ("section", "expected", "cites"),
    [
        ("Patient", "Patient: female, born 1960-02-03.", ("Patient/p1",)),
        (
            "Active problems",
            "Active problem: Essential hypertension, onset 2015-04-01.",
            ("Condition/c1",),
        ),
        (
            "Medications",
            "Current medication: Amlodipine 5 MG Oral Tablet; dose 1 tablet; "
            "instructions: one tablet daily; prescribed 2023-05-01.",
            ("MedicationRequest/m1",),
        ),
        (
            "Allergies",
            "Allergy: Penicillin allergy (criticality high).",
            ("AllergyIntolerance/a1",),
        ),
        (
            "Immunizations",
            "Immunization: Influenza vaccine, given 2023-10-01 (latest).",
            ("Immunization/i1",),
        ),
        (
            "Recent encounters",
            "Encounter: Office visit, from 2024-03-01 (finished).",
            ("Encounter/e1",),
        ),
        ("Recent procedures", "Procedure: Colonoscopy, performed 2023-12-01.", ("Procedure/pr1",)),
    ],
)
def test_sections(
    record_source: Source, section: str, expected: str, cites: tuple[str, ...]
) -> None:
    assert (expected, cites) in _summary(record_source)[section]


@pytest.mark.parametrize(
    ("absent", "why"),
    [
        ("Ankle sprain", "a resolved condition is no active problem"),
        ("Type 2 diabetes", "a refuted diagnosis is left out"),
        ("Naproxen", "a stopped medication is not current"),
        ("Total cholesterol", "a result older than a year is not recent"),
        ("Latex allergy", "a refuted allergy is left out"),
    ],
)
def test_left_out(record_source: Source, absent: str, why: str) -> None:
    text = " ".join(t for items in _summary(record_source).values() for t, _ in items)
    assert absent not in text, why


@pytest.mark.parametrize(
    ("needle", "section"),
    [
        ("Hemoglobin A1c 6.1 %, effective 2024-03-01 (high)", "Abnormal results"),  # default range
        (
            "Potassium 4.2 mmol/L, effective 2024-03-01 (high)",
            "Abnormal results",
        ),  # interpretation H
        (
            "Body weight 80 kg, effective 2024-03-01 "
            "(previous 70 kg, effective 2023-03-01, rising)",
            "Vital signs",
        ),
    ],
)
def test_results_and_trends(record_source: Source, needle: str, section: str) -> None:
    assert any(needle in text for text, _ in _summary(record_source)[section])


def test_record_range_beats_default(record_source: Source) -> None:
    # Sodium 150 is high by the adult range, normal by the record's own 120-160.
    text = " ".join(t for t, _ in _summary(record_source).get("Abnormal results", []))
    assert "Sodium" not in text
    assert any("Sodium 150 mmol/L" in t for t, _ in _summary(record_source)["Recent results"])


def test_care_gaps_cite_their_evidence(record_source: Source) -> None:
    gap = {
        "measure": "CMS1Example",
        "explanation": "No screening.",
        "evidence": ["Patient/p1", "Encounter/e1"],
    }
    items = _summary(record_source, gaps=[gap])["Care gaps"]
    assert items == [("Open care gap: CMS1Example. No screening.", ("Patient/p1", "Encounter/e1"))]


def test_default_as_of_is_the_latest_date(record_source: Source) -> None:
    assert chart_record([record_source]).as_of == date(2024, 3, 1)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Hypertension (disorder)", "Hypertension"),
        ("Colonoscopy (procedure)", "Colonoscopy"),
        ("Fever", "Fever"),
    ],
)
def test_clean_display(text: str, clean: str) -> None:
    assert clean_display(text) == clean


def test_abnormal_needs_the_same_unit(record_source: Source) -> None:
    facts = chart_record([record_source]).by_ref["Observation/o1"]
    assert abnormal(facts) == "high"
    assert abnormal(type(facts)(**{**facts.__dict__, "unit": "mmol/mol"})) == ""


def test_fixture_coverage_counts_record_flagged_abnormal_results(record_source: Source) -> None:
    import json

    from evident.tasks.chart.coverage import expected_facts, summary_coverage
    from tests.chart.conftest import bundle_text

    bundle = json.loads(bundle_text())
    as_of = date(2024, 6, 1)
    expected = expected_facts(bundle, as_of)
    assert expected == {
        "condition": ["Essential hypertension"],
        "medication": ["Amlodipine 5 MG Oral Tablet", "Vitamin D 1000 UNT Oral Tablet"],
        "allergy": ["Penicillin allergy"],
        "abnormal": ["Potassium"],
    }
    text = "\n".join(t for items in _summary(record_source, as_of).values() for t, _ in items)
    coverage = summary_coverage(bundle, text, as_of)
    assert all(coverage.share(kind) == 1.0 for kind in expected)
    assert summary_coverage(bundle, "nothing", as_of).share("abnormal") == 0.0
