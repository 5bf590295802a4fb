"""``evident bench omissions``: omissions made by removing sentences from reference notes.

Prints, for the test half (held out; ``--half dev`` for the development half), per
system and share of sentences removed: the omissions reported, how many hit the 25 cap,
the share of lost evidence segments they point at and the share of new omissions that
point at one; then Spearman's correlation of the count with the share removed and with
the share of evidence lost. ``--show-misses`` prints development-half misses only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from evident.errors import InputError

if TYPE_CHECKING:
    from evident.verify.bench import Encounter
    from evident.verify.bench_omissions import Drafted

__all__ = ["bench_omissions", "register"]


@click.command("omissions")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="ACI-Bench CSV (dialogue, note) or MTS-Dialog CSV (dialogue, section_text).",
)
@click.option("--kind", type=click.Choice(["auto", "aci", "mts"]), default="auto")
@click.option("--limit", type=int, default=None, help="Use only the first N encounters.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option(
    "--half",
    type=click.Choice(["test", "dev"]),
    default="test",
    show_default=True,
    help="Which half the table reports (test is held out).",
)
@click.option(
    "--max-omissions",
    type=click.IntRange(1, 1000),
    default=25,
    show_default=True,
    help="At most this many omissions per draft (verify's default).",
)
@click.option(
    "--show-misses",
    type=int,
    default=0,
    help="Print up to N lost segments no omission points at (development half only).",
)
def bench_omissions(
    data: Path,
    kind: str,
    limit: int | None,
    seed: int,
    half: str,
    max_omissions: int,
    show_misses: int,
) -> None:
    """Omission recall, precision and count correlation on notes with sentences removed."""
    if show_misses and half != "dev":
        raise InputError("--show-misses prints development-half misses only: add --half dev")
    from tqdm import tqdm

    from evident.errorgen import half as half_of
    from evident.verify.bench import load_encounters
    from evident.verify.bench_omissions import run_encounter, systems

    if data.suffix.lower() == ".json":
        raise InputError("omissions need a dialogue and its note: give an ACI-Bench or MTS CSV")
    encounters = [
        e
        for e in load_encounters(data, "mts" if kind == "mts" else "auto", limit)
        if half_of(e.id) == half
    ]
    if not encounters:
        raise InputError(f"'{data.name}' has no usable encounters in the {half} half")
    cols = systems()
    results: list[tuple[str, Drafted]] = []
    for enc in tqdm(encounters, desc="omissions", disable=None):
        results.extend(run_encounter(enc, cols, seed, limit=max_omissions))
    click.echo(
        f"data: {data.name}  encounters: {len(encounters)}  half: {half}"
        f"{' (held out)' if half == 'test' else ' (development)'}  seed: {seed}  "
        f"max omissions: {max_omissions}"
    )
    _table(results, [c.name for c in cols])
    if show_misses:
        _misses(results, encounters, show_misses)


def _pct(a: float, n: float) -> str:
    return f"{100 * a / n:.1f}%" if n else "-"


def _table(results: list[tuple[str, Drafted]], names: list[str]) -> None:
    from evident.verify.bench_omissions import RATES, spearman

    click.echo(
        f"{'system':<20}{'removed':>8}{'drafts':>7}{'omissions':>10}{'capped':>8}"
        f"{'lost segs':>10}{'pointed at':>11}{'new -> lost':>12}"
    )
    for name in names:
        mine = [d for n, d in results if n == name]
        for rate in RATES:
            ds = [d for d in mine if d.rate == rate]
            lost = sum(len(d.lost.segments) for d in ds)
            new = sum(len(d.new) for d in ds)
            click.echo(
                f"{name:<20}{f'{100 * rate:.0f}%':>8}{len(ds):>7}"
                f"{sum(len(d.reported) for d in ds) / max(1, len(ds)):>10.1f}"
                f"{sum(d.capped for d in ds):>8}{lost / max(1, len(ds)):>10.1f}"
                f"{_pct(sum(d.pointed for d in ds), lost):>11}"
                f"{_pct(sum(d.new_pointing for d in ds), new):>12}"
            )
    click.echo("\nSpearman of the omission count, over all drafts")
    click.echo(f"{'system':<20}{'with share removed':>20}{'with evidence lost':>20}")
    for name in names:
        mine = [d for n, d in results if n == name]
        count = [float(len(d.reported)) for d in mine]
        cells = [
            spearman([d.removed_share for d in mine], count),
            spearman([d.lost.share for d in mine], count),
        ]
        click.echo(
            f"{name:<20}" + "".join(f"{'-' if c is None else f'{c:.3f}':>20}" for c in cells)
        )


def _misses(results: list[tuple[str, Drafted]], encounters: list[Encounter], limit: int) -> None:
    """Development-half lost segments Evident's omissions miss (the caller refuses the
    test half), at the largest share removed."""
    from evident.verify.bench_omissions import RATES, source_of

    by_id = {e.id: e for e in encounters}
    shown = 0
    click.echo("\nlost segments no omission points at, development half only")
    for name, d in results:
        if name != "evident" or d.rate != RATES[-1] or not d.missed:
            continue
        src = source_of(by_id[d.encounter])
        for sid in d.missed:
            seg = src.segment(sid)
            if seg is None or shown >= limit:
                continue
            shown += 1
            click.echo(f"  {d.encounter} {sid} {seg.speaker or '-'}: {seg.text[:150]}")


def register(root: click.Group) -> None:
    """Add ``evident bench omissions``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_omissions)
