"""``evident triage FILE``: how urgently a patient's message needs care, with quoted red flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from evident.tasks.triage import TriageResult
    from evident.types import Source

__all__ = ["register", "run_triage", "triage_text_output"]

_LABEL = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT (same day)",
    "routine": "ROUTINE",
    "self_care": "SELF-CARE",
}


def triage_text_output(result: TriageResult) -> str:
    """The triage as text: class, advice, red flags with their quotes, the model."""
    lines = [f"Urgency: {_LABEL[result.urgency]}", result.advice]
    if result.red_flags:
        lines.append("Red flags:")
        lines.extend(f'  - {f.finding}: "{f.quote}"' for f in result.red_flags)
    else:
        lines.append("Red flags: none found")
    lines.append(f"(triaged by: {result.model})")
    return "\n".join(lines) + "\n"


def run_triage(source: Source, model: str | None, audit: bool) -> TriageResult:
    """Run the ``triage`` task through the pipeline and return its result on the message."""
    from evident.audit import NoAudit
    from evident.pipeline import default_audit, run_task
    from evident.tasks.triage import result_from_draft

    run = run_task("triage", [source], model, {}, audit=default_audit() if audit else NoAudit())
    return result_from_draft(run.draft, source.text)


def register(root: click.Group) -> None:
    """Add ``triage`` to the root command."""

    @root.command("triage")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "-m", "--model", default=None, help="Model spec (default: $EVIDENT_MODEL or offline)."
    )
    @click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
    )
    @click.option(
        "--audit/--no-audit",
        default=True,
        show_default=True,
        help="Record the run in the audit trail (EVIDENT_AUDIT=off disables).",
    )
    def triage_cmd(file: Path, model: str | None, fmt: str, audit: bool) -> None:
        """Triage a patient's message FILE: emergency, urgent, routine or self_care.

        The offline protocols decide unless a model raises the class; every quote is an
        exact part of the message.
        """
        from evident.sources import read_source

        result = run_triage(read_source(file, kind="note"), model, audit)
        if fmt == "json":
            click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            click.echo(triage_text_output(result), nl=False)
