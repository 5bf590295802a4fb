"""``evident train omissions``: fit the noteworthy-turn model of the omission search on
the development half of dialogues with reference notes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from evident.errors import InputError

__all__ = ["register", "train_omissions_cmd"]


@click.command("omissions")
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    required=True,
    help="ACI-Bench or MTS-Dialog CSV (repeat); only its development-half encounters are read.",
)
@click.option(
    "--cutoff",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=0.6,
    show_default=True,
    help="Probability from which a turn is noteworthy.",
)
@click.option(
    "--coverage",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=0.15,
    show_default=True,
    help="A noteworthy turn is omitted when the draft has less than this share of its words.",
)
@click.option("--limit", type=int, default=None, help="First N encounters of each file.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file to write (default: the package's resources/noteworthy_model.json).",
)
def train_omissions_cmd(
    data: tuple[Path, ...], cutoff: float, coverage: float, limit: int | None, out: Path | None
) -> None:
    """Fit the noteworthy-turn model on the development half; print its in-sample AUROC.

    A turn is noteworthy when a supported sentence of the encounter's reference note
    cites it or the question it answers. The cutoff and coverage defaults were chosen
    with ``evident bench omissions --half dev`` on the training files.
    """
    from evident.verify.bench import load_encounters
    from evident.verify.noteworthy import FEATURES, shipped_path
    from evident.verify.noteworthy_train import auroc, fit, records

    rows = []
    names = []
    for path in data:
        if path.suffix.lower() == ".json":
            raise InputError(f"'{path.name}': the model learns dialogues; give a CSV")
        got = records(load_encounters(path, "auto", limit))
        if not got:
            raise InputError(f"'{path.name}' has no development-half turns")
        rows.extend(got)
        names.append(path.name)
    meta = {"data": names, "half": "dev", "turns": len(rows), "l2": 1.0}
    try:
        weights = fit(rows, cutoff=cutoff, coverage=coverage, meta=meta)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    target = out or shipped_path()
    try:
        target.write_text(json.dumps(weights.model_dump(), indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write '{target.name}': {type(exc).__name__}") from None
    share = sum(y for _, y in rows) / len(rows)
    click.echo(
        f"trained on {len(rows)} development-half turns ({100 * share:.1f}% noteworthy); "
        f"wrote {target}"
    )
    click.echo(
        f"in-sample AUROC {auroc(rows, weights):.3f}; cutoff {cutoff:g}, coverage {coverage:g}"
    )
    for name, w in sorted(zip(FEATURES, weights.weights, strict=True), key=lambda t: -abs(t[1])):
        click.echo(f"  {name:<16}{w:+.3f}")


def register(root: click.Group) -> None:
    """Add ``train omissions`` to the root command."""
    from evident.cli._train import add_train_command

    add_train_command(root, train_omissions_cmd)
