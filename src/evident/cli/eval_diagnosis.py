"""``evident eval diagnosis``: differential accuracy on clinical vignettes, offline vs models."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from evident.errors import InputError

__all__ = ["register"]


def _progress(desc: str, quiet: bool):  # type: ignore[no-untyped-def]
    def wrap(items):  # type: ignore[no-untyped-def]
        if quiet or not sys.stderr.isatty():
            return items
        from tqdm import tqdm

        return tqdm(items, desc=desc, unit="case", file=sys.stderr, leave=False)

    return wrap


def _model_engine(spec: str, top: int):  # type: ignore[no-untyped-def]
    """The model's differential as it answered: the benchmark counts bad quotes first."""
    from evident.models.base import GenerationRequest
    from evident.models.registry import load_backend
    from evident.tasks.differential import Differential, DifferentialOutput, build_messages

    backend = load_backend(spec)

    def run(case):  # type: ignore[no-untyped-def]
        request = GenerationRequest(
            messages=build_messages(case.text, top),
            output_type=DifferentialOutput,
            temperature=0.0,
            max_tokens=3000,
        )
        answer = backend.generate(request).value
        return Differential(**answer.model_dump(), model=spec)

    return run


def _fmt(row: dict[str, Any]) -> list[str]:
    def pct(v: tuple[float, tuple[float, float]]) -> str:
        p, (lo, hi) = v
        return f"{100 * p:5.1f}% ({100 * lo:.0f}-{100 * hi:.0f})"

    mnm_p, (mlo, mhi), m_n = row["must_not_miss"]
    fa_p, (flo, fhi), f_n = row["false_alarm"]
    return [
        row["engine"],
        str(row["n"]),
        pct(row["top1"]),
        pct(row["top5"]),
        pct(row["top10"]),
        f"{100 * row['top10_strict']:.1f}%",
        f"{100 * row['quotes_exact']:.1f}% of {row['quotes']}",
        str(row["denied_as_supporting"]),
        str(row["invalid_after_check"]),
        f"{100 * mnm_p:.0f}% ({100 * mlo:.0f}-{100 * mhi:.0f}) n={m_n}",
        f"{100 * fa_p:.0f}% ({100 * flo:.0f}-{100 * fhi:.0f}) n={f_n}",
        f"{1000 * row['cpu_s_median']:.0f} / {1000 * row['cpu_s_mean']:.0f}",
    ]


_HEAD = [
    "engine",
    "n",
    "top-1 (95% CI)",
    "top-5 (95% CI)",
    "top-10 (95% CI)",
    "top-10 strict",
    "quotes exact",
    "denied as support",
    "invalid after check",
    "must-not-miss flagged",
    "flag on non-emergency",
    "CPU ms/case median / mean",
]


@click.command("diagnosis")
@click.option(
    "--cases",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL vignettes (../shared/datasets/diagnosis/avey_vignettes.jsonl).",
)
@click.option(
    "-m",
    "--model",
    "models",
    multiple=True,
    help="Model spec to compare with the offline engine (repeatable).",
)
@click.option(
    "--split",
    type=click.Choice(["test", "dev", "all"]),
    default="test",
    show_default=True,
    help="Half of the vignettes (by a hash of the diagnosis): tune on dev, report test.",
)
@click.option("--kb", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N cases.")
@click.option(
    "--embeddings/--no-embeddings",
    default=None,
    help="The offline engine's embeddings bridge (default: on when the embeddings extra "
    "is installed).",
)
@click.option(
    "--with-lexical",
    is_flag=True,
    help="Also score the lexical engine alone, beside the default one.",
)
@click.option("--show-misses", is_flag=True, help="List the misses (dev split only).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--no-progress", is_flag=True)
def diagnosis_cmd(
    cases: Path,
    models: tuple[str, ...],
    split: str,
    kb: Path | None,
    limit: int | None,
    embeddings: bool | None,
    with_lexical: bool,
    show_misses: bool,
    fmt: str,
    no_progress: bool,
) -> None:
    """Top-1/5/10 accuracy, quote validity and must-not-miss flags on vignettes."""
    from evident.evals.diagnosis import load_vignettes, score_engine, split_of
    from evident.tasks.differential import load_table, run_offline
    from evident.tasks.differential.dense import use_bridge

    if show_misses and split != "dev":
        raise InputError("--show-misses only on the dev split (the test half stays unread)")
    vignettes = [
        v for v in load_vignettes(cases) if split == "all" or split_of(v.diagnosis) == split
    ]
    vignettes = vignettes[:limit] if limit else vignettes
    table = load_table(kb)
    bridge = use_bridge(embeddings)
    lexical = ("offline", lambda case: run_offline(case, table, 10))
    engines = [lexical] if with_lexical or not bridge else []
    if bridge:
        engines.append(
            ("offline+embeddings", lambda case: run_offline(case, table, 10, embeddings=True))
        )
    engines += [(spec, _model_engine(spec, 10)) for spec in models]
    scores = [
        score_engine(name, fn, vignettes, table, _progress(name, no_progress))
        for name, fn in engines
    ]
    rows = [s.row() for s in scores]
    if fmt == "json":
        click.echo(json.dumps({"split": split, "engines": rows}, indent=2))
        return
    click.echo(f"split {split}: {len(vignettes)} vignettes")
    table_rows = [_HEAD] + [_fmt(r) for r in rows]
    for i, _col in enumerate(_HEAD):
        width = max(len(r[i]) for r in table_rows)
        for r in table_rows:
            r[i] = r[i].ljust(width)
    for r in table_rows:
        click.echo("  ".join(r).rstrip())
    if show_misses:
        for s in scores:
            for index, truth, top in s.misses:
                click.echo(f"miss {s.name} line {index}: {truth} <- {'; '.join(top)}")


def register(root: click.Group) -> None:
    """Add ``diagnosis`` to the ``eval`` group (registered by ``cli/eval.py``)."""
    group = root.commands.get("eval")
    if not isinstance(group, click.Group):
        group = click.Group("eval", help="Evaluate models on medical benchmarks.")
        root.add_command(group)
    group.add_command(diagnosis_cmd)
