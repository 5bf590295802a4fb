"""``evident reply MESSAGE`` and ``evident patient-summary --note NOTE``: patient-facing
drafts in plain language, every statement verified, for the clinician to review.

Nothing is printed until the whole pipeline succeeded. Evident never sends a reply.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from evident.types import Run, Source

__all__ = ["register", "reply_json", "statements_json", "summary_json"]

_FORMATS = click.Choice(["text", "json", "html"])
_MARK = {"supported": "✓", "unsupported": "?", "contradicted": "✗", "no_clinical_content": "·"}


def statements_json(run: Run) -> list[dict[str, Any]]:
    """Each statement with its section, verdict, evidence ids and reason."""
    source_errors = {
        f.where: f.message for f in run.report.findings if f.kind == "contradicts_source"
    }
    out = []
    for st in run.draft.statements:
        v = run.report.verdict(st.id)
        row: dict[str, Any] = {
            "section": st.section,
            "text": st.text,
            "verdict": v.label if v else None,
            "evidence": list(v.evidence) if v else [],
            "reason": v.reason if v else "",
        }
        if st.id in source_errors:
            row["source_contradiction"] = source_errors[st.id]
        out.append(row)
    return out


def summary_json(run: Run) -> dict[str, Any]:
    """The JSON contract of ``evident patient-summary --format json``."""
    return {
        "statements": statements_json(run),
        "reading_grade": run.draft.meta.get("reading_grade", {}),
        "target_grade": run.draft.meta.get("target_grade"),
        "model": run.model.spec or run.model.name,
        "prompt_version": run.prompt_version,
    }


def reply_json(run: Run) -> dict[str, Any]:
    """The JSON contract of ``evident reply --format json``."""
    triage = run.draft.meta.get("triage", {})
    return {
        "urgency": triage.get("urgency"),
        "red_flags": triage.get("red_flags", []),
        "escalated": bool(run.draft.meta.get("escalated")),
        "statements": statements_json(run),
        "reading_grade": run.draft.meta.get("reading_grade", {}),
        "target_grade": run.draft.meta.get("target_grade"),
        "status": run.draft.meta.get("status", ""),
        "model": run.model.spec or run.model.name,
        "prompt_version": run.prompt_version,
    }


def _text(run: Run, head: str) -> str:
    lines = [head, ""] if head else []
    for sec in run.draft.sections:
        lines.append(f"{sec.name.upper()}:")
        for st in sec.statements:
            v = run.report.verdict(st.id)
            label = v.label if v else "unverified"
            lines.append(f"  {_MARK.get(label, '?')} {st.text}  ({label})")
        lines.append("")
    for f in run.report.findings:
        if f.kind in {"reading_grade", "contradicts_source"}:
            lines.append(f"{f.kind} [{f.where}]: {f.message}")
    return "\n".join(lines) + "\n"


def _render(
    run: Run, sources: Sequence[Source], fmt: str, as_json: dict[str, Any], head: str
) -> str:
    if fmt == "json":
        return json.dumps(as_json, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from evident.verify import render_html

        return render_html(run.draft, run.report, sources) + "\n"
    return _text(run, head)


def _run(task: str, sources: list[Source], model: str | None, grade: float, audit: bool) -> Run:
    from evident.audit import NoAudit
    from evident.pipeline import default_audit, run_task

    trail = default_audit() if audit else NoAudit()
    return run_task(task, sources, model, {"target_grade": grade}, audit=trail)


def _kb_source(kb_dir: Path, question: str, k: int = 3) -> Source | None:
    from evident.kb import KnowledgeBase
    from evident.tasks.evidence_qa import build_source

    with KnowledgeBase(kb_dir) as kb:
        hits = kb.search(question, k=k, distinct=True)
    return build_source(hits) if hits else None


_MODEL = click.option(
    "-m", "--model", default=None, help="Model spec (default: $EVIDENT_MODEL or offline)."
)
_GRADE = click.option(
    "--grade", type=float, default=6.0, show_default=True, help="Target reading grade."
)
_AUDIT = click.option(
    "--audit/--no-audit",
    default=True,
    show_default=True,
    help="Record the run in the audit trail (EVIDENT_AUDIT=off disables).",
)


def register(root: click.Group) -> None:
    """Add ``reply`` and ``patient-summary`` to the root command."""
    _add_reply(root)
    _add_summary(root)


def _add_reply(root: click.Group) -> None:
    @root.command("reply")
    @click.argument("message", type=click.Path(path_type=Path))
    @click.option("--note", type=click.Path(path_type=Path), default=None, help="Visit note.")
    @click.option(
        "--chart",
        type=click.Path(path_type=Path),
        default=None,
        help="The patient's record as a FHIR R4 Bundle (the fhir extra).",
    )
    @click.option(
        "--kb", "kb_dir", type=click.Path(path_type=Path), default=None, help="Knowledge base."
    )
    @_MODEL
    @click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
    @_GRADE
    @_AUDIT
    def reply_cmd(
        message: Path,
        note: Path | None,
        chart: Path | None,
        kb_dir: Path | None,
        model: str | None,
        fmt: str,
        grade: float,
        audit: bool,
    ) -> None:
        """Triage a patient's MESSAGE, then escalate it or draft a verified reply.

        The draft is for the clinician to review, edit and sign; Evident never sends it.
        Statements about the patient are verified against the note and the chart.
        """
        from evident.cli._inputs import read_note
        from evident.errors import InputError
        from evident.sources import read_source

        msg = read_source(message, kind="note")
        sources = [msg]
        if note is not None:
            sources.append(read_note(note, "--note"))
        if chart is not None:
            record = read_source(chart)
            if record.kind != "fhir":
                raise InputError(f"'{chart.name}' is not a FHIR Bundle")
            sources.append(record)
        if kb_dir is not None:
            passages = _kb_source(kb_dir, msg.text)
            if passages is not None:
                sources.append(passages)
        run = _run("patient_message", sources, model, grade, audit)
        esc = run.draft.meta.get("escalated")
        head = (
            "ESCALATE: no draft reply." if esc else "DRAFT REPLY (for clinician review; not sent):"
        )
        click.echo(_render(run, sources, fmt, reply_json(run), head), nl=False)


def _add_summary(root: click.Group) -> None:
    @root.command("patient-summary")
    @click.option("--note", type=click.Path(path_type=Path), required=True, help="Visit note.")
    @click.option(
        "--source",
        "transcript",
        type=click.Path(path_type=Path),
        default=None,
        help="The visit's transcript: flags statements it contradicts.",
    )
    @_MODEL
    @click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
    @_GRADE
    @_AUDIT
    def summary_cmd(
        note: Path, transcript: Path | None, model: str | None, fmt: str, grade: float, audit: bool
    ) -> None:
        """An after-visit summary of a visit NOTE in plain words, each statement verified."""
        from evident.cli._inputs import read_note
        from evident.sources import read_source

        sources = [read_note(note, "--note")]
        if transcript is not None:
            sources.append(read_source(transcript, kind="transcript"))
        run = _run("patient_summary", sources, model, grade, audit)
        head = "AFTER-VISIT SUMMARY (for clinician review):"
        click.echo(_render(run, sources, fmt, summary_json(run), head), nl=False)
