"""``evident caregaps``: quality-measure populations and care gaps from FHIR records."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from evident.errors import InputError

__all__ = ["register"]


@click.command("caregaps")
@click.argument("bundle", required=False, type=click.Path(path_type=Path))
@click.option(
    "--content",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Measure content folder (resources/measure, cql, vocabulary/valueset/external).",
)
@click.option(
    "--measures",
    required=True,
    help="Comma-separated CMS numbers of the measures (CMS122,CMS165,...).",
)
@click.option("--period-start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--period-end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option(
    "--panel",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of patient Bundles: a table of patients x measures instead of BUNDLE.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text", "html"]),
    default="json",
    show_default=True,
    help="html: the panel's monitoring page (with --panel).",
)
def caregaps_command(
    bundle: Path | None,
    content: Path,
    measures: str,
    period_start: Any,
    period_end: Any,
    panel: Path | None,
    fmt: str,
) -> None:
    """Evaluate eCQMs on a patient's FHIR Bundle (or a panel of them) and report gaps."""
    from evident.caregaps import load_content, measurement_period, results_json
    from evident.caregaps.render import panel_html, panel_text, results_text

    if (bundle is None) == (panel is None):
        raise InputError("give either a BUNDLE or --panel DIR")
    codes = [m.strip() for m in measures.split(",") if m.strip()]
    if not codes:
        raise InputError("--measures names no measure")
    period = measurement_period(_day(period_start), _day(period_end))
    loaded = load_content(content)
    if panel is not None:
        rows = _panel(panel, loaded, codes, period)
        if fmt == "json":
            doc = {"period": results_json(period, [])["period"], "patients": []}
            doc["patients"] = [
                {"bundle": name, "measures": [r.as_json() for r in results]}
                for name, results in rows
            ]
            click.echo(json.dumps(doc, indent=2))
        elif fmt == "html":
            click.echo(panel_html(rows, f"{period.start_day()} to {period.end_day()}"))
        else:
            click.echo(panel_text(rows))
            _note_missing(loaded)
        return
    if bundle is None or fmt == "html":
        raise InputError("--format html is the panel's page: give --panel DIR")
    results = _evaluate_file(bundle, loaded, codes, period)
    if fmt == "json":
        click.echo(json.dumps(results_json(period, results), indent=2))
    else:
        click.echo(results_text(results))
        _note_missing(loaded)


def _note_missing(content: Any) -> None:
    if content.missing:
        urls = ", ".join(sorted(content.missing))
        click.echo(f"note: the content lacks expanded value sets (treated as empty): {urls}")


def _day(value: Any) -> date:
    return value.date() if hasattr(value, "date") else value


def _evaluate_file(path: Path, content: Any, codes: list[str], period: Any) -> list[Any]:
    from evident.caregaps import Record, evaluate_measures

    return evaluate_measures(Record.read(path), content, codes, period)


def _panel(
    folder: Path, content: Any, codes: list[str], period: Any
) -> list[tuple[str, list[Any]]]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"no *.json Bundles in {folder}")
    rows = []
    for path in tqdm(files, desc="patients", disable=not sys.stderr.isatty(), leave=False):
        rows.append((path.stem, _evaluate_file(path, content, codes, period)))
    return rows


def register(root: click.Group) -> None:
    """Add ``evident caregaps`` to the root command."""
    root.add_command(caregaps_command)
