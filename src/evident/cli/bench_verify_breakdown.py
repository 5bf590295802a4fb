"""``evident bench verify-breakdown``: why clean statements are flagged, and why perturbed
statements of chosen types pass (development half)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from evident.errors import InputError

if TYPE_CHECKING:
    from evident.verify.bench import Encounter
    from evident.verify.options import VerifyOptions

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
@click.option(
    "--items",
    "types",
    multiple=True,
    help="Also count the perturbed statements of this error type (repeat; e.g. finding) "
    "that come back supported, by route and by how new their new words are.",
)
def bench_verify_breakdown(
    data: Path,
    limit: int | None,
    entailer: str,
    support_threshold: float | None,
    types: tuple[str, ...],
) -> None:
    """Count the development half's flagged clean statements by decider and reason.

    Only development-half encounters are read; nothing of a statement's text is printed.
    """
    from evident.errorgen import TYPES
    from evident.verify.bench import load_encounters
    from evident.verify.bench_breakdown import breakdown
    from evident.verify.options import VerifyOptions

    unknown = sorted(set(types) - set(TYPES))
    if unknown:
        raise InputError(f"unknown error type '{unknown[0]}' (one of: {', '.join(TYPES)})")

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
    click.echo("entailer-decided unsupported, by what could have decided it:")
    for what, count in out.by_route.most_common():
        click.echo(f"{count:>7} {100 * count / n:>6.1f}%  {what}")
    if types:
        _items(encounters, opts, types)


def _items(encounters: list[Encounter], opts: VerifyOptions, types: tuple[str, ...]) -> None:
    from evident.verify.bench_breakdown import item_breakdown

    out = item_breakdown(encounters, opts, types)
    for t in types:
        n = out.items[t]
        passed = n - out.detected[t]
        click.echo(f"{t}: {n} items whose original is supported, {passed} supported")
        for key, title in ((out.by_route, "route"), (out.by_novelty, "new words")):
            click.echo(f"  supported, by {title}:")
            for (typ, what), count in key.most_common():
                if typ == t:
                    click.echo(f"{count:>7} {100 * count / max(1, n):>6.1f}%  {what}")


def register(root: click.Group) -> None:
    """Add ``evident bench verify-breakdown``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_verify_breakdown)
