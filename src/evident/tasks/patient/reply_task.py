"""The ``patient_message`` task: a patient's portal message in, a verified draft reply (or an
escalation) out. A draft for the clinician's review page: Evident never sends it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend
from evident.tasks.patient.common import (
    draft_of,
    from_model,
    grade_finding,
    model_info,
    target_grade,
    verify_against,
)
from evident.tasks.patient.model import generate_statements, listing
from evident.tasks.patient.reply import GREETING, REPLY, escalation_rows, reply_rows
from evident.tasks.triage import TriageTask, triage_text
from evident.types import Draft, Report, Source, Usage, Verdict

__all__ = ["REPLY_PROMPT_VERSION", "PatientMessageTask"]

REPLY_PROMPT_VERSION = "patient_message/1.0"
ENGINE = "offline-extractive/1"


class PatientMessageTask:
    """Portal message -> triage first; an escalation or a plain-language draft reply.

    Sources: the patient's message first; then what the reply may rest on (the visit
    note, knowledge-base passages as a ``literature`` source). An ``emergency`` or
    ``urgent`` message gets no reply but an escalation (who to call, what to tell the
    patient now). Every statement of a reply is verified against the note and passages:
    a statement they do not support is flagged, general advice included. Option:
    ``target_grade`` (default 6). ``Draft.meta`` holds ``triage``, ``escalated``.
    """

    name = "patient_message"
    prompt_version = REPLY_PROMPT_VERSION

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Triage, then escalate or draft the reply (offline engine when ``backend.offline``).

        Raises:
            InputError: No message, or a bad option.
        """
        grade = target_grade(options, set())
        if not sources or not sources[0].text.strip():
            raise InputError("a reply needs the patient's message")
        message, grounds = sources[0], list(sources[1:])
        result, usage = triage_text(message.text, backend)
        escalated = result.urgency in {"emergency", "urgent"}
        meta: dict[str, Any] = {
            "target_grade": grade,
            "triage": result.to_json(),
            "escalated": escalated,
            "status": "draft for clinician review; never sent by Evident",
        }
        info = model_info(backend)
        if escalated:
            rows = escalation_rows(result)
            meta["engine"] = "protocols/1"
        elif backend.offline or not grounds:
            rows = reply_rows(message, grounds)
            meta["engine"] = ENGINE
        else:
            user = (
                f"Patient message:\n<<<\n{message.text}\n>>>\n\n{listing(grounds)}\n\n"
                f"Target reading grade: {grade:g}"
            )
            out, name, more = generate_statements("reply_prompt_v1.txt", user, backend)
            usage = usage + more
            known = {seg.id for src in grounds for seg in src.segments}
            rows = from_model(out, known, REPLY)
            info = model_info(backend, name)
            meta["engine"] = "model"
        return draft_of(self.name, rows, info, self.prompt_version, meta), usage

    def check(
        self,
        draft: Draft,
        sources: Sequence[Source],
        report: Report,
        options: Mapping[str, Any],
    ) -> Report:
        """An escalation is checked by its quotes; a reply against the note and passages."""
        if draft.meta.get("escalated"):
            return TriageTask().check(draft, sources[:1], report, options)
        grounds = list(sources[1:]) or list(sources[:1])
        checked = verify_against(draft, grounds, omissions=False)
        greetings = {st.id for st in draft.statements if st.text == GREETING}
        verdicts = tuple(
            Verdict(statement_id=v.statement_id, label="no_clinical_content", reason="greeting")
            if v.statement_id in greetings
            else v
            for v in checked.verdicts
        )
        checked = checked.model_copy(update={"verdicts": verdicts})
        target = float(draft.meta.get("target_grade", 6))
        return checked.model_copy(
            update={"findings": (*checked.findings, grade_finding(draft, target))}
        )
