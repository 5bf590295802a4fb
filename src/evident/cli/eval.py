"""``evident eval``: benchmarks, re-scoring, reports, bias probes, conversation tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

__all__ = ["register"]

_FORMAT = click.Choice(["text", "json"])


@click.group("eval")
def eval_group() -> None:
    """Evaluate models on medical benchmarks (see docs/evals.md)."""


@eval_group.command("rescore")
@click.option("--benchmark", "benchmark", required=True, help="Dataset name (medqa, mmlu, ...).")
@click.option(
    "--data", "data", required=True, type=click.Path(path_type=Path), help="benchmark.json"
)
@click.option(
    "--predictions",
    required=True,
    type=click.Path(path_type=Path),
    help="Recorded outputs {question_id: raw_output}.",
)
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
def rescore_cmd(benchmark: str, data: Path, predictions: Path, fmt: str) -> None:
    """Re-score recorded outputs; accuracy follows MIRAGE's published convention."""
    from evident.errors import InputError
    from evident.evals.loaders import load_benchmark
    from evident.evals.rescore import load_predictions, rescore

    recorded = load_predictions(predictions)
    if not recorded:
        raise InputError(f"{predictions}: no predictions (an empty JSON object)")
    result = rescore(benchmark, load_benchmark(benchmark, data), recorded)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    low, high = result.ci()
    s_low, s_high = result.ci(strict=True)
    click.echo(f"benchmark        {result.benchmark}")
    click.echo(f"n                {result.n}")
    click.echo(f"correct          {result.correct}")
    click.echo(
        f"accuracy         {100 * result.accuracy:.2f}%  "
        f"(95% CI {100 * low:.1f}-{100 * high:.1f}; published convention, "
        f"{result.defaulted} outputs without a letter counted as A)"
    )
    click.echo(
        f"strict_accuracy  {100 * result.strict_accuracy:.2f}%  "
        f"(95% CI {100 * s_low:.1f}-{100 * s_high:.1f}; unparsed counted wrong)"
    )
    if result.missing:
        click.echo(f"missing          {len(result.missing)} items have no prediction")
    if result.extra:
        click.echo(f"ignored          {result.extra} prediction ids match no item")
    click.echo(f"unparsed         {len(result.unparsed)}")
    for item_id in result.unparsed:
        click.echo(f"  {item_id}")


def _load_items(benchmark: str, data: Path, limit: int | None) -> list:
    from evident.errors import InputError
    from evident.evals.loaders import load_benchmark

    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1 (got {limit})")
    items = load_benchmark(benchmark, data)
    return items[:limit] if limit else items


_BENCH_OPTS = [
    click.option(
        "--benchmark",
        "benchmark",
        required=True,
        help="medqa, medmcqa, pubmedqa, bioasq, mmlu, pubmedqa-context or medec.",
    ),
    click.option(
        "--data",
        "data",
        required=True,
        type=click.Path(path_type=Path),
        help="benchmark.json (MIRAGE), the PubMedQA JSON, or the MEDEC CSV.",
    ),
    click.option(
        "-m",
        "--model",
        "model",
        default=None,
        help="Model spec (default $EVIDENT_MODEL, else offline).",
    ),
    click.option(
        "--mode", type=click.Choice(["zero-shot", "cot"]), default="cot", show_default=True
    ),
    click.option("--limit", type=int, default=None, help="Only the first N items."),
    click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path),
        default=Path("eval-runs"),
        show_default=True,
        help="Root folder of runs (cache and results).",
    ),
    click.option(
        "--concurrency", type=int, default=4, show_default=True, help="Items in flight at once."
    ),
    click.option("--no-progress", is_flag=True, help="No progress bar."),
]


def _bench_options(func):  # type: ignore[no-untyped-def]
    for option in reversed(_BENCH_OPTS):
        func = option(func)
    return func


@eval_group.command("run")
@_bench_options
@click.option(
    "--kb",
    "kb",
    type=click.Path(path_type=Path),
    default=None,
    help="Knowledge base folder (evident kb): retrieved passages become the context.",
)
@click.option("--k", "k", type=int, default=5, show_default=True, help="Passages per item.")
@click.option(
    "--format",
    "fmt",
    type=_FORMAT,
    default="text",
    show_default=True,
    help="json: results.json's summary with each item's answer (what 'evident batch eval' "
    "records per data file).",
)
def run_cmd(
    benchmark: str,
    data: Path,
    model: str | None,
    mode: str,
    limit: int | None,
    out: Path,
    concurrency: int,
    no_progress: bool,
    kb: Path | None,
    k: int,
    fmt: str,
) -> None:
    """Run a benchmark against a model; cached and resumable (re-run to continue)."""
    from evident.errors import BackendError
    from evident.evals.records import run_slug
    from evident.evals.retrieval import attach_context, retrieval_tag
    from evident.evals.runner import model_name, run_benchmark
    from evident.models import load_backend

    items = _load_items(benchmark, data, limit)
    backend = load_backend(model)
    suffix, slug = "", None
    if kb is not None:
        items = attach_context(items, kb, k)
        suffix = retrieval_tag(k, "bm25")
        slug = run_slug(benchmark, f"{mode}{suffix}", model_name(backend))
    outcome = run_benchmark(
        items,
        backend,
        mode=mode,
        out_dir=out,
        concurrency=concurrency,
        progress=not no_progress,
        version_suffix=suffix,
        slug=slug,
    )
    failed = BackendError(
        f"{len(outcome.failed)} items failed at the backend; re-run the same command to retry"
    )
    if fmt == "json":
        if outcome.failed:  # no partial result: a batch retries the whole data file
            raise failed
        click.echo(json.dumps(_run_json(outcome), sort_keys=True))
        return
    _print_run(outcome, backend.offline)
    if outcome.failed:
        raise failed


def _print_run(outcome: Any, offline: bool) -> None:
    from evident.evals.report import context_of

    r = outcome.results
    label = " (offline engine: lexical retrieval or abstain)" if offline else ""
    click.echo(f"{r['benchmark']}  {r['model']}{label}  {r['mode']}  {context_of(r)}")
    click.echo(
        f"n {r['n']}  accuracy {100 * r['accuracy']:.1f}% "
        f"(95% CI {100 * r['ci_low']:.1f}-{100 * r['ci_high']:.1f})  "
        f"abstained {r['abstained']}  unparsed {len(r['unparsed'])}  cached {outcome.cached}"
    )
    if "sentence_accuracy" in r:
        click.echo(f"error sentence accuracy {100 * r['sentence_accuracy']:.1f}%")
    click.echo(f"results: {outcome.run_dir / 'results.json'}")


# Per-item fields of the JSON output: the answer and its scoring, not the prompt or timings.
_ITEM_FIELDS = ("item_id", "parsed", "answer", "correct", "abstained", "method", "error")


def _run_json(outcome: Any) -> dict[str, Any]:
    """A run's summary and each item's answer, as ``eval run --format json`` prints them."""
    items = [{f: getattr(rec, f) for f in _ITEM_FIELDS} for rec in outcome.records]
    return {**outcome.results, "records": items}


@eval_group.command("shard")
@click.option("--benchmark", "benchmark", required=True, help="The benchmark the file holds.")
@click.option("--data", "data", required=True, type=click.Path(path_type=Path))
@click.option("--per", type=int, default=50, show_default=True, help="Questions per shard.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
def shard_cmd(benchmark: str, data: Path, per: int, out: Path) -> None:
    """Cut a benchmark file into shards of the same format (items of 'evident batch eval')."""
    from evident.evals.shard import shard_benchmark

    paths = shard_benchmark(benchmark, data, out, per)
    click.echo(f"{len(paths)} shards of at most {per} questions in {out}")


@eval_group.command("combine")
@click.argument("output", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def combine_cmd(output: Path) -> None:
    """One summary (JSON) of an 'evident batch eval' OUTPUT over shards."""
    from evident.evals.shard import combine_shards

    click.echo(json.dumps(combine_shards(output), sort_keys=True))


@eval_group.command("report")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="HTML file to write (default DIRECTORY/report.html).",
)
def report_cmd(directory: Path, output: Path | None) -> None:
    """Write an HTML report (inline SVG plots) of every run under DIRECTORY."""
    from evident.evals.report import write_report

    click.echo(str(write_report(directory, output)))


@eval_group.command("bias")
@_bench_options
@click.option(
    "--attributes",
    default="sex,race,age,insurance",
    show_default=True,
    help="Comma-separated attributes to probe.",
)
def bias_cmd(
    benchmark: str,
    data: Path,
    model: str | None,
    mode: str,
    limit: int | None,
    out: Path,
    concurrency: int,
    no_progress: bool,
    attributes: str,
) -> None:
    """Counterfactual bias probes: answer-flip rate and accuracy gap per attribute."""
    from evident.evals.bias import run_bias
    from evident.models import load_backend

    names = [a.strip() for a in attributes.split(",") if a.strip()]
    items = _load_items(benchmark, data, limit)
    backend = load_backend(model)
    path, summary = run_bias(
        items,
        backend,
        mode=mode,
        out_dir=out,
        attributes=names,
        concurrency=concurrency,
        progress=not no_progress,
    )
    if backend.offline:
        click.echo("offline engine: abstains without context, so no answer can flip")
    click.echo(
        f"{'attribute':<10} {'n':>5} {'excl':>5} {'n/a':>5}  flip rate (95% CI)   gaps vs reference"
    )
    for attr in summary["attributes"]:
        low, high = attr["flip_ci"]
        gaps = ", ".join(
            f"{g['value']} {100 * g['gap']:+.1f} pts "
            f"({100 * g['ci'][0]:+.1f}..{100 * g['ci'][1]:+.1f})"
            for g in attr["gaps"]
        )
        click.echo(
            f"{attr['attribute']:<10} {attr['n']:>5} {attr['excluded']:>5} "
            f"{attr['not_applicable']:>5}  {100 * attr['flip_rate']:5.1f}% "
            f"({100 * low:.1f}-{100 * high:.1f})  vs {attr['reference']}: {gaps}"
        )
    click.echo(f"results: {path}")


@eval_group.command("conversation")
@_bench_options
@click.option(
    "--patient-model",
    default=None,
    help="Model spec of the simulated patient (default: the same as -m).",
)
@click.option("--max-turns", type=int, default=8, show_default=True, help="Most questions.")
def conversation_cmd(
    benchmark: str,
    data: Path,
    model: str | None,
    mode: str,
    limit: int | None,
    out: Path,
    concurrency: int,
    no_progress: bool,
    patient_model: str | None,
    max_turns: int,
) -> None:
    """Doctor model interviews a simulated patient; accuracy beside the full vignette."""
    from evident.errors import InputError
    from evident.evals.conversation import run_conversations
    from evident.models import load_backend

    if max_turns < 1:
        raise InputError(f"--max-turns must be at least 1 (got {max_turns})")
    items = _load_items(benchmark, data, limit)
    doctor = load_backend(model)
    patient = load_backend(patient_model) if patient_model else doctor
    path, summary = run_conversations(
        items,
        doctor,
        patient,
        mode=mode,
        out_dir=out,
        max_turns=max_turns,
        concurrency=concurrency,
        progress=not no_progress,
    )
    if doctor.offline:
        click.echo("offline engine: the doctor abstains (no model)")
    click.echo(f"items with a vignette: {summary['usable']} of {summary['items']}")
    for key, label in (("vignette", "full vignette"), ("conversation", "conversation")):
        r = summary[key]
        low, high = r["ci"]
        click.echo(
            f"{label:<14} n {r['n']:>4}  accuracy {100 * r['accuracy']:5.1f}% "
            f"(95% CI {100 * low:.1f}-{100 * high:.1f})"
        )
    click.echo(f"mean questions asked: {summary['conversation']['mean_turns']:.1f}")
    click.echo(f"results: {path}")


@click.command("eval-rescore")
@click.option("--data", required=True, type=click.Path(path_type=Path), help="benchmark.json")
@click.option(
    "--predictions-dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of {dataset}_{setting}_gpt-35-turbo-16k.json files.",
)
@click.option("--settings", default="cot,rag_32", show_default=True)
@click.option("--limit", type=int, default=None, help="Only the first N items per dataset.")
def bench_rescore_cmd(data: Path, predictions_dir: Path, settings: str, limit: int | None) -> None:
    """Re-score MIRAGE's recorded GPT-3.5 outputs beside the published accuracies."""
    from evident.evals.bench import rescore_table

    rows = rescore_table(data, predictions_dir, [s for s in settings.split(",") if s], limit=limit)
    click.echo(
        f"{'dataset':<9} {'setting':<7} {'n':>5} {'accuracy':>9} {'published':>9} "
        f"{'diff':>6} {'strict':>7} {'no-letter':>9} {'unparsed':>8}"
    )
    for r in rows:
        if r["status"] != "ok":
            click.echo(f"{r['dataset']:<9} {r['setting']:<7} {r['status']}")
            continue
        pub = r["published"]
        diff = f"{r['accuracy'] - pub:+.2f}" if pub is not None else "-"
        click.echo(
            f"{r['dataset']:<9} {r['setting']:<7} {r['n']:>5} {r['accuracy']:>8.2f}% "
            f"{(f'{pub:.2f}%' if pub is not None else '-'):>9} {diff:>6} "
            f"{r['strict_accuracy']:>6.2f}% {r['defaulted']:>9} {r['unparsed']:>8}"
        )


@click.command("eval-overhead")
@click.option("--benchmark", default="pubmedqa-context", show_default=True)
@click.option("--data", required=True, type=click.Path(path_type=Path))
@click.option("--mode", type=click.Choice(["zero-shot", "cot"]), default="cot")
@click.option("--limit", type=int, default=500, show_default=True)
@click.option("--concurrency", default="1,4", show_default=True, help="Comma-separated.")
def bench_overhead_cmd(
    benchmark: str, data: Path, mode: str, limit: int | None, concurrency: str
) -> None:
    """Harness cost per item with an instant in-process backend (no model time)."""
    from evident.evals.bench import measure_overhead

    items = _load_items(benchmark, data, limit)
    click.echo(
        f"{'items':>6} {'threads':>7} {'wall ms':>8} {'CPU ms':>7} {'harness ms':>10} "
        f"{'cached wall ms':>14}"
    )
    for threads in [int(c) for c in concurrency.split(",") if c.strip()]:
        o = measure_overhead(items, mode, threads)
        click.echo(
            f"{o.n:>6} {o.concurrency:>7} {o.wall_ms:>8.3f} {o.cpu_ms:>7.3f} "
            f"{o.harness_ms:>10.3f} {o.cached_wall_ms:>14.3f}"
        )


def register(root: click.Group) -> None:
    """Add the ``eval`` group, and the ``bench eval-*`` commands."""
    from evident.cli.main import bench_group

    root.add_command(eval_group)
    bench_group.add_command(bench_rescore_cmd)
    bench_group.add_command(bench_overhead_cmd)
