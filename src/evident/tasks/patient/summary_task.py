"""The ``patient_summary`` task: a visit note in, an after-visit summary for the patient out."""

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
from evident.tasks.patient.summary import write_summary
from evident.types import Draft, Finding, Report, Source, Usage

__all__ = ["SUMMARY_PROMPT_VERSION", "PatientSummaryTask"]

SUMMARY_PROMPT_VERSION = "patient_summary/1.0"
ENGINE = "offline-templates/1"


class PatientSummaryTask:
    """Visit note -> after-visit summary in plain words, each statement verified.

    Sources: the note first (``kind="note"``); optionally the visit's transcript second.
    Every statement is verified against the note; with a transcript, a statement the
    transcript contradicts gets a ``contradicts_source`` finding (an error the note
    carried into the summary). Option: ``target_grade`` (default 6).
    """

    name = "patient_summary"
    prompt_version = SUMMARY_PROMPT_VERSION

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Write the summary (offline templates when ``backend.offline``).

        Raises:
            InputError: No note with sentences, or a bad option.
        """
        grade = target_grade(options, set())
        if not sources or not sources[0].segments:
            raise InputError("the after-visit summary needs a note with at least one sentence")
        note = sources[0]
        meta: dict[str, Any] = {"target_grade": grade}
        if backend.offline:
            items = write_summary(note)
            rows = [(i.section, i.text, list(i.citations)) for i in items]
            kinds = [i.kind for i in items]
            meta.update(engine=ENGINE, kinds=kinds)
            info = model_info(backend)
            return draft_of(self.name, rows, info, self.prompt_version, meta), Usage()
        user = f"Visit note:\n{listing([note])}\n\nTarget reading grade: {grade:g}"
        out, name, usage = generate_statements("summary_prompt_v1.txt", user, backend)
        known = {s.id for s in note.segments}
        meta["engine"] = "model"
        rows = from_model(out, known, "Summary")
        return draft_of(
            self.name, rows, model_info(backend, name), self.prompt_version, meta
        ), usage

    def check(
        self,
        draft: Draft,
        sources: Sequence[Source],
        report: Report,
        options: Mapping[str, Any],
    ) -> Report:
        """Verify against the note alone; flag what the transcript contradicts."""
        note_report = verify_against(draft, sources[:1], omissions=True)
        findings = list(note_report.findings)
        metrics = dict(note_report.metrics)
        if len(sources) > 1:
            src_report = verify_against(draft, sources[1:], omissions=False)
            for v in src_report.verdicts:
                if v.label == "contradicted":
                    findings.append(
                        Finding(
                            kind="contradicts_source",
                            severity="error",
                            where=v.statement_id,
                            message=f"the visit transcript contradicts it: {v.reason}",
                        )
                    )
            metrics["source_contradicted"] = float(
                sum(v.label == "contradicted" for v in src_report.verdicts)
            )
        findings.append(grade_finding(draft, float(draft.meta.get("target_grade", 6))))
        g = draft.meta.get("reading_grade", {})
        for key in ("flesch_kincaid", "smog"):
            if g.get(key) is not None:
                metrics[f"grade_{key}"] = float(g[key])
        return note_report.model_copy(update={"findings": tuple(findings), "metrics": metrics})
