"""``evident bench patient DATA...``: after-visit summaries of ACI-Bench notes, measured."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import click

__all__ = ["register"]


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "n/a"


@click.command("patient")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--limit", type=int, default=None, help="Use only the first N notes per file.")
@click.option("--plants/--no-plants", default=True, show_default=True, help="Planted errors.")
@click.option("--seed", type=int, default=13, show_default=True)
def bench_patient(files: tuple[Path, ...], limit: int | None, plants: bool, seed: int) -> None:
    """Summarise every note of ACI-Bench CSV FILES offline and print the measures.

    Median reading grade (Flesch-Kincaid, SMOG), doses kept, follow-up and return
    precautions carried, statements the note contradicts, and planted dose, negation
    and side errors surfacing against the transcript.
    """
    from tqdm import tqdm

    from evident.tasks.patient.bench import PLANT_KINDS, Totals, median, read_pairs, score_note

    rng = random.Random(seed)
    for path in files:
        totals = Totals()
        rows = list(read_pairs(path, limit))
        for _, dialogue, note in tqdm(rows, disable=not sys.stderr.isatty(), desc=path.name):
            totals.notes.append(score_note(dialogue, note, plants, rng))
        n = totals.notes
        click.echo(f"{path.name}: {len(n)} notes")
        rows_out = [
            ("median grade, Flesch-Kincaid", str(median([s.fk for s in n]))),
            ("median grade, SMOG", str(median([s.smog for s in n]))),
            ("doses kept", _pct(*totals.ratio("doses_kept", "doses"))),
            ("follow-up sentences carried", _pct(*totals.ratio("follow_ups_kept", "follow_ups"))),
            ("return precautions carried", _pct(*totals.ratio("returns_kept", "returns"))),
            ("contradicted by the note", _pct(*totals.ratio("contradicted", "statements"))),
            ("unsupported by the note", _pct(*totals.ratio("unsupported", "statements"))),
        ]
        for label, value in rows_out:
            click.echo(f"  {label:<30} {value}")
        if plants:
            for kind in PLANT_KINDS:
                planted, carried, surfaced = totals.plants(kind)
                click.echo(
                    f"  planted {kind:<9} {planted:>4} planted, {carried:>4} carried into the "
                    f"summary, surfaced {_pct(surfaced, carried)}"
                )
        click.echo("")


def register(root: click.Group) -> None:
    """Add ``evident bench patient``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_patient)
