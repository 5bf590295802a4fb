"""``evident bench verify-breakdown``: why clean statements are flagged (development half)."""

from __future__ import annotations

from pathlib import Path

import click

from evident.errors import InputError

__all__ = ["bench_verify_breakdown", "register"]


@click.command("verify-breakdown")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="ACI-Bench CSV (dialogue, note) or MTS-Dialog CSV (dialogue, section_text).",
)
@click.option("--limit", type=int, default=None, help="Use only the first N encounters.")
@click.option("--entailer", default="support", show_default=True, help="Entailer spec.")
@click.option(
    "--support-threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    help="The entailer's score cutoff [default: the entailer's own].",
)
def bench_verify_breakdown(
    data: Path, limit: int | None, entailer: str, support_threshold: float | None
) -> None:
    """Count the development half's flagged clean statements by decider and reason.

    Only development-half encounters are read; nothing of a statement's text is printed.
    """
    from evident.verify.bench import load_encounters
    from evident.verify.bench_breakdown import breakdown
    from evident.verify.options import VerifyOptions

    encounters = load_encounters(data, "auto", limit)
    opts = VerifyOptions(entailer=entailer, support_threshold=support_threshold)
    out = breakdown(encounters, opts)
    if not out.clinical:
        raise InputError(f"'{data.name}' has no development-half clinical statements")
    n = out.clinical
    click.echo(
        f"data: {data.name}  development-half encounters: {out.encounters}  "
        f"clinical statements: {n}  entailer: {entailer}"
    )
    click.echo("flagged clean statements by verdict and decider:")
    for (label, by), count in out.by_decider.most_common():
        click.echo(f"{count:>7} {100 * count / n:>6.1f}%  {label:<13} {by}")
    click.echo("entailer-decided unsupported, by why the wording did not carry it:")
    for reason, count in out.by_reason.most_common():
        click.echo(f"{count:>7} {100 * count / n:>6.1f}%  {reason}")


def register(root: click.Group) -> None:
    """Add ``evident bench verify-breakdown``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_verify_breakdown)
