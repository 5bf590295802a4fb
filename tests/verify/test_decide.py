"""The decision table, as a table: checker results and an entailment in, a decision out."""

from __future__ import annotations

import pytest

from evident.verify.decide import CheckResult, Decision, borderline, decide, open_to_entailer
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
UNMENTIONED_FINDING = CheckResult(
    "finding", "missing", "no source mentions seizure", (), frozenset(), strict=True
)

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
        "a finding no word of which the source has: unsupported, however much else is found",
        [AGREE_FINDING, AGREE_FINDING, AGREE_FINDING, UNMENTIONED_FINDING],
        LEX_HIGH,
        True,
        False,
        "unsupported",
        "check:finding",
        "no source mentions seizure",
    ),
    (
        "the same finding missing in other words is a soft miss",
        [AGREE_FINDING, AGREE_FINDING, AGREE_FINDING, MISSING_FINDING],
        LEX_HIGH,
        True,
        False,
        "supported",
        "entail:lexical",
        "3 of 4",
    ),
    (
        "advice: an unmentioned finding of its condition is a soft miss",
        [AGREE_FINDING, AGREE_FINDING, AGREE_FINDING, UNMENTIONED_FINDING],
        LEX_HIGH,
        True,
        True,
        "supported",
        "advice",
        "advice",
    ),
    (
        "advice: without a wording score, the model's score is read as coverage",
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


SUPPORT_LOW = Entailment("neutral", 0.1, ("u1",), "learned alignment", "support", decisive=False)
SUPPORT_HIGH = Entailment("neutral", 0.8, ("u1",), "learned alignment", "support", decisive=False)
WORDS_HIGH = Entailment("neutral", 0.7, ("u2",), "wording overlap", "lexical", decisive=False)
WORDS_LOW = Entailment("neutral", 0.2, ("u2",), "wording overlap", "lexical", decisive=False)


@pytest.mark.parametrize(
    ("checks", "entailment", "wording", "wording_threshold", "label", "decided_by"),
    [
        # advice is judged on its wording, whichever entailer is configured
        pytest.param(
            [CONFLICT_FINDING],
            SUPPORT_LOW,
            WORDS_HIGH,
            0.4,
            "supported",
            "advice",
            id="support model low, instruction worded in the source",
        ),
        pytest.param(
            [CONFLICT_FINDING],
            LLM_NO,
            WORDS_HIGH,
            0.4,
            "supported",
            "advice",
            id="a model's label does not decide advice",
        ),
        pytest.param(
            [],
            SUPPORT_HIGH,
            WORDS_LOW,
            0.4,
            "unsupported",
            "advice",
            id="support model high, instruction not in the source",
        ),
        pytest.param(
            [],
            LLM_YES,
            WORDS_LOW,
            0.4,
            "unsupported",
            "advice",
            id="an entailing model does not carry unworded advice",
        ),
        # the wording cutoff, not the entailer's, decides advice
        pytest.param(
            [],
            SUPPORT_HIGH,
            WORDS_HIGH,
            0.8,
            "unsupported",
            "advice",
            id="wording below its own cutoff",
        ),
        # a condition the source never mentions, none found: unsupported
        pytest.param(
            [CONFLICT_FINDING, MISSING_FINDING],
            SUPPORT_HIGH,
            WORDS_HIGH,
            0.4,
            "unsupported",
            "advice",
            id="condition never mentioned",
        ),
        # its checked values still decide
        pytest.param(
            [MISSING_NUMBER],
            SUPPORT_HIGH,
            WORDS_HIGH,
            0.4,
            "unsupported",
            "check:number",
            id="a missing number in advice",
        ),
        pytest.param(
            [CONFLICT_DOSE],
            SUPPORT_HIGH,
            WORDS_HIGH,
            0.4,
            "contradicted",
            "check:dose",
            id="a dose conflict in advice",
        ),
    ],
)
def test_advice_is_judged_on_its_wording(
    checks: list[CheckResult],
    entailment: Entailment,
    wording: Entailment,
    wording_threshold: float,
    label: str,
    decided_by: str,
) -> None:
    d = decide(
        checks,
        entailment,
        clinical=True,
        threshold=0.4,
        advice=True,
        wording=wording,
        wording_threshold=wording_threshold,
    )
    assert (d.label, d.decided_by) == (label, decided_by), d.reason
    # the same statement as a claim is the entailer's and the condition checkers'
    if decided_by == "advice" and checks == [CONFLICT_FINDING]:
        claim = decide(checks, entailment, clinical=True, threshold=0.4, wording=wording)
        assert claim.label == "contradicted"


@pytest.mark.parametrize(
    ("checks", "advice", "open_"),
    [
        ([], False, True),
        ([AGREE_FINDING, MISSING_FINDING], False, True),
        ([MISSING_DRUG], False, False),
        ([CONFLICT_POLARITY], False, False),
        ([], True, False),  # advice is judged on its wording: the entailer is not asked
        ([CONFLICT_POLARITY], True, False),
    ],
)
def test_open_to_entailer(checks: list[CheckResult], advice: bool, open_: bool) -> None:
    assert open_to_entailer(checks, advice=advice) is open_


def _decision(label: str, by: str, score: float) -> Decision:
    return Decision(label, by, "", (), score)  # type: ignore[arg-type]


LEX = Entailment("neutral", 0.5, (), "", "lexical", decisive=False)
SUP = Entailment("neutral", 0.5, (), "", "support", decisive=False)


@pytest.mark.parametrize(
    ("decision", "entailment", "checked", "threshold", "band", "asked"),
    [
        # unsupported from band[0] below the cutoff, supported up to band[1] above it
        (_decision("unsupported", "entail:lexical", 0.3), LEX, False, 0.4, (0.15, 0.3), True),
        (_decision("unsupported", "entail:lexical", 0.2), LEX, False, 0.4, (0.15, 0.3), False),
        (_decision("supported", "entail:lexical", 0.6), LEX, False, 0.4, (0.15, 0.3), True),
        (_decision("supported", "entail:lexical", 0.75), LEX, False, 0.4, (0.15, 0.3), False),
        # a supported statement some checker vouched for is not borderline
        (_decision("supported", "entail:lexical", 0.45), LEX, True, 0.4, (0.15, 0.3), False),
        # the band follows the configured entailer's cutoff and band
        (_decision("unsupported", "entail:support", 0.5), SUP, False, 0.6, (0.15, 0.12), True),
        (_decision("supported", "entail:support", 0.6), SUP, False, 0.4, (0.15, 0.12), False),
        (_decision("supported", "entail:support", 0.5), SUP, False, 0.4, (0.15, 0.12), True),
        # not the entailer's verdict: checkers, advice, a decisive model
        (_decision("unsupported", "check:drug", 0.35), LEX, True, 0.4, (0.15, 0.3), False),
        (_decision("unsupported", "advice", 0.35), SUP, False, 0.4, (0.15, 0.3), False),
        (_decision("unsupported", "entail:llm", 0.35), LLM_NO, False, 0.4, (0.15, 0.3), False),
        (_decision("unsupported", "entail:none", 0.35), None, False, 0.4, (0.15, 0.3), False),
    ],
)
def test_borderline_asks_a_judge(
    decision: Decision,
    entailment: Entailment | None,
    checked: bool,
    threshold: float,
    band: tuple[float, float],
    asked: bool,
) -> None:
    got = borderline(decision, entailment, checked=checked, threshold=threshold, band=band)
    assert got is asked
