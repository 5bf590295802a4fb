"""One batch item through the same command a user runs, in process.

The result of an item is exactly what ``evident TASK ... --format json`` prints for it:
the command runs in this process (so lexicons, models and knowledge bases load once per
worker), its standard output is captured and parsed. A failure becomes
``{"class": ..., "message": ...}``: an :class:`~evident.errors.EvidentError`'s one-line
message (which never carries PHI), or only the class name of anything else.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evident.batch.items import MODEL_TASKS, Item
from evident.errors import EvidentError
from evident.pipeline import batch_context

__all__ = ["argv_for", "run_item"]

logger = logging.getLogger(__name__)

# Errors worth another try: the backend failed (network, 5xx, 429 after its own retries).
TRANSIENT = ("BackendError",)


def argv_for(
    task: str,
    paths: dict[str, Path],
    model: str | None,
    extra: Sequence[str],
    audit: bool = False,
) -> list[str]:
    """The command line of one item, as a user would type it (without ``evident``).

    Args:
        task: The batch task.
        paths: Input role to the file written for it.
        model: Model spec for the tasks that call a model (``scribe``, ``chart``,
            ``triage``, ``eval``).
        extra: Further options passed through unchanged (``--task-args``).
        audit: Let the tasks that record runs record this one (else ``--no-audit``).
    """
    if task == "verify":
        argv = ["verify", "--source", str(paths["source"]), "--draft", str(paths["draft"])]
    elif task == "eval":
        # One data file per item, evaluated one question at a time (the batch's workers
        # are its concurrency); its run cache lives and dies with the item's folder.
        data = paths["text"]
        argv = ["eval", "run", "--data", str(data), "--out", str(data.parent / "runs")]
        argv += ["--concurrency", "1", "--no-progress"]
    else:
        argv = [task, str(paths["text"])]
    argv += ["--format", "json"]
    if model and task in MODEL_TASKS:
        argv += ["-m", model]
    if task in {"scribe", "chart", "triage"}:  # the tasks that record runs
        argv.append("--audit" if audit else "--no-audit")
    return argv + list(extra)


def _invoke(argv: list[str]) -> str:
    import click

    from evident.cli.main import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            cli.main(args=argv, prog_name="evident", standalone_mode=False)
        except click.exceptions.Abort:
            # click turns Ctrl-C into Abort: stop the batch (finished items are kept);
            # recording it as the item's failure would let --resume skip the item.
            raise KeyboardInterrupt from None
    return out.getvalue()


def _error(exc: BaseException) -> dict[str, str]:
    if isinstance(exc, EvidentError):
        return {"class": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, SystemExit | Exception) and type(exc).__module__.startswith("click"):
        return {"class": "UsageError", "message": "the task's options were not accepted"}
    return {"class": type(exc).__name__, "message": "internal error"}


def run_item(
    task: str,
    item: Item,
    *,
    model: str | None = None,
    extra: Sequence[str] = (),
    retries: int = 2,
    batch_id: str | None = None,
    audit: bool = False,
) -> dict[str, Any]:
    """Run one item; never raises for the item's own failure.

    Args:
        task: The batch task.
        item: The item.
        model: Model spec, for tasks that draft.
        extra: Options passed through to the task's command.
        retries: Further tries after a transient (backend) failure.
        batch_id: Recorded with each run the item's task records (``params.batch_id``).
        audit: Record the runs of tasks that record runs (``scribe``) in the trail.

    Returns:
        ``{"id", "ok": True, "result"}`` or ``{"id", "ok": False, "error"}``.
    """
    with tempfile.TemporaryDirectory(prefix="evident-batch-") as tmp:
        paths: dict[str, Path] = {}
        for role, name, data in item.files:
            path = Path(tmp) / role / (Path(name).name or f"{role}.txt")
            path.parent.mkdir()
            path.write_bytes(data)
            paths[role] = path
        argv = argv_for(task, paths, model, extra, audit)
        for attempt in range(retries + 1):
            try:
                with batch_context(batch_id) if batch_id else contextlib.nullcontext():
                    printed = _invoke(argv)
                return {"id": item.id, "ok": True, "result": json.loads(printed)}
            except Exception as exc:
                error = _error(exc)
                if error["class"] not in TRANSIENT or attempt == retries:
                    logger.info("item failed with %s", error["class"])
                    return {"id": item.id, "ok": False, "error": error}
    raise AssertionError("unreachable")  # pragma: no cover
