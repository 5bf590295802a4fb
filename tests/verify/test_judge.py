"""The judge interface: LLMJudge on a fake backend, and how its use is recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from evident.models.base import Generation, GenerationRequest
from evident.types import Segment, Source, Statement
from evident.verify import JudgeAnswer, JudgeDecision, LLMJudge, verify
from evident.verify.options import VerifyOptions

from .conftest import make_draft


class FakeBackend:
    """Answers every request with a fixed judge answer and records the requests."""

    spec = "fake:judge"
    name = "fake"
    model = "judge-model"
    offline = False
    local = True

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.requests: list[GenerationRequest[Any]] = []

    def generate(self, request: GenerationRequest[Any]) -> Generation[Any]:
        self.requests.append(request)
        value = request.output_type.model_validate(self.answer)
        return Generation(value=value, raw=str(self.answer), model=self.model)


class BrokenJudge:
    name = "broken"

    def decide(self, statement: Statement, segments: Sequence[Segment]) -> JudgeDecision:
        raise RuntimeError("judge down")


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        ({"label": "supported", "evidence": ["u2"], "reason": "patient says so"}, "supported"),
        ({"label": "contradicted", "evidence": ["u2"], "reason": "other side"}, "contradicted"),
        ({"label": "unsupported", "evidence": [], "reason": ""}, "unsupported"),
    ],
)
def test_llm_judge_decides(answer: dict[str, Any], label: str) -> None:
    backend = FakeBackend(answer)
    judge = LLMJudge(backend)
    seg = Segment(id="u2", text="my knee hurts", start=0, end=13, speaker="patient")
    decision = judge.decide(Statement(id="st1", text="Knee pain."), [seg])
    assert decision.label == label
    req = backend.requests[0]
    assert req.output_type is JudgeAnswer
    assert "[u2] patient: my knee hurts" in req.messages[-1].content
    assert judge.name == "llm:judge-model"


@pytest.mark.parametrize("entailer", ["support", "lexical"])
def test_judge_used_only_when_rules_undecided(transcript: Source, entailer: str) -> None:
    """A borderline wording verdict goes to the judge whichever graded entailer decided it."""
    backend = FakeBackend({"label": "supported", "evidence": ["u4"], "reason": "judge says"})
    draft = make_draft("She has been walking a lot on it lately.", "She reports fever.")
    opts = VerifyOptions(entailer=entailer, omissions=False)
    report = verify(draft, [transcript], judge=LLMJudge(backend), options=opts)
    first, second = report.verdicts
    assert second.label == "contradicted" and second.judge == "rules"
    assert first.judge == "llm:judge-model" and first.reason == "judge says"
    suffix = "" if entailer == "support" else f"+entail:{entailer}"
    assert report.verifier == f"rules/2{suffix}+judge:llm:judge-model"
    assert report.metrics["judged"] == 1
    assert len(backend.requests) == 1


def test_failing_judge_keeps_rules_verdict(transcript: Source) -> None:
    draft = make_draft("She has been walking a lot on it lately.")
    plain = verify(draft, [transcript], omissions=False).verdicts[0]
    judged = verify(draft, [transcript], judge=BrokenJudge(), omissions=False).verdicts[0]
    assert judged == plain


def test_judge_answer_schema_forbids_extra() -> None:
    with pytest.raises(ValueError):
        JudgeAnswer.model_validate({"label": "supported", "extra": 1})
