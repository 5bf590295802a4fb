"""``evident chart BUNDLE``: a verified chart summary of a FHIR record.

Every statement cites ``ResourceType/id``; the verify stage and the chart's own fact check
mark each one. With ``--content`` the open care gaps of the chosen measures are computed
from the same Bundle (:mod:`evident.caregaps`) and summarised with their evidence.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from evident.types import Run, Source

__all__ = ["chart_json", "register"]

_MARK = {"supported": "✓", "unsupported": "?", "contradicted": "✗", "no_clinical_content": "·"}
_DEFAULT_MEASURES = "CMS122,CMS165,CMS69,CMS2,CMS125,CMS130,CMS124,CMS349"


def chart_json(run: Run) -> dict[str, Any]:
    """The JSON contract of ``evident chart --format json``."""
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
                    "reason": v.reason if v else None,
                }
            )
        sections.append({"name": sec.name, "statements": statements})
    findings = [f.model_dump() for f in run.report.findings]
    return {
        "as_of": run.draft.meta.get("as_of"),
        "sections": sections,
        "findings": findings,
        "model": run.model.spec or run.model.name,
        "prompt_version": run.prompt_version,
    }


def _text(run: Run) -> str:
    lines = [f"Chart summary as of {run.draft.meta.get('as_of')}", ""]
    for sec in run.draft.sections:
        lines.append(f"{sec.name.upper()}:")
        for st in sec.statements:
            v = run.report.verdict(st.id)
            label = v.label if v else "unverified"
            lines.append(f"  {_MARK.get(label, '?')} {st.text}  [{', '.join(st.citations)}]")
            if v and label != "supported":
                lines.append(f"      {label}: {v.reason}")
        lines.append("")
    counts: dict[str, int] = {}
    for v in run.report.verdicts:
        counts[v.label] = counts.get(v.label, 0) + 1
    lines.append(", ".join(f"{n} {label}" for label, n in sorted(counts.items())))
    return "\n".join(lines) + "\n"


def _care_gaps(
    bundle: Path, content: Path, measures: str, start: date, end: date
) -> list[dict[str, Any]]:
    from evident.caregaps import Record, evaluate_measures, load_content, measurement_period

    codes = [m.strip() for m in measures.split(",") if m.strip()]
    results = evaluate_measures(
        Record.read(bundle), load_content(content), codes, measurement_period(start, end)
    )
    return [
        {
            "measure": r.measure,
            "title": r.measure,
            "explanation": r.explanation,
            "evidence": r.evidence["denominator"],
        }
        for r in results
        if r.gap
    ]


def _run(source: Source, model: str | None, options: dict[str, Any], audit: bool) -> Run:
    from evident.audit import NoAudit
    from evident.pipeline import default_audit, run_task

    return run_task(
        "chart", [source], model, options, audit=default_audit() if audit else NoAudit()
    )


@click.command("chart")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date the chart is written for (default: the record's latest date).",
)
@click.option(
    "-m", "--model", default=None, help="Model spec (default: $EVIDENT_MODEL or offline)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Measure content folder: add the open care gaps of --measures.",
)
@click.option(
    "--measures",
    default=_DEFAULT_MEASURES,
    show_default=True,
    help="CMS numbers of the measures for the care gaps.",
)
@click.option(
    "--audit/--no-audit",
    default=True,
    show_default=True,
    help="Record the run in the audit trail.",
)
def chart_cmd(
    bundle: Path,
    as_of: Any,
    model: str | None,
    fmt: str,
    content: Path | None,
    measures: str,
    audit: bool,
) -> None:
    """Summarise a FHIR BUNDLE; every statement cites and is checked against resources."""
    from evident.sources import read_source
    from evident.tasks.chart import chart_record

    source = read_source(bundle, kind="fhir")
    day = as_of.date() if as_of else chart_record([source]).as_of
    options: dict[str, Any] = {"as_of": day.isoformat()}
    if content is not None:
        # The measurement period is the calendar year of the chart date.
        options["care_gaps"] = _care_gaps(
            bundle, content, measures, date(day.year, 1, 1), date(day.year, 12, 31)
        )
    run = _run(source, model, options, audit)
    if fmt == "json":
        click.echo(json.dumps(chart_json(run), ensure_ascii=False, indent=2))
    elif fmt == "html":
        from evident.verify import render_html

        click.echo(render_html(run.draft, run.report, [source]))
    else:
        click.echo(_text(run), nl=False)


def register(root: click.Group) -> None:
    """Add ``chart`` to the root command."""
    root.add_command(chart_cmd)
