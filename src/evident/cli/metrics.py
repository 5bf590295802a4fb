"""``evident metrics``: monitoring figures per task, model and week from the audit trail."""

from __future__ import annotations

from datetime import datetime

import click

__all__ = ["register"]


@click.command("metrics")
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Database URL or SQLite path (default: $EVIDENT_DB_URL, else ~/.evident/audit.sqlite3).",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (UTC).")
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (UTC), included."
)
@click.option(
    "--by",
    type=click.Choice(["sex", "age_band"]),
    multiple=True,
    help="Slice by patient sex and/or age band (repeat the option for both).",
)
@click.option(
    "--min-cell",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Suppress cells with fewer runs (1 shows every cell).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
)
def metrics_cmd(
    db_url: str | None,
    since: datetime | None,
    until: datetime | None,
    by: tuple[str, ...],
    min_cell: int,
    fmt: str,
) -> None:
    """Runs, verdict shares, omissions, clinician acceptance and edits, latency p50/p95.

    One row per task, model and ISO week, optionally per patient sex and age band;
    cells with fewer than --min-cell runs are suppressed.
    """
    from evident.audit import open_store

    with open_store(db_url, must_exist=True) as store:
        table = store.metrics(
            since=since.date() if since else None,
            until=until.date() if until else None,
            min_cell=min_cell,
            by=by,
        )
    render = {"text": table.to_text, "json": table.to_json, "csv": table.to_csv}[fmt]
    click.echo(render(), nl=False)


def register(root: click.Group) -> None:
    """Add ``evident metrics`` to the root command."""
    root.add_command(metrics_cmd)
