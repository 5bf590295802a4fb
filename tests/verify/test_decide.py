"""The decision table, as a table: checker results and an entailment in, a decision out."""

from __future__ import annotations

import pytest

from evident.verify.decide import CheckResult, Decision, decide
from evident.verify.entail import Entailment

AGREE_DOSE = CheckResult("dose", "agree", "found", ("u3",))
CONFLICT_DOSE = CheckResult("dose", "conflict", "transcript says 400 mg, note says 800 mg", ("u4",))
MISSING_DRUG = CheckResult("drug", "missing", "transcript never names metformin")
MISSING_NUMBER = CheckResult("number", "missing", "transcript never says 12")
AGREE_FINDING = CheckResult("finding", "agree", "found", ("u5",))
MISSING_FINDING = CheckResult("finding", "missing", "transcript never mentions cough")
CONFLICT_POLARITY = CheckResult(
    "polarity", "conflict", "transcript says no fever; note says fever", ("u6",)
)
CONFLICT_FINDING = CheckResult("finding", "conflict", "transcript says no fever", ("u6",))

LEX_HIGH = Entailment("neutral", 0.9, ("u1", "u2"), "wording overlap", "lexical", decisive=False)
LEX_LOW = Entailment("neutral", 0.2, ("u1",), "wording overlap", "lexical", decisive=False)
LLM_YES = Entailment("entailed", 0.95, ("u9",), "u9 states it", "llm")
LLM_NO = Entailment("neutral", 0.1, ("u9",), "not mentioned", "llm")
LLM_CONTRA = Entailment("contradicted", 0.05, ("u9",), "u9 says the left knee", "llm")

CASES = [
    # id, checks, entailment, clinical, advice, label, decided_by, reason starts with
    (
        "not clinical",
        [CONFLICT_DOSE],
        LEX_HIGH,
        False,
        False,
        "no_clinical_content",
        "no_clinical_content",
        "no clinical",
    ),
    (
        "dose conflict",
        [AGREE_FINDING, CONFLICT_DOSE],
        LEX_HIGH,
        True,
        False,
        "contradicted",
        "check:dose",
        "transcript says 400 mg",
    ),
    (
        "first conflict wins",
        [CONFLICT_POLARITY, CONFLICT_DOSE],
        LEX_HIGH,
        True,
        False,
        "contradicted",
        "check:polarity",
        "transcript says no fever",
    ),
    (
        "conflict beats an entailing model",
        [CONFLICT_DOSE],
        LLM_YES,
        True,
        False,
        "contradicted",
        "check:dose",
        "transcript says 400",
    ),
    (
        "missing drug",
        [AGREE_FINDING, MISSING_DRUG],
        LEX_HIGH,
        True,
        False,
        "unsupported",
        "check:drug",
        "transcript never names",
    ),
    (
        "missing drug beats an entailing model",
        [MISSING_DRUG],
        LLM_YES,
        True,
        False,
        "unsupported",
        "check:drug",
        "transcript never names",
    ),
    (
        "named fact before a bare number",
        [MISSING_NUMBER, MISSING_DRUG],
        LEX_HIGH,
        True,
        False,
        "unsupported",
        "check:drug",
        "transcript never names",
    ),
    (
        "lexical high, soft facts found",
        [AGREE_FINDING],
        LEX_HIGH,
        True,
        False,
        "supported",
        "entail:lexical",
        "1 of 1",
    ),
    (
        "lexical low, soft facts found",
        [AGREE_FINDING],
        LEX_LOW,
        True,
        False,
        "supported",
        "entail:lexical",
        "1 of 1",
    ),
    (
        "lexical high, no soft fact found",
        [MISSING_FINDING],
        LEX_HIGH,
        True,
        False,
        "unsupported",
        "entail:lexical",
        "transcript never mentions",
    ),
    (
        "lexical wording only, high",
        [],
        LEX_HIGH,
        True,
        False,
        "supported",
        "entail:lexical",
        "wording found",
    ),
    (
        "lexical wording only, low",
        [],
        LEX_LOW,
        True,
        False,
        "unsupported",
        "entail:lexical",
        "no source segment",
    ),
    (
        "hard fact found lifts low wording",
        [AGREE_DOSE],
        LEX_LOW,
        True,
        False,
        "supported",
        "entail:lexical",
        "1 of 1",
    ),
    (
        "model entails paraphrase",
        [MISSING_FINDING],
        LLM_YES,
        True,
        False,
        "supported",
        "entail:llm",
        "u9 states it",
    ),
    (
        "model: absence is not support",
        [AGREE_FINDING],
        LLM_NO,
        True,
        False,
        "unsupported",
        "entail:llm",
        "not mentioned",
    ),
    (
        "model contradicts",
        [],
        LLM_CONTRA,
        True,
        False,
        "contradicted",
        "entail:llm",
        "u9 says the left knee",
    ),
    (
        "no entailer, nothing found",
        [],
        None,
        True,
        False,
        "unsupported",
        "entail:none",
        "no source segment",
    ),
    (
        "advice: condition's negation does not contradict",
        [CONFLICT_FINDING],
        LEX_HIGH,
        True,
        True,
        "supported",
        "advice",
        "advice",
    ),
    (
        "advice: polarity conflict ignored",
        [CONFLICT_POLARITY],
        LEX_LOW,
        True,
        True,
        "unsupported",
        "advice",
        "advice",
    ),
    (
        "advice: dose conflict still contradicts",
        [CONFLICT_DOSE],
        LEX_HIGH,
        True,
        True,
        "contradicted",
        "check:dose",
        "transcript says 400",
    ),
    (
        "advice: model decides it",
        [CONFLICT_POLARITY],
        LLM_YES,
        True,
        True,
        "supported",
        "advice",
        "advice",
    ),
]


@pytest.mark.parametrize(
    ("checks", "entailment", "clinical", "advice", "label", "decided_by", "reason"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_decision_table(
    checks: list[CheckResult],
    entailment: Entailment | None,
    clinical: bool,
    advice: bool,
    label: str,
    decided_by: str,
    reason: str,
) -> None:
    d = decide(checks, entailment, clinical=clinical, threshold=0.4, advice=advice)
    assert isinstance(d, Decision)
    assert (d.label, d.decided_by) == (label, decided_by)
    assert d.reason.startswith(reason)
    assert 0.0 <= d.score <= 1.0


@pytest.mark.parametrize(
    ("checks", "entailment", "evidence"),
    [
        ([CONFLICT_DOSE], LEX_HIGH, ("u4",)),
        ([AGREE_DOSE, AGREE_FINDING], LEX_HIGH, ("u3", "u5")),
        ([], LEX_HIGH, ("u1", "u2")),
        ([], LLM_YES, ("u9",)),
    ],
)
def test_evidence(
    checks: list[CheckResult], entailment: Entailment, evidence: tuple[str, ...]
) -> None:
    assert decide(checks, entailment, clinical=True, threshold=0.4).evidence == evidence


@pytest.mark.parametrize(
    ("threshold", "label"),
    [(0.3, "supported"), (0.5, "unsupported"), (0.9, "unsupported")],
)
def test_threshold_moves_only_wording_decisions(threshold: float, label: str) -> None:
    ent = Entailment("neutral", 0.4, ("u1",), "", "lexical", decisive=False)
    assert decide([], ent, clinical=True, threshold=threshold).label == label
    # a conflict is a contradiction whatever the threshold
    assert decide([CONFLICT_DOSE], ent, clinical=True, threshold=threshold).label == "contradicted"


def test_decide_is_pure() -> None:
    checks = (AGREE_FINDING, MISSING_NUMBER)
    first = decide(checks, LEX_HIGH, clinical=True, threshold=0.4)
    assert decide(checks, LEX_HIGH, clinical=True, threshold=0.4) == first
    assert checks == (AGREE_FINDING, MISSING_NUMBER)
