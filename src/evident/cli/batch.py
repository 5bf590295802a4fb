"""``evident batch TASK``: one task over a folder or JSONL of items, in process or on Ray."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

__all__ = ["register"]


@click.command("batch")
@click.argument(
    "task",
    type=click.Choice(["deid", "verify", "scribe", "chart", "caregaps", "triage", "eval"]),
)
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(path_type=Path),
    help="A folder of files (id = file name without extension; verify: ID.source.* and "
    "ID.draft.*) or a JSONL file with an 'id' per line.",
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="OUT.jsonl: one line per item, sorted by id.",
)
@click.option(
    "--ray",
    "ray_address",
    default=None,
    metavar="ADDRESS|local",
    help="Run on Ray: 'local' starts it here, else a cluster address (needs the 'batch' "
    "extra). Without it the batch runs in this process.",
)
@click.option("--workers", type=click.IntRange(1, 4096), default=1, show_default=True)
@click.option("-m", "--model", default=None, help="Model spec for tasks that draft.")
@click.option(
    "--rate-limit",
    type=click.FloatRange(0, min_open=True),
    default=None,
    metavar="RPM",
    help="Model requests per minute across all workers (deid, verify, caregaps: items).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip ids already in the output; refused if the output is another batch's (another "
    "task, other options or another input).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an output that is there already (else refused: it may be hours of model calls).",
)
@click.option(
    "--task-args",
    default="",
    metavar="ARGS",
    help='Options passed to every item\'s command, e.g. "--mode redact" (eval: '
    '"--benchmark medqa --mode zero-shot").',
)
@click.option(
    "--audit/--no-audit",
    default=True,
    show_default=True,
    help="Record each drafted run (scribe) in the audit trail with the batch id.",
)
@click.option("--progress/--no-progress", default=None, help="[default: on a terminal]")
def batch_cmd(
    task: str,
    input_path: Path,
    output: Path,
    ray_address: str | None,
    workers: int,
    model: str | None,
    rate_limit: float | None,
    resume: bool,
    overwrite: bool,
    task_args: str,
    audit: bool,
    progress: bool | None,
) -> None:
    """Run TASK on every item; each output line is what 'evident TASK --format json' prints.

    Lines are {"id", "ok": true, "result"} or {"id", "ok": false, "error": {"class",
    "message"}}; errors never carry patient text. An interrupted batch keeps every
    finished item: run it again with --resume.
    """
    from evident.batch import BatchKey, OutputLog, read_items, run_batch
    from evident.cli.main import cli
    from evident.errors import ConfigError, InputError

    if task not in cli.commands:
        raise ConfigError(f"the '{task}' command is not part of this installation")

    try:
        extra = shlex.split(task_args)
    except ValueError:
        raise InputError("--task-args is not a valid option string") from None
    _check_output(input_path, output)
    items = read_items(input_path, task)
    if resume and overwrite:
        raise InputError("--resume keeps the output and --overwrite replaces it: give one")
    key = BatchKey.of(task, items, model, extra)
    log = OutputLog(output, key=key, resume=resume, overwrite=overwrite)
    show = sys.stderr.isatty() if progress is None else progress
    summary = run_batch(
        task,
        items,
        log,
        ray_address=ray_address,
        workers=workers,
        model=model,
        extra=extra,
        rate_limit=rate_limit,
        progress=show,
        audit=audit,
    )
    click.echo(
        f"{summary.total} items: {summary.ok} ok, {summary.failed} failed, "
        f"{summary.skipped} already done; {summary.seconds:.1f} s -> {output} "
        f"(batch {summary.batch_id})",
        err=True,
    )


def _check_output(input_path: Path, output: Path) -> None:
    """The output must not overwrite the input, nor be read as input by the next run."""
    from evident.errors import InputError

    source, target = input_path.resolve(), output.resolve()
    if target == source:
        raise InputError("--output is the input file: name another file")
    if source.is_dir() and source in target.parents:
        raise InputError("--output is inside the input folder: the next run would read it")


def register(root: click.Group) -> None:
    """Add ``evident batch`` to the root command."""
    root.add_command(batch_cmd)
