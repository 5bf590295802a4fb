"""``evident bench batch``: throughput of `evident batch` in process and on Ray."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["register"]


@click.command("batch")
@click.argument(
    "csv_files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--task", type=click.Choice(["deid", "verify"]), default="deid", show_default=True)
@click.option(
    "--repeat",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="Copies of each item.",
)
@click.option(
    "--workers",
    default="1,2",
    show_default=True,
    help="Ray worker counts to measure ('' for none).",
)
@click.option(
    "--ray", "ray_address", default=None, help="Cluster address (default: start Ray here)."
)
def bench_batch_cmd(
    csv_files: tuple[Path, ...], task: str, repeat: int, workers: str, ray_address: str | None
) -> None:
    """Items per second of TASK over ACI-Bench CSV_FILES: single command, batch, Ray."""
    from evident.batch.bench import bench_batch, load_items
    from evident.errors import InputError

    try:
        counts = [int(w) for w in workers.split(",") if w.strip()]
    except ValueError:
        raise InputError("--workers takes comma-separated counts, e.g. 1,2") from None
    items = load_items(csv_files, task, repeat)
    click.echo(f"evident bench batch: {task}, {len(items)} items", err=True)
    rows = bench_batch(task, items, counts, ray_address)
    base = rows[0].steady
    head = (
        f"{'configuration':<28} {'items':>6} {'total s':>8} {'items/s':>8} "
        f"{'vs loop':>8} {'ms/item':>8} {'CPU ms/item':>12} {'worker':>7} {'driver':>7} "
        f"{'Ray':>6}"
    )
    click.echo(head)
    for row in rows:
        ratio = row.steady / base if base else 0.0
        per = 1000 / row.steady if row.steady else 0.0
        n = row.steady_items or 1
        split = [1000 * c / n for c in (row.worker_cpu, row.driver_cpu, row.ray_cpu)]
        click.echo(
            f"{row.name:<28} {row.items:>6} {row.seconds:>8.2f} {row.steady:>8.2f} "
            f"{ratio:>7.2f}x {per:>8.1f} {row.cpu_ms_per_item():>12.1f} "
            f"{split[0]:>7.1f} {split[1]:>7.1f} {split[2]:>6.1f}"
        )
    click.echo(
        "items/s, ms/item and CPU: steady state (first result to last); CPU ms/item sums "
        "the driver, the Ray workers and Ray's own processes (Ray started here, Linux)."
    )


def register(root: click.Group) -> None:
    """Add ``evident bench batch``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_batch_cmd)
