"""The ``triage`` task: a patient's message in, an urgency class with quoted red flags out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend
from evident.tasks.triage.engine import TriageResult, triage_offline
from evident.tasks.triage.model import PROMPT_VERSION, TriageOutput, combine, model_triage
from evident.types import (
    Draft,
    ModelInfo,
    Report,
    Section,
    Source,
    Statement,
    Usage,
    Verdict,
)

__all__ = ["SECTION", "TriageTask", "result_from_draft", "triage_text"]

SECTION = "Triage"
ENGINE = "protocols/1"


def triage_text(text: str, backend: Backend | None = None) -> tuple[TriageResult, Usage]:
    """Triage ``text`` with the protocols, and with the backend's model when it has one."""
    offline = triage_offline(text)
    if backend is None or backend.offline:
        return offline, Usage()
    out, name, usage = model_triage(text, backend)
    return combine(offline, out, text, name), usage


def _cites(source: Source, start: int, length: int) -> tuple[str, ...]:
    end = start + length
    return tuple(s.id for s in source.segments if s.start < end and start < s.end)


def _statements(result: TriageResult, source: Source) -> tuple[Statement, ...]:
    flags = [f for f in result.red_flags if f.start >= 0]
    head = Statement(
        id="st1",
        text=f"Urgency: {result.urgency.replace('_', ' ')}. {result.advice}",
        section=SECTION,
        citations=tuple(c for f in flags for c in _cites(source, f.start, len(f.quote))),
    )
    rest = [
        Statement(
            id=f"st{i}",
            text=f'Red flag: {f.finding}: "{f.quote}"',
            section=SECTION,
            citations=_cites(source, f.start, len(f.quote)),
        )
        for i, f in enumerate(flags, start=2)
    ]
    return (head, *rest)


def result_from_draft(draft: Draft, text: str) -> TriageResult:
    """The triage of ``text`` as the run decided it, with quotes of ``text`` itself.

    The task may have seen a protected copy (surrogates for a remote model): the protocols
    are re-read on the original and the model's class kept, so every quote is exact.
    """
    offline = triage_offline(text)
    seen = draft.meta.get("triage", {})
    flags = [f for f in seen.get("red_flags", []) if f.get("quote") and f["quote"] in text]
    out = TriageOutput.model_validate(
        {"urgency": seen.get("urgency", "routine"), "red_flags": flags}
    )
    return combine(offline, out, text, str(seen.get("model", "offline")))


class TriageTask:
    """Patient message -> urgency class, red flags quoted from the message, advice.

    The draft has one section, ``Triage``: the class with its advice, then one statement
    per red flag citing the sentences it quotes. ``Draft.meta["triage"]`` holds the JSON
    contract (urgency, red_flags, advice, model).
    """

    name = "triage"
    prompt_version = PROMPT_VERSION

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Triage the first source's text.

        Raises:
            InputError: No message, or an unknown option.
        """
        if not sources or not sources[0].text.strip():
            raise InputError("triage needs a non-empty message")
        unknown = set(options)
        if unknown:
            raise InputError(f"unknown triage option '{sorted(unknown)[0]}'")
        source = sources[0]
        result, usage = triage_text(source.text, backend)
        info = ModelInfo(
            spec=backend.spec, backend=backend.name, name=backend.model, offline=backend.offline
        )
        draft = Draft(
            task=self.name,
            sections=(Section(name=SECTION, statements=_statements(result, source)),),
            model=info,
            prompt_version=self.prompt_version,
            meta={
                "engine": ENGINE,
                "triage": result.to_json(),
                "findings": result.findings,
                "excluded": result.excluded,
            },
        )
        return draft, usage

    def check(
        self,
        draft: Draft,
        sources: Sequence[Source],
        report: Report,
        options: Mapping[str, Any],
    ) -> Report:
        """Judge each red flag by its quote: supported when the message contains it exactly.

        Lexical verification fits a triage poorly (its statements restate the message),
        so the task's own check replaces the verdicts, and there are no omissions.
        """
        text = sources[0].text if sources else ""
        verdicts = []
        for st in draft.statements:
            quote = st.text.split(': "', 1)[1][:-1] if ': "' in st.text else ""
            ok = not quote or quote in text
            verdicts.append(
                Verdict(
                    statement_id=st.id,
                    label="supported" if ok else "unsupported",
                    evidence=st.citations,
                    reason="quoted from the message" if quote else "class set by the protocols",
                    score=1.0 if ok else 0.0,
                    judge=ENGINE,
                )
            )
        return report.model_copy(update={"verdicts": tuple(verdicts), "omissions": ()})
