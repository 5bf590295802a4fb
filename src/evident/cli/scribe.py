"""``evident scribe FILE`` and ``evident demo``: a verified visit note from a conversation.

Nothing is printed until the whole pipeline succeeded, so a failure never leaves a
half-written note on stdout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evident.cli._verify_options import build_verify_options, verify_options

if TYPE_CHECKING:
    from evident.types import Run, Source
    from evident.verify.options import VerifyOptions

__all__ = ["DEMO_FILE", "note_json", "note_text", "register", "report_block", "verified_text"]

DEMO_FILE = "knee_visit.txt"
DEMO_NOTE = "knee_visit_with_errors.txt"  # in examples/notes/
_FORMATS = click.Choice(["text", "json", "html"])
_MARK = {"supported": "✓", "unsupported": "?", "contradicted": "✗", "no_clinical_content": "·"}


def note_text(run: Run) -> str:
    """The note alone: section headings and their sentences."""
    return run.draft.text()


def note_json(run: Run) -> dict[str, Any]:
    """The JSON contract of ``evident scribe --format json``."""
    sections = []
    for sec in run.draft.sections:
        statements = []
        for st in sec.statements:
            v = run.report.verdict(st.id)
            statements.append(
                {
                    "text": st.text,
                    "citations": list(st.citations),
                    "verdict": v.label if v else None,
                    "score": round(v.score, 4) if v else None,
                }
            )
        sections.append({"name": sec.name, "statements": statements})
    from evident.verify import EXPLANATIONS, report_counts

    return {
        "sections": sections,
        "model": run.model.spec or run.model.name,
        "prompt_version": run.prompt_version,
        "counts": report_counts(run.draft, run.report),
        "omissions": [o.model_dump() for o in run.report.omissions],
        "explanations": dict(EXPLANATIONS),
    }


def report_block(run: Run) -> str:
    """What the note's verification found, after the note: counts, omissions, meanings."""
    from evident.verify import EXPLANATIONS, report_counts

    c = report_counts(run.draft, run.report)
    labels = ("supported", "unsupported", "contradicted", "no_clinical_content")
    parts = ", ".join(f"{c[k]} {k.replace('_', ' ')}" for k in labels if c[k])
    lines = [
        "",
        "---",
        f"Verification: {c['statements']} statements ({parts or 'none'}); "
        f"{c['omissions']} omissions",
    ]
    for o in run.report.omissions:
        lines.append(f"  omitted [{o.kind} {o.importance:.2f}] {o.segment}: {o.text}")
    lines.extend(f"  {k}: {text}" for k, text in EXPLANATIONS.items())
    return "\n".join(lines) + "\n"


def verified_text(run: Run) -> str:
    """The note with each statement's verdict mark, label and citations."""
    lines = []
    for sec in run.draft.sections:
        lines.append(f"{sec.name.upper()}:")
        if not sec.statements:
            lines.append("  (nothing found for this section)")
        for st in sec.statements:
            v = run.report.verdict(st.id)
            label = v.label if v else "unverified"
            cites = ", ".join(st.citations) or "no citation"
            lines.append(f"  {_MARK.get(label, '?')} {st.text}  [{cites}] ({label})")
        lines.append("")
    return "\n".join(lines) + report_block(run).split("\n", 2)[2]


def _html(run: Run, sources: Sequence[Source]) -> str:
    from evident.verify import render_html

    return render_html(run.draft, run.report, sources) + "\n"


def _render(run: Run, sources: Sequence[Source], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(note_json(run), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _html(run, sources)
    return note_text(run) + report_block(run)


def _scribe(
    source: Source,
    model: str | None,
    sections: str,
    sex: str | None,
    audit: bool = False,
    verify_options: VerifyOptions | None = None,
) -> Run:
    from evident.audit import NoAudit
    from evident.pipeline import default_audit, run_task

    options: dict[str, Any] = {"sections": sections}
    if sex:
        options["sex"] = sex
    trail = default_audit() if audit else NoAudit()
    return run_task("scribe", [source], model, options, audit=trail, verify_options=verify_options)


def _checked_example(source: Source) -> str:
    """The demo's second part: a note with planted errors checked against the transcript."""
    from evident.verify import draft_from_note, render_text, verify

    examples = resources.files("evident") / "resources" / "examples"
    note = (examples / "notes" / DEMO_NOTE).read_text(encoding="utf-8")
    draft = draft_from_note(note)
    report = verify(draft, [source])
    head = (
        f"\n\nA note written elsewhere ({DEMO_NOTE}, with planted errors), checked "
        f"against the same conversation by 'evident verify':\n\n"
    )
    return head + render_text(draft, report, [source])


def register(root: click.Group) -> None:
    """Add ``scribe`` and ``demo`` to the root command."""

    @root.command("scribe")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "-m", "--model", default=None, help="Model spec (default: $EVIDENT_MODEL or offline)."
    )
    @click.option(
        "--sections",
        default="soap",
        show_default=True,
        help='soap, apso, aci, or a comma-separated list such as "HPI,Exam,Plan".',
    )
    @click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
    @click.option(
        "--sex",
        type=click.Choice(["female", "male", "unknown"]),
        default=None,
        help="Patient's pronouns for the offline engine (default: detected).",
    )
    @click.option(
        "--audit/--no-audit",
        default=True,
        show_default=True,
        help="Record the run in the audit trail ($EVIDENT_DB_URL or ~/.evident/audit.sqlite3; "
        "EVIDENT_AUDIT=off disables).",
    )
    @verify_options
    def scribe_cmd(
        file: Path,
        model: str | None,
        sections: str,
        fmt: str,
        sex: str | None,
        audit: bool,
        **options: Any,
    ) -> None:
        """Draft a visit note from a conversation FILE; every statement cites utterances."""
        from evident.sources import read_source

        opts = build_verify_options(options)
        source = read_source(file, kind="transcript")
        run = _scribe(source, model, sections, sex, audit=audit, verify_options=opts)
        if run.draft.meta.get("speakers_inferred"):
            click.echo(
                f"evident: warning: '{file.name}' has no speaker labels; speakers inferred "
                "from turn-taking (check the note, or label lines 'Doctor:'/'Patient:')",
                err=True,
            )
        # The original source, not run.sources: those may carry surrogates for a remote model.
        click.echo(_render(run, [source], fmt), nl=False)

    @root.command("demo")
    @click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
    def demo_cmd(fmt: str) -> None:
        """Run the scribe on a bundled example with the offline engine (no model, no network)."""
        from evident.sources import load_source

        data = (resources.files("evident") / "resources" / "examples" / DEMO_FILE).read_bytes()
        source = load_source(data, kind="transcript", name=DEMO_FILE)
        run = _scribe(source, "offline", "soap", None)
        if fmt != "text":
            click.echo(_render(run, [source], fmt), nl=False)
            return
        head = (
            f"Evident demo: visit note drafted from {DEMO_FILE} by the offline engine, "
            "no language model.\nEach statement shows its verdict "
            "(✓ supported, ? unsupported, ✗ contradicted) and the utterances it cites.\n\n"
        )
        click.echo(head + verified_text(run), nl=False)
        click.echo(_checked_example(source), nl=False)
