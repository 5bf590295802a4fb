"""``evident train entailer``: fit the support model (``--entailer support``) on the
development half of the general benchmark's data, one error family held out."""

from __future__ import annotations

import json
from pathlib import Path

import click

from evident.errors import InputError

__all__ = ["register", "train_entailer_cmd"]


def _default_out() -> Path:
    from importlib import resources

    return Path(str(resources.files("evident.verify").joinpath("resources", "support_model.json")))


@click.command("entailer")
@click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    required=True,
    help="ACI-Bench or MTS-Dialog CSV (repeat); only its development-half encounters are read.",
)
@click.option(
    "--family",
    type=click.Choice(["surface", "syntax"]),
    default="surface",
    show_default=True,
    help="The error family trained on; the other one is held out and reported.",
)
@click.option(
    "--clean-flag-rate",
    type=click.FloatRange(0.01, 0.5),
    default=0.2,
    show_default=True,
    help="Share of training clean sentences the model leaves below their cutoff.",
)
@click.option(
    "--population",
    type=click.Choice(["decisive", "open", "all"]),
    default="decisive",
    show_default=True,
    help="Train on the statements whose verdict the entailer's score decides (decisive), "
    "on all those verify's checkers leave to the entailer (open: no conflict, no missing "
    "hard fact), or on every statement.",
)
@click.option("--per-type", type=int, default=2, show_default=True)
@click.option("--seed", type=int, default=13, show_default=True, help="Generator seed.")
@click.option("--limit", type=int, default=None, help="First N encounters of each file.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file to write (default: the package's resources/support_model.json).",
)
def train_entailer_cmd(
    data: tuple[Path, ...],
    family: str,
    clean_flag_rate: float,
    population: str,
    per_type: int,
    seed: int,
    limit: int | None,
    out: Path | None,
) -> None:
    """Fit the support model on the development half; report the held-out family.

    Positives are the reference notes' sentences, negatives the training family's
    perturbations and invented sentences, all from development-half encounters (the test
    half is dropped before any text is read); by default only those whose verdict the
    entailer's score decides once verify's checkers have run. The other family is the
    held-out check: its detection, counted as the decision table would label each
    statement, is printed beside the lexical coverage score's (at the support threshold
    and at the same clean flag rate) and coverage by a window of neighbouring turns.
    """
    from evident.verify.bench import load_encounters
    from evident.verify.support_train import dev_only, evaluate, fit, records

    rows = []
    names = []
    for path in data:
        encounters = dev_only(load_encounters(path, "auto", limit))
        if not encounters:
            raise InputError(f"'{path.name}' has no development-half encounters")
        rows.extend(records(encounters, per_type, seed, checkers=population != "all"))
        names.append(path.name)
    rows = [r for r in rows if r.opened]
    pool = [r for r in rows if population != "decisive" or 0 < r.cutoff <= 1]
    train = [r for r in pool if r.supported or r.family in (family, "corpus")]
    held = "syntax" if family == "surface" else "surface"
    meta = {
        "data": names,
        "half": "dev",
        "family": family,
        "held_out_family": held,
        "clean_flag_rate": clean_flag_rate,
        "population": population,
        "per_type": per_type,
        "seed": seed,
        "records": len(train),
    }
    try:
        weights = fit(train, clean_flag_rate=clean_flag_rate, meta=meta)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    target = out or _default_out()
    target.write_text(json.dumps(weights.model_dump(), indent=1) + "\n", encoding="utf-8")
    click.echo(
        f"trained on {len(train)} development-half statements ({family}, {population}); "
        f"wrote {target}"
    )
    report = evaluate(rows, weights, held)
    invented = evaluate(rows, weights, "corpus")
    click.echo(f"held-out family {held}, development half: detected (n) per scorer")
    cols = list(report)
    click.echo(f"{'type':<18}" + "".join(f"{c:>25}" for c in cols))
    for t in report[cols[0]]:
        cells = [f"{100 * report[c][t].detected:.1f}% ({report[c][t].n_items})" for c in cols]
        click.echo(f"{t:<18}" + "".join(f"{x:>25}" for x in cells))
    cells = [f"{100 * invented[c]['all'].detected:.1f}% (trained)" for c in cols]
    click.echo(f"{'invented':<18}" + "".join(f"{x:>25}" for x in cells))
    cells = [f"{100 * report[c]['all'].clean_flagged:.1f}%" for c in cols]
    click.echo(f"{'clean flagged':<18}" + "".join(f"{x:>25}" for x in cells))


def register(root: click.Group) -> None:
    """Add ``train entailer`` to the root command."""
    from evident.cli._train import add_train_command

    add_train_command(root, train_entailer_cmd)
