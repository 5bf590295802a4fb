"""``evident train deid-ner``: train the project's own PHI tagger (shipped in the package)."""

from __future__ import annotations

from pathlib import Path

import click

from evident.errors import InputError

__all__ = ["register"]


def _default_out() -> Path:
    from importlib import resources

    return Path(str(resources.files("evident.privacy").joinpath("resources", "deid_ner")))


@click.command("deid-ner")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder with aci-bench/, mts-dialog/ and medec/ (the carrier text).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Model folder to write (default: the package's resources/deid_ner).",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Generator and training seed.")
@click.option(
    "--bench-seed",
    type=int,
    default=13,
    show_default=True,
    help="`evident bench deid --seed` whose TEST half stays unseen (only its dev half is read).",
)
@click.option("--epochs", type=int, default=10, show_default=True)
@click.option("--limit", type=int, default=None, help="At most N training pieces (a quick try).")
def train_deid_cmd(
    data: Path, out: Path | None, seed: int, bench_seed: int, epochs: int, limit: int | None
) -> None:
    """Train the PHI tagger from the FIRST generator's surrogate PHI in clinical text.

    Carriers: MEDEC and the development-half encounters of ACI-Bench and MTS-Dialog (never
    the second generator's test half); names and places are replaced by surrogates from
    pools the second generator does not use; a third is also written as lower-case
    unpunctuated speech. Single-threaded from a fixed seed: the same data give the same model.
    """
    from evident.privacy.synth.training import LABELS, chunks, training_docs
    from evident.privacy.train_ner import train

    if not data.is_dir():
        raise InputError(f"--data '{data}' is not a directory")
    if epochs < 1:
        raise InputError("--epochs must be at least 1")
    docs = training_docs(data, seed=seed, bench_seed=bench_seed + 16)
    pieces = [piece for doc in docs for piece in chunks(doc)][:limit]
    meta = {"seed": seed, "bench_seed": bench_seed, "epochs": epochs, "documents": len(docs)}
    report = train(
        pieces, out or _default_out(), labels=LABELS, seed=seed, epochs=epochs, meta=meta
    )
    click.echo(
        f"trained on {report.examples} pieces of {len(docs)} documents, {report.epochs} epochs, "
        f"{report.seconds:.0f} s CPU; held-aside pieces ({report.held_out}): "
        f"P {100 * report.precision:.2f} R {100 * report.recall:.2f}; "
        f"model {report.size_bytes / 1e6:.1f} MB at {out or _default_out()}"
    )


def register(root: click.Group) -> None:
    """Add ``train deid-ner`` to the root command."""
    from evident.cli._train import add_train_command

    add_train_command(root, train_deid_cmd)
