"""``evident ask``: answer a question from a knowledge base with verified citations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from evident.cli._verify_options import build_verify_options, verify_options

__all__ = ["register"]


@click.command("ask")
@click.argument("question")
@click.option(
    "--kb",
    "kb_dir",
    required=True,
    envvar="EVIDENT_KB",
    type=click.Path(path_type=Path),
    help="Knowledge base folder (default: $EVIDENT_KB).",
)
@click.option("-m", "--model", default=None, help="Model spec (default: $EVIDENT_MODEL, offline).")
@click.option("--k", "k", type=int, default=5, show_default=True, help="Passages to retrieve.")
@click.option("--mode", type=click.Choice(["bm25", "dense", "hybrid"]), default="bm25")
@click.option(
    "--max-age-years",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Cited evidence older than this is flagged as stale (default 10).",
)
@click.option(
    "--max-postings",
    type=click.IntRange(min=0),
    default=None,
    help="Search pruning budget on large indexes: 0 = exact BM25.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text")
@verify_options
def ask_cmd(
    question: str,
    kb_dir: Path,
    model: str | None,
    k: int,
    mode: str,
    max_age_years: float | None,
    max_postings: int | None,
    fmt: str,
    **options: Any,
) -> None:
    """Answer QUESTION from the knowledge base; every sentence cites a retrieved passage.

    The answer abstains when the retrieved evidence does not answer the question. Each
    sentence is checked against the passage it cites; stale evidence is flagged.
    """
    from evident.kb import KnowledgeBase
    from evident.tasks.evidence_qa import answer_json, answer_text, ask, render_html

    opts = build_verify_options(options)
    with KnowledgeBase(kb_dir, max_postings=max_postings) as kb:
        run = ask(
            question,
            kb,
            model,
            k=k,
            mode=mode,  # type: ignore[arg-type]
            max_age_years=max_age_years,
            verify_options=opts,
        )
    if fmt == "json":
        click.echo(json.dumps(answer_json(run), ensure_ascii=False))
    elif fmt == "html":
        click.echo(render_html(run), nl=False)
    else:
        click.echo(answer_text(run), nl=False)


def register(root: click.Group) -> None:
    """Add ``ask`` to the root command."""
    root.add_command(ask_cmd)
