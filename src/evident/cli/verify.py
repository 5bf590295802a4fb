"""``evident verify``: check any note against its source (a transcript or another note)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from evident.cli._inputs import read_note
from evident.cli._verify_options import build_verify_options, verify_options
from evident.errors import InputError

__all__ = ["register"]


@click.command("verify")
@click.option(
    "--source",
    "sources",
    required=True,
    multiple=True,
    type=click.Path(path_type=Path),  # bad paths: one-line errors of read_source
    help="Transcript or note the draft rests on (repeatable).",
)
@click.option(
    "--draft",
    required=True,
    type=click.Path(path_type=Path),  # bad paths: one-line errors of read_source
    help="The note to check, whoever wrote it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@click.option(
    "--source-kind",
    type=click.Choice(["auto", "transcript", "note"]),
    default="auto",
    show_default=True,
    help="How to parse the sources.",
)
@click.option(
    "--judge",
    "judge_spec",
    default=None,
    metavar="MODEL",
    help="Model spec of an LLM judge for statements the rules leave undecided (off by default).",
)
@verify_options
@click.option(
    "--patient-facing",
    is_flag=True,
    help="The draft is for patients: report its reading level.",
)
@click.option(
    "--allow-mismatch",
    is_flag=True,
    hidden=True,
    help="Kept for old scripts: a mismatched source is always reported, never refused.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),  # unwritable: one-line error below
    default=None,
    help="Write the report to this file instead of stdout.",
)
def verify_cmd(
    sources: tuple[Path, ...],
    draft: Path,
    fmt: str,
    source_kind: str,
    judge_spec: str | None,
    patient_facing: bool,
    allow_mismatch: bool,
    output: Path | None,
    **options: Any,
) -> None:
    """Check every statement of DRAFT against the sources; list what it leaves out."""
    from evident.sources import read_source
    from evident.verify import (
        LLMJudge,
        draft_from_note,
        render_html,
        render_json,
        render_text,
        verify,
    )

    opts = build_verify_options(options)
    parsed = [read_source(p, kind=source_kind) for p in sources]  # type: ignore[arg-type]
    the_draft = draft_from_note(read_note(draft, "--draft"))
    judge = None
    if judge_spec:
        from evident.models import load_backend

        judge = LLMJudge(load_backend(judge_spec))
    report = verify(
        the_draft, parsed, options=opts, judge=judge, patient_facing=patient_facing or None
    )
    if fmt == "json":
        text = json.dumps(render_json(the_draft, report, parsed), indent=2) + "\n"
    elif fmt == "html":
        text = render_html(the_draft, report, parsed)
    else:
        text = render_text(the_draft, report, parsed)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write '{output.name}': {exc.strerror}") from None


def register(root: click.Group) -> None:
    """Add ``evident verify`` to the root command."""
    root.add_command(verify_cmd)
