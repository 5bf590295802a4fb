"""``evident bench polarity``: the structural polarity checker on negation flips (development)."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["register"]


@click.command("polarity")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    required=True,
    help="ACI-Bench CSV (dialogue, note); repeat for train and valid. Development data only.",
)
@click.option("--limit", type=int, default=None, help="Use only the first N encounters per file.")
@click.option("--per-direction", type=int, default=3, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--examples", type=int, default=0, show_default=True, help="Flags and misses to print."
)
def bench_polarity(
    data: tuple[Path, ...], limit: int | None, per_direction: int, seed: int, examples: int
) -> None:
    """Negation added / removed detection and clean false flags of the polarity checker."""
    from evident.verify.bench import load_encounters
    from evident.verify.polarity_dev import run_polarity_dev, summary

    encounters = [e for p in data for e in load_encounters(p, "aci", limit)]
    progress = click.progressbar(length=len(encounters), label="encounters", file=None)
    results = []
    with progress as bar:
        for step in run_polarity_dev(encounters, seed=seed, per_direction=per_direction):
            results.append(step)
            bar.update(1)
    if not results:
        return
    result = results[-1]
    for line in summary(result):
        click.echo(line)
    for enc, text, reason in result.flagged_examples[:examples]:
        click.echo(f"FLAG {enc}: {text} -> {reason}")
    for direction, before, after in result.missed_examples[:examples]:
        click.echo(f"MISS {direction}: {before} => {after}")


def register(root: click.Group) -> None:
    """Add ``evident bench polarity``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_polarity)
