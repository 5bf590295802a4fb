"""``evident bench kb``: retrieval quality on PubMedQA and MedQuAD, and scale to 1M passages."""

from __future__ import annotations

import json
import platform
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click

__all__ = ["register"]

_DATA = click.option(
    "--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_LIMIT = click.option("--limit", type=click.IntRange(min=1), default=None, help="Queries to run.")
_MODE = click.option("--mode", type=click.Choice(["bm25", "dense", "hybrid"]), default="bm25")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
_WORKDIR = click.option(
    "--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where to build the index (default: a temporary folder, removed afterwards).",
)  # fmt: skip


@click.group("kb")
def bench_kb() -> None:
    """Knowledge-base retrieval and scale benchmarks."""


def _machine() -> str:
    return f"{platform.machine()}, Python {platform.python_version()}"


def _table(rows: list[tuple[str, Any]]) -> str:
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def _retrieval(result: Any, fmt: str) -> None:
    data = result.as_dict()
    if fmt == "json":
        click.echo(json.dumps(data | {"machine": _machine()}))
        return
    rows = [(k.replace("_", " "), v) for k, v in data.items()]
    click.echo(_table([*rows, ("machine", _machine())]))


@bench_kb.command("pubmedqa")
@_DATA
@_LIMIT
@_MODE
@_WORKDIR
@_FORMAT
def pubmedqa_cmd(data: Path, limit: int | None, mode: str, workdir: Path | None, fmt: str) -> None:
    """Recall@1/5/10 and MRR of each question's source abstract among all contexts."""
    from evident.kb.bench import bench_pubmedqa

    _retrieval(bench_pubmedqa(data, limit, mode, workdir), fmt)  # type: ignore[arg-type]


@bench_kb.command("medquad")
@_DATA
@_LIMIT
@_MODE
@_WORKDIR
@_FORMAT
def medquad_cmd(data: Path, limit: int | None, mode: str, workdir: Path | None, fmt: str) -> None:
    """Recall@1/5/10 and MRR of each MedQuAD question's own answer among all answers."""
    from evident.kb.bench import bench_medquad

    _retrieval(bench_medquad(data, limit, mode, workdir), fmt)  # type: ignore[arg-type]


@bench_kb.command("answers")
@click.option("--pubmedqa", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--medquad", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--n", "n", type=click.IntRange(min=1), default=40, show_default=True)
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option(
    "--sample", type=click.IntRange(min=0), default=0, show_default=True,
    help="Which disjoint sample of the split (0, 1, ...).",
)  # fmt: skip
@click.option(
    "--judgments", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="JSON {case key: true|false}: a reader's judgment of each cited sentence.",
)  # fmt: skip
@_WORKDIR
@_FORMAT
def answers_cmd(
    pubmedqa: Path | None,
    medquad: Path | None,
    n: int,
    split: str,
    sample: int,
    judgments: Path | None,
    workdir: Path | None,
    fmt: str,
) -> None:
    """The sentence the offline ``ask`` cites for N questions, to judge by hand.

    Prints each case's key, question and cited sentence; with --judgments, the share of
    cited sentences a reader accepted.
    """
    from evident.tasks.evidence_qa.bench import answer_cases, score_judgments

    datasets = {k: v for k, v in (("pubmedqa", pubmedqa), ("medquad", medquad)) if v}
    if not datasets:
        raise click.UsageError("give --pubmedqa and/or --medquad")
    root = workdir or Path(tempfile.mkdtemp(prefix="evident-kb-answers-"))
    try:
        cases = list(answer_cases(datasets, n, split, root, sample))  # type: ignore[arg-type]
    finally:
        if workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    if fmt == "json":
        for c in cases:
            click.echo(json.dumps({"key": c.key, **c.__dict__}))
    else:
        for c in cases:
            click.echo(f"{c.key}  [{c.dataset}] {c.question}\n    -> {c.sentence or '(abstained)'}")
    if judgments is not None:
        marks = json.loads(judgments.read_text("utf-8"))
        accepted, judged = score_judgments(cases, {str(k): bool(v) for k, v in marks.items()})
        click.echo(f"accepted {accepted} of {judged} judged ({len(cases)} cases)")


@bench_kb.command("scale")
@click.option("--passages", type=click.IntRange(min=1), default=1_000_000, show_default=True)
@click.option(
    "--vocab", "vocab", multiple=True, required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Files whose words the synthetic passages recombine (repeatable).",
)  # fmt: skip
@click.option("--queries", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--exact-queries", type=click.IntRange(min=0), default=50, show_default=True)
@click.option("--recall-data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_LIMIT
@_WORKDIR
@click.option("--keep", is_flag=True, help="Keep the index after the run.")
@click.option("--all-cores", is_flag=True, help="Do not pin the process to one core.")
@click.option(
    "--engine",
    type=click.Choice(["sqlite", "tantivy"]),
    default="sqlite",
    show_default=True,
    help="The store to measure (tantivy: the kb-scale extra).",
)
@_FORMAT
def scale_cmd(
    passages: int,
    vocab: tuple[Path, ...],
    queries: int,
    exact_queries: int,
    recall_data: Path | None,
    limit: int | None,
    workdir: Path | None,
    keep: bool,
    all_cores: bool,
    engine: str,
    fmt: str,
) -> None:
    """Index build throughput and memory, p50/p95 query latency at PASSAGES passages.

    Synthetic passages are drawn from the word frequencies of the --vocab files; queries
    are 8-word windows of those files. With --recall-data (PubMedQA) its abstracts are
    hidden among the synthetic passages and their recall is measured (--limit queries).
    """
    from evident.kb.bench import bench_scale, pin_one_core

    core = None if all_cores else pin_one_core()
    root = workdir or Path(tempfile.mkdtemp(prefix="evident-kb-scale-"))
    try:
        result = bench_scale(
            passages,
            vocab,
            root,
            queries,
            exact_queries,
            recall_data,
            limit,
            progress=True,
            engine=engine,  # type: ignore[arg-type]
        )
    finally:
        if not keep and workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    result["machine"] = _machine()
    result["pinned_core"] = core
    if fmt == "json":
        click.echo(json.dumps(result))
        return
    rows: list[tuple[str, Any]] = []
    for key, value in result.items():
        if isinstance(value, dict):
            rows.extend((f"{key} {k}", v) for k, v in value.items())
        else:
            rows.append((key, value))
    click.echo(_table(rows))


def register(root: click.Group) -> None:
    """Add ``evident bench kb`` to the bench group."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_kb)
