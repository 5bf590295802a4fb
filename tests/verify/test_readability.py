"""Reading level of patient-facing drafts."""

from __future__ import annotations

import pytest

from evident.types import Source
from evident.verify import verify
from evident.verify.readability import fk_grade, reading_level_finding

from .conftest import make_draft

SIMPLE = "Your knee is sore. Rest it. Use ice. Call us if it gets worse."
HARD = (
    "Intra-articular corticosteroid administration demonstrates considerable "
    "effectiveness regarding symptomatic amelioration of degenerative osteoarthritic "
    "inflammation, notwithstanding potential complications."
)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [(SIMPLE, -5, 4), (HARD, 14, 40), ("", None, None), ("123 ...", None, None)],
)
def test_fk_grade(text: str, low: float | None, high: float | None) -> None:
    grade = fk_grade(text)
    if low is None:
        assert grade is None
    else:
        assert grade is not None and low <= grade <= high


def test_finding_only_for_patient_facing(transcript: Source) -> None:
    hard = make_draft(HARD)
    assert reading_level_finding(hard) is None  # task "test" is not patient-facing
    finding = reading_level_finding(hard, patient_facing=True)
    assert finding is not None and finding.severity == "warning"
    easy = reading_level_finding(make_draft(SIMPLE), patient_facing=True)
    assert easy is not None and easy.severity == "info"
    report = verify(hard, [transcript], patient_facing=True, omissions=False)
    assert any(f.kind == "reading_level" for f in report.findings)
    patient_draft = hard.model_copy(update={"meta": {"audience": "patient"}})
    assert reading_level_finding(patient_draft) is not None
