"""Verdicts, omissions and metrics of the validation layer (table of cases)."""

from __future__ import annotations

import pytest

from evident.errors import InputError
from evident.sources import load_source
from evident.types import Source
from evident.verify import draft_from_note, verify

from .conftest import make_draft


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        ("The patient has right knee pain for 2 weeks.", "supported", ""),
        ("She takes ibuprofen 400 mg twice a day.", "supported", ""),
        ("Lisinopril will be increased to 40 mg daily.", "supported", ""),
        ("She denies fever or chills.", "supported", ""),
        ("She reports knee swelling after walking.", "supported", ""),
        ("Blood pressure 150/90, heart rate 72.", "supported", ""),
        ("Allergic to penicillin.", "supported", ""),
        ("Hemoglobin A1c 8.2%.", "supported", ""),
        ("X-ray of the right knee ordered; referral to physical therapy.", "supported", ""),
        # contradictions: dose, unit, frequency, number, negation, laterality, drug, vitals
        ("She takes ibuprofen 800 mg twice a day.", "contradicted", "ibuprofen 400 mg"),
        ("She takes ibuprofen 400 mcg twice a day.", "contradicted", "note says 400 mcg"),
        ("She takes ibuprofen 400 mg three times a day.", "contradicted", "BID"),
        ("Her knee has hurt for 2 months.", "contradicted", "says 2 week"),
        ("She reports fever.", "contradicted", "says no fever"),
        ("She denies knee swelling.", "contradicted", "says has swelling"),
        ("Left knee pain for 2 weeks.", "contradicted", "says right knee"),
        ("She takes naproxen twice a day for the knee.", "contradicted", "says ibuprofen"),
        ("Blood pressure 130/80.", "contradicted", "150/90"),
        ("Hemoglobin A1c 6.1%.", "contradicted", "a1c 8.2%"),
        ("No known drug allergies.", "contradicted", "penicillin"),
        # confabulations: nothing in the source
        ("She has a history of atrial fibrillation.", "unsupported", "atrial fibrillation"),
        ("Started metformin 500 mg.", "unsupported", "metformin"),
        ("He has a history of type 2 diabetes.", "unsupported", "mentions diabetes"),
        ("Her LDL was 190.", "unsupported", ""),
        # no clinical content
        ("Good morning.", "no_clinical_content", ""),
        ("ASSESSMENT AND PLAN:", "no_clinical_content", ""),
        ("2.", "no_clinical_content", ""),
        ("The patient understands and agrees with the plan.", "no_clinical_content", ""),
        # a sub-heading of past history, and the counselling attestation of a template
        ("Medical", "no_clinical_content", ""),
        (
            "After reviewing the patient's examination today, I have had a lengthy discussion"
            " with the patient in regards to her current symptoms.",
            "no_clinical_content",
            "",
        ),
    ],
)
def test_verdicts(transcript: Source, statement: str, label: str, reason_part: str) -> None:
    report = verify(make_draft(statement), [transcript], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, v
    assert reason_part in v.reason
    if label == "supported":
        assert v.evidence and v.score >= 0.5
    if label == "contradicted":
        assert v.evidence and all(transcript.segment(i) for i in v.evidence)
        assert v.score <= 0.2


def test_never_trusts_citations(transcript: Source) -> None:
    draft = make_draft("She takes ibuprofen 400 mg twice a day.")
    st = draft.statements[0].model_copy(update={"citations": ("u1", "u99")})
    draft = draft.model_copy(
        update={"sections": (draft.sections[0].model_copy(update={"statements": (st,)}),)}
    )
    report = verify(draft, [transcript], omissions=False)
    assert report.verdicts[0].label == "supported"
    assert "u8" in report.verdicts[0].evidence
    assert any(f.kind == "citation_missing" and "u99" in f.message for f in report.findings)


def test_omissions_ranked(transcript: Source) -> None:
    report = verify(make_draft("Right knee pain for 2 weeks."), [transcript])
    kinds = [o.kind for o in report.omissions]
    assert "allergy" in kinds and "medication_change" in kinds and "abnormal_vital" in kinds
    weights = [o.importance for o in report.omissions]
    assert weights == sorted(weights, reverse=True)
    assert all(transcript.segment(o.segment) for o in report.omissions)
    covered = verify(make_draft("Allergic to penicillin."), [transcript])
    assert "allergy" not in [o.kind for o in covered.omissions]


def test_metrics(transcript: Source) -> None:
    draft = make_draft("Hello.", "Right knee pain.", "She reports fever.", "History of gout.")
    m = verify(draft, [transcript]).metrics
    assert m["statements"] == 4 and m["clinical_statements"] == 3
    assert m["supported"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["contradicted"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["unsupported"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["omissions"] >= 1


def test_note_to_note() -> None:
    source = load_source(
        "MEDICATIONS:\nMetoprolol 25 mg twice daily.\n\nALLERGIES:\nSulfa.\n", kind="note"
    )
    report = verify(make_draft("Metoprolol 50 mg twice daily."), [source], omissions=False)
    assert report.verdicts[0].label == "contradicted"
    assert "source note says metoprolol 25 mg" in report.verdicts[0].reason


def test_draft_from_note_sections() -> None:
    draft = draft_from_note("HPI:\nKnee pain for two weeks. No fever.\n\nPLAN:\nIbuprofen.\n")
    assert [s.name for s in draft.sections] == ["HPI", "PLAN"]
    assert [st.id for st in draft.statements] == ["st1", "st2", "st3"]
    assert draft.statements[2].section == "PLAN"


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_draft_from_empty_note_fails(text: str) -> None:
    with pytest.raises(InputError):
        draft_from_note(text)


def test_empty_sources_fail() -> None:
    with pytest.raises(InputError, match="no segments"):
        verify(make_draft("Knee pain."), [])


def test_unparsed_statement_is_reported_not_dropped(transcript: Source) -> None:
    report = verify(make_draft("Quantum flux capacitor realigned."), [transcript])
    assert len(report.verdicts) == 1 and report.verdicts[0].label == "unsupported"
    assert any(f.kind == "no_clinical_facts" for f in report.findings)


def test_long_statement_truncated_and_reported(transcript: Source) -> None:
    report = verify(make_draft("Knee pain. " * 1000), [transcript], omissions=False)
    assert any(f.kind == "statement_truncated" for f in report.findings)


def test_mismatched_source_is_flagged(transcript: Source) -> None:
    draft = make_draft(
        "Atrial fibrillation on apixaban 5 mg.", "Creatinine 2.4.", "Metformin 1000 mg BID."
    )
    report = verify(draft, [transcript], omissions=False)
    assert any(f.kind == "source_mismatch" for f in report.findings)


def test_statement_ids_preserved(transcript: Source) -> None:
    draft = make_draft("Right knee pain.", "Fever.")
    report = verify(draft, [transcript])
    assert [v.statement_id for v in report.verdicts] == [st.id for st in draft.statements]
    assert report.verifier == "rules/2"


def test_oversized_source_is_refused() -> None:
    from evident.types import Segment
    from evident.verify.index import MAX_SEGMENTS

    segs = tuple(
        Segment(id=f"u{i}", text="ok", start=0, end=2, kind="utterance")
        for i in range(MAX_SEGMENTS + 1)
    )
    big = Source(id="big", kind="transcript", text="ok", segments=segs)
    with pytest.raises(InputError, match="over the limit"):
        verify(make_draft("Knee pain."), [big])
