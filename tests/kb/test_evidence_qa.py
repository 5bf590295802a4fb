"""Task evidence_qa: offline extractive answers, abstention, model answers, citation checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from evident.errors import InputError
from evident.models.base import Generation, GenerationRequest
from evident.tasks.base import load_task
from evident.tasks.evidence_qa import (
    ABSTAIN_TEXT,
    AnswerOutput,
    AnswerSentence,
    ask,
    build_messages,
    build_source,
    check_citations,
    verify_answer,
)
from evident.types import Draft, ModelInfo, Section, Statement

TODAY = date(2026, 11, 22)


class FakeBackend:
    """A model that returns a fixed answer (no network)."""

    spec = "fake:model"
    name = "fake"
    model = "fake-model"
    offline = False
    local = True

    def __init__(self, output: AnswerOutput) -> None:
        self.output = output
        self.requests: list[GenerationRequest[Any]] = []

    def generate(self, request: GenerationRequest[Any]) -> Generation[Any]:
        self.requests.append(request)
        return Generation(value=self.output, raw=self.output.model_dump_json(), model=self.model)


def _kinds(run) -> list[str]:
    return [f.kind for f in run.report.findings]


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("What is the first-line drug treatment for hypertension?", "hypertension"),
        ("Which controller treatment is used for persistent asthma?", "asthma"),
        ("Did zelimab lower fasting glucose compared with placebo?", "pmid:91000001"),
    ],
)
def test_offline_answer_quotes_and_cites_retrieved_passages(tiny_kb, question, doc_id):
    run = ask(question, tiny_kb, "offline", today=TODAY)
    meta = run.draft.meta
    assert meta["abstained"] is False
    assert meta["certainty"] in {"high", "moderate", "low"}
    assert run.model.offline
    retrieved = {s.id: s for s in run.sources[0].segments}
    assert run.draft.statements
    for st in run.draft.statements:
        assert len(st.citations) == 1
        cited = retrieved[st.citations[0]]
        assert st.text in cited.text  # extractive: quoted verbatim from its own passage
    assert run.draft.statements[0].citations[0].startswith(doc_id + "#")
    evidence = meta["evidence"]
    assert {e["passage_id"] for e in evidence} == {
        c for st in run.draft.statements for c in st.citations
    }
    assert all(e["title"] and e["source"] and e["quote"] for e in evidence)
    assert not {"citation_missing", "citation_absent", "citation_unsupported"} & set(_kinds(run))
    assert run.report.metrics["sentences_supported_by_citation"] == 1.0


@pytest.mark.parametrize(
    "question",
    [
        "What is the boiling point of liquid nitrogen?",
        "Which football club won the cup?",
        "hypertension quantum entanglement superconductivity chromodynamics",
    ],
)
def test_offline_engine_abstains_when_evidence_does_not_answer(tiny_kb, question):
    run = ask(question, tiny_kb, "offline", today=TODAY)
    assert run.draft.meta["abstained"] is True
    assert [st.text for st in run.draft.statements] == [ABSTAIN_TEXT]
    assert run.draft.statements[0].citations == ()
    assert run.draft.meta["evidence"] == []
    assert not {"citation_absent", "stale_evidence"} & set(_kinds(run))


@pytest.mark.parametrize(("max_age", "stale"), [(10, True), (20, False)])
def test_stale_evidence_is_flagged_by_configurable_age(tiny_kb, max_age, stale):
    run = ask("first-line drug treatment hypertension", tiny_kb, "offline",
              max_age_years=max_age, today=TODAY)  # fmt: skip
    cited = {c for st in run.draft.statements for c in st.citations}
    assert "hypertension#3" in cited  # the guideline is dated 2012-05-01
    flagged = {f.where for f in run.report.findings if f.kind == "stale_evidence"}
    assert ("hypertension#3" in flagged) is stale


class RemoteBackend(FakeBackend):
    """The same fake, declared remote: the privacy policy protects what it is sent."""

    local = False


def test_question_reaches_a_remote_model_protected(tiny_kb):
    output = AnswerOutput(
        certainty="moderate",
        sentences=[
            AnswerSentence(
                text="A thiazide diuretic is a first-line drug treatment for hypertension.",
                citations=["hypertension#3"],
            )
        ],
    )
    backend = RemoteBackend(output)
    question = "Should Mrs. Eleanor Whitfield start a first-line drug for hypertension?"
    run = ask(question, tiny_kb, backend, today=TODAY)
    sent = " ".join(m.content for r in backend.requests for m in r.messages)
    assert "Whitfield" not in sent and "Eleanor" not in sent
    assert "hypertension" in sent
    assert run.draft.meta["question"] == question  # restored for the clinician
    assert run.privacy["protected"] is True and run.privacy["counts"].get("NAME")


class _Trail:
    """An audit hook that keeps what it is given."""

    def __init__(self) -> None:
        self.runs: list[Any] = []

    def record_run(self, run: Any) -> None:
        self.runs.append(run)


def test_audited_run_carries_the_citation_findings(tiny_kb):
    trail = _Trail()
    run = ask("first-line drug treatment hypertension", tiny_kb, "offline",
              max_age_years=10, today=TODAY, audit=trail)  # fmt: skip
    (recorded,) = trail.runs
    assert "stale_evidence" in {f.kind for f in recorded.report.findings}
    assert recorded.report == run.report
    assert recorded.report.omissions == ()


def test_model_answer_may_cite_only_retrieved_passages(tiny_kb):
    output = AnswerOutput(
        certainty="moderate",
        sentences=[
            AnswerSentence(
                text="An inhaled corticosteroid is the controller treatment for persistent "
                "asthma symptoms.",
                citations=["asthma#2", "pmid:99999999#1"],
            ),
            AnswerSentence(text="Montelukast cures asthma.", citations=["pmid:99999999#1"]),
        ],
    )
    backend = FakeBackend(output)
    run = ask("controller treatment for persistent asthma", tiny_kb, backend, today=TODAY)
    sts = run.draft.statements
    assert sts[0].citations == ("asthma#2",)
    assert sts[1].citations == ()
    assert run.draft.meta["dropped_citations"] == [
        {"statement": "st1", "citation": "pmid:99999999#1"},
        {"statement": "st2", "citation": "pmid:99999999#1"},
    ]
    assert ("citation_absent", "st2") in [(f.kind, f.where) for f in run.report.findings]
    assert run.draft.meta["certainty"] == "moderate"
    assert run.usage is not None
    prompt = backend.requests[0].messages[-1].content
    assert "[asthma#2]" in prompt and "controller treatment for persistent asthma" in prompt


def test_model_abstention_is_an_abstention(tiny_kb):
    run = ask("asthma", tiny_kb, FakeBackend(AnswerOutput(abstain=True)), today=TODAY)
    assert run.draft.meta["abstained"] is True
    assert run.draft.statements[0].text == ABSTAIN_TEXT


def _draft(*statements: Statement) -> Draft:
    return Draft(
        task="evidence_qa",
        sections=(Section(name="Answer", statements=statements),),
        model=ModelInfo(spec="test", backend="test", name="test"),
        prompt_version="evidence_qa/1.0",
        meta={"abstained": False},
    )


@pytest.mark.parametrize(
    ("text", "citations", "kind"),
    [
        ("An inhaled corticosteroid is the controller treatment for persistent asthma "
         "symptoms.", ("hypertension#3",), "citation_unsupported"),
        ("An inhaled corticosteroid is the controller treatment for persistent asthma "
         "symptoms.", ("asthma#9",), "citation_missing"),
        ("An inhaled corticosteroid is the controller treatment for persistent asthma "
         "symptoms.", (), "citation_absent"),
        ("An inhaled corticosteroid is the controller treatment for persistent asthma "
         "symptoms.", ("asthma#2",), None),
    ],
)  # fmt: skip
def test_each_sentence_is_checked_against_its_own_citation(tiny_kb, text, citations, kind):
    hits = tiny_kb.search("asthma controller hypertension treatment", k=10)
    source = build_source(hits)
    assert {"asthma#2", "hypertension#3"} <= {s.id for s in source.segments}
    draft = _draft(Statement(id="st1", text=text, section="Answer", citations=citations))
    report = verify_answer(draft, [source], max_age_years=50, today=TODAY)
    kinds = {f.kind for f in report.findings if f.where == "st1"}
    citation_kinds = kinds & {"citation_unsupported", "citation_missing", "citation_absent"}
    assert citation_kinds == ({kind} if kind else set())


def test_undated_evidence_is_reported_as_info(tiny_kb):
    source = build_source(tiny_kb.search("alcohol rub hand hygiene", k=1))
    draft = _draft(
        Statement(
            id="st1",
            text="Soap and water are preferred when hands are visibly soiled.",
            citations=("handwashing#1",),
        )
    )
    findings, metrics = check_citations(draft, verify_answer(draft, [source]), [source])
    assert [(f.kind, f.severity) for f in findings] == [("evidence_undated", "info")]
    assert metrics["citations_retrieved"] == 1.0


def test_task_is_registered_and_needs_a_question(tiny_kb):
    task = load_task("evidence_qa")
    assert task.prompt_version == "evidence_qa/1.0"
    source = build_source(tiny_kb.search("asthma", k=2))
    from evident.models.registry import load_backend

    with pytest.raises(InputError, match="question"):
        task.draft([source], load_backend("offline"), {})
    draft, _ = task.draft([source], load_backend("offline"), {"question": "asthma reliever"})
    assert draft.task == "evidence_qa"


def test_no_retrieved_passage_abstains_without_calling_the_model(tiny_kb):
    backend = FakeBackend(AnswerOutput(sentences=[AnswerSentence(text="x", citations=[])]))
    task = load_task("evidence_qa")
    draft, _ = task.draft([build_source([])], backend, {"question": "anything at all"})
    assert draft.meta["abstained"] is True
    assert backend.requests == []


def test_prompt_lists_passages_with_ids_and_provenance(tiny_kb):
    source = build_source(tiny_kb.search("telemonitoring hypertension", k=2))
    system, user = build_messages("Does telemonitoring help?", list(source.segments))
    assert "ONLY" in system.content and "JSON" in system.content
    assert "[pmid:90000001#" in user.content and "2021-03-04" in user.content
    assert "Does telemonitoring help?" in user.content
