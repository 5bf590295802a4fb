"""Core types: the contract between the pipeline's stages (see docs/architecture.md).

Every stage takes and returns these types and nothing else. They are pydantic models with
``extra="forbid"`` and ``frozen=True``: they cross boundaries (CLI JSON, REST API, audit
records), so unknown fields are errors and values are never mutated in place; derive a
changed copy with ``model_copy(update=...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Draft",
    "Finding",
    "ModelInfo",
    "Omission",
    "Report",
    "Run",
    "Section",
    "Segment",
    "SegmentKind",
    "Source",
    "SourceKind",
    "Statement",
    "Usage",
    "Verdict",
    "VerdictLabel",
]

SegmentKind = Literal["utterance", "sentence", "resource", "passage"]
SourceKind = Literal["transcript", "note", "fhir", "literature", "text"]
VerdictLabel = Literal["supported", "unsupported", "contradicted", "no_clinical_content"]
Severity = Literal["info", "warning", "error"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Segment(_Model):
    """An addressable piece of a source: an utterance, a sentence, a resource, a passage.

    Attributes:
        id: Stable id, unique within its source (``u12``, ``s4``, ``Observation/abc``,
            ``pmid:123#2``).
        text: The segment's text (for transcripts, without the speaker label).
        start: Character offset of ``text`` in the source's ``text``.
        end: End offset (exclusive) of ``text`` in the source's ``text``.
        speaker: Speaker role for utterances (``doctor``, ``patient``, ...), else None.
        kind: What sort of segment this is.
        meta: Extra string attributes (section heading, resource type, title, ...).
    """

    id: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    speaker: str | None = None
    kind: SegmentKind = "sentence"
    meta: dict[str, str] = Field(default_factory=dict)


class Source(_Model):
    """A parsed input document made of segments.

    Attributes:
        id: Identifier of the source within a run (file name, resource id, ``source``).
        kind: The input's kind.
        text: The full decoded text; segment offsets point into it.
        segments: The segments in document order.
        meta: Extra string attributes (format detected, patient key, ...).
    """

    id: str = "source"
    kind: SourceKind
    text: str
    segments: tuple[Segment, ...]
    meta: dict[str, str] = Field(default_factory=dict)

    def segment(self, segment_id: str) -> Segment | None:
        """Return the segment with this id, or None."""
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        return None

    def __iter__(self) -> Iterator[Segment]:  # type: ignore[override]
        return iter(self.segments)


class Statement(_Model):
    """One generated statement of a draft.

    Attributes:
        id: Stable id within the draft (``st1``, ``st2``, ...).
        text: The statement as a clinician reads it.
        section: Name of the section it belongs to.
        citations: Segment ids the author (model or engine) says it rests on. The verify
            stage never trusts them: it finds evidence itself.
    """

    id: str
    text: str
    section: str = ""
    citations: tuple[str, ...] = ()


class Section(_Model):
    """A named section of a draft (``Subjective``, ``Plan``, ...)."""

    name: str
    statements: tuple[Statement, ...] = ()


class ModelInfo(_Model):
    """Which model produced a draft.

    Attributes:
        spec: The spec string the user chose (``offline``, ``openai:gpt-4o``, ...).
        backend: Registered backend name (``offline``, ``openai-compatible``, ``hf``).
        name: The model name the backend actually used (after any fallback).
        offline: True when no language model was involved.
    """

    spec: str
    backend: str
    name: str
    offline: bool = False


class Usage(_Model):
    """Token usage and latency of model calls."""

    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: float = 0.0
    calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            latency_ms=self.latency_ms + other.latency_ms,
            calls=self.calls + other.calls,
        )


class Draft(_Model):
    """A generated document or answer: sections of statements.

    Attributes:
        task: Name of the task that produced it (``scribe``, ``evidence_qa``, ...).
        sections: The sections in order.
        model: Which model produced it.
        prompt_version: Version of the task's prompt (``scribe/1.0``).
        meta: Extra values of the task (certainty, abstained, ...).
    """

    task: str
    sections: tuple[Section, ...]
    model: ModelInfo
    prompt_version: str
    meta: dict[str, Any] = Field(default_factory=dict)

    @property
    def statements(self) -> tuple[Statement, ...]:
        """All statements in document order."""
        return tuple(st for sec in self.sections for st in sec.statements)

    def text(self) -> str:
        """The draft as plain text: section headings followed by their sentences."""
        blocks = []
        for sec in self.sections:
            lines = [f"{sec.name.upper()}:"] if sec.name else []
            lines.extend(st.text for st in sec.statements)
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"


class Verdict(_Model):
    """The verify stage's judgement of one statement.

    Attributes:
        statement_id: The statement judged.
        label: ``supported``, ``unsupported`` (a confabulation), ``contradicted`` (the
            evidence conflicts) or ``no_clinical_content`` (greetings, headings).
        evidence: Segment ids that support it, or for ``contradicted`` the conflicting ones.
        reason: One line a clinician understands ("transcript says 20 mg, note says 200 mg").
        score: Support score in [0, 1].
        judge: Who decided: ``rules`` by default, or the name of a plugged-in judge.
        decided_by: The row of the decision table that decided it: ``check:<checker>``
            (``check:dose``, ``check:polarity``...), ``entail:<entailer>``
            (``entail:lexical``, ``entail:llm``), ``advice`` or ``no_clinical_content``;
            empty for verdicts made outside the verify stage.
    """

    statement_id: str
    label: VerdictLabel
    evidence: tuple[str, ...] = ()
    reason: str = ""
    score: float = Field(default=0.0, ge=0.0, le=1.0)
    judge: str = "rules"
    decided_by: str = ""


class Omission(_Model):
    """A clinically important source fact that no statement covers.

    Attributes:
        segment: Id of the source segment carrying the fact.
        text: The fact as found in the source.
        kind: Its clinical kind (``medication``, ``allergy``, ``abnormal_vital``, ...).
        importance: Ranking weight in [0, 1]; higher matters more.
    """

    segment: str
    text: str
    kind: str
    importance: float = Field(ge=0.0, le=1.0)


class Finding(_Model):
    """Anything else the verify stage reports (PHI leak, reading level, red flag, ...).

    Attributes:
        kind: Machine-readable kind (``citation_missing``, ``phi_leak``, ...).
        severity: ``info``, ``warning`` or ``error``.
        where: Statement or segment id it concerns, or ``draft``.
        message: One line for a human; never contains PHI.
    """

    kind: str
    severity: Severity = "warning"
    where: str = "draft"
    message: str


class Report(_Model):
    """The verification report of one draft against its sources."""

    verdicts: tuple[Verdict, ...]
    omissions: tuple[Omission, ...] = ()
    findings: tuple[Finding, ...] = ()
    metrics: dict[str, float] = Field(default_factory=dict)
    verifier: str = ""

    def verdict(self, statement_id: str) -> Verdict | None:
        """Return the verdict for a statement id, or None."""
        for v in self.verdicts:
            if v.statement_id == statement_id:
                return v
        return None


class Run(_Model):
    """One complete pass through the pipeline, as recorded by the audit stage.

    Attributes:
        id: Unique run id.
        task: Task name.
        created_at: UTC time the run started.
        sources: The sources as the task saw them (after privacy protection).
        draft: The draft as shown to the clinician (after re-identification).
        report: The verification report.
        model: Model spec and the model actually used.
        prompt_version: The task's prompt version.
        params: Task options and generation parameters.
        timings_ms: Milliseconds per stage (``parse``, ``privacy``, ``generate``, ...).
        usage: Token usage of model calls.
        privacy: What the privacy stage did (policy, counts); never PHI values.
        input_digest: SHA-256 of the original inputs.
    """

    id: str
    task: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    sources: tuple[Source, ...]
    draft: Draft
    report: Report
    model: ModelInfo
    prompt_version: str
    params: dict[str, Any] = Field(default_factory=dict)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    privacy: dict[str, Any] = Field(default_factory=dict)
    input_digest: str = ""
