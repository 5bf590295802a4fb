"""Batch execution: one task over many items, on one process or a Ray cluster.

Public API: :func:`read_items` (a folder or a JSONL file into :class:`Item` values),
:func:`run_item` (one item through the same command a user runs, returning its JSON
result or a PHI-free error), :class:`OutputLog` (the append-only, resumable output, each
line stamped with the :class:`BatchKey` it belongs to) and :func:`run_batch` (the whole
batch, in process or on Ray Data). See docs/batch.md.
"""

from evident.batch.execute import BatchSummary, run_batch
from evident.batch.fingerprint import BatchKey
from evident.batch.items import TASKS, Item, read_items
from evident.batch.output import OutputLog
from evident.batch.worker import run_item

__all__ = [
    "TASKS",
    "BatchKey",
    "BatchSummary",
    "Item",
    "OutputLog",
    "read_items",
    "run_batch",
    "run_item",
]
