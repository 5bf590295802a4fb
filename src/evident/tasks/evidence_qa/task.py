"""The ``evidence_qa`` task: a question and retrieved passages in, a cited answer out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend
from evident.tasks.evidence_qa.citations import verify_answer
from evident.tasks.evidence_qa.evidence import evidence_list, passage_segments
from evident.tasks.evidence_qa.llm import AnswerOutput, generate_answer
from evident.tasks.evidence_qa.offline import answer_offline
from evident.tasks.evidence_qa.settings import PROMPT_VERSION, load_settings
from evident.types import Draft, ModelInfo, Report, Section, Source, Statement, Usage

__all__ = ["ABSTAIN_TEXT", "SECTION", "EvidenceQATask"]

SECTION = "Answer"
ABSTAIN_TEXT = "The retrieved evidence does not answer this question."


def _question(options: Mapping[str, Any]) -> str:
    question = options.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InputError("evidence_qa needs a non-empty 'question' option")
    return question.strip()


class EvidenceQATask:
    """Answers a clinical question from retrieved literature passages, citing them.

    The sources are ``literature`` Sources whose ``passage`` segments are the retrieved
    passages (see :func:`evident.tasks.evidence_qa.build_source`). Options:
    ``question`` (required), ``max_sentences`` (offline engine).

    ``Draft.meta`` holds ``question``, ``abstained``, ``certainty``, ``evidence`` (title,
    source, date and quote of each cited passage), ``retrieved`` (all passage ids),
    ``engine`` and, for a model answer, ``dropped_citations`` (ids the model cited that
    were not retrieved; they are removed from the statements).
    """

    name = "evidence_qa"
    prompt_version = PROMPT_VERSION
    text_options = ("question",)  # the question reaches the model: protect it too

    def check(
        self,
        draft: Draft,
        sources: Sequence[Source],
        report: Report,
        options: Mapping[str, Any],
    ) -> Report:
        """Add the citation findings (missing, unsupported, stale) to the verify report.

        Options: ``max_age_years`` (stale-evidence threshold) and ``today`` (ISO date,
        for reproducible staleness checks). The retrieved passages are candidates, not a
        record the answer must cover, so the verify stage's omissions are dropped.
        """
        today = options.get("today")
        checked = verify_answer(
            draft,
            sources,
            report,
            options.get("max_age_years"),
            date.fromisoformat(today) if today else None,
        )
        return checked.model_copy(update={"omissions": ()})

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Write the answer (offline extractive engine when ``backend.offline``)."""
        question = _question(options)
        segments = passage_segments(sources)
        passages = list(segments.values())
        info = ModelInfo(
            spec=backend.spec, backend=backend.name, name=backend.model, offline=backend.offline
        )
        meta: dict[str, Any] = {"question": question, "retrieved": list(segments)}
        if backend.offline or not passages:
            return self._offline(question, passages, segments, info, meta, options), Usage()
        gen = generate_answer(question, passages, backend)
        info = info.model_copy(update={"name": gen.model})
        return self._from_model(gen.value, segments, info, meta), gen.usage

    def _offline(
        self,
        question: str,
        passages: list[Any],
        segments: dict[str, Any],
        info: ModelInfo,
        meta: dict[str, Any],
        options: Mapping[str, Any],
    ) -> Draft:
        settings = load_settings()
        if "max_sentences" in options:
            settings = settings.model_copy(update={"max_sentences": int(options["max_sentences"])})
        result = answer_offline(question, passages, settings)
        meta.update(engine="offline-extractive", coverage=round(result.coverage, 3))
        if result.abstained:
            meta["abstain_reason"] = result.reason
            return _abstention(info, meta)
        rows = [(c.text, [c.passage_id]) for c in result.choices]
        meta.update(certainty=result.certainty, abstained=False)
        return _answer(rows, segments, info, meta)

    def _from_model(
        self, out: AnswerOutput, segments: dict[str, Any], info: ModelInfo, meta: dict[str, Any]
    ) -> Draft:
        meta["engine"] = "model"
        if out.abstain or not out.sentences:
            return _abstention(info, meta)
        rows: list[tuple[str, list[str]]] = []
        dropped: list[dict[str, str]] = []
        for i, s in enumerate(out.sentences, start=1):
            kept = [c for c in dict.fromkeys(s.citations) if c in segments]
            dropped.extend(
                {"statement": f"st{i}", "citation": c} for c in s.citations if c not in segments
            )
            rows.append((s.text.strip(), kept))
        meta.update(certainty=out.certainty, abstained=False, dropped_citations=dropped)
        return _answer(rows, segments, info, meta)


def _answer(
    rows: list[tuple[str, list[str]]],
    segments: dict[str, Any],
    info: ModelInfo,
    meta: dict[str, Any],
) -> Draft:
    statements = tuple(
        Statement(id=f"st{i}", text=text, section=SECTION, citations=tuple(cites))
        for i, (text, cites) in enumerate(rows, start=1)
    )
    cited = [c for _, cites in rows for c in cites]
    meta["evidence"] = evidence_list(segments, cited, load_settings().quote_chars)
    return Draft(
        task="evidence_qa",
        sections=(Section(name=SECTION, statements=statements),),
        model=info,
        prompt_version=PROMPT_VERSION,
        meta=meta,
    )


def _abstention(info: ModelInfo, meta: dict[str, Any]) -> Draft:
    meta.update(abstained=True, certainty="low", evidence=[])
    statement = Statement(id="st1", text=ABSTAIN_TEXT, section=SECTION)
    return Draft(
        task="evidence_qa",
        sections=(Section(name=SECTION, statements=(statement,)),),
        model=info,
        prompt_version=PROMPT_VERSION,
        meta=meta,
    )
