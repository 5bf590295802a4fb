"""What a batch output line belongs to: its task, its options and its item's input.

Every line a batch writes carries ``task``, ``options_sha256`` (the model, for the tasks
that call one, and ``--task-args``) and ``input_sha256`` (the item's files: role, name and
bytes). ``--resume`` skips an item only when its line matches this run on all three; a
line that does not (or that records none of them, as lines written before they existed)
means the output belongs to another batch, and resuming refuses instead of taking that
line's item as done.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evident.batch.items import MODEL_TASKS, TASKS, Item
from evident.errors import InputError

__all__ = ["RUN_FIELDS", "BatchKey"]

#: The fields every output line carries so that a resumed batch can tell it is its own.
RUN_FIELDS = ("task", "options_sha256", "input_sha256")

_ANOTHER = "--resume takes only this batch's own output: name another --output"


def _sha256(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()


def _item_sha256(item: Item) -> str:
    digest = hashlib.sha256()
    for role, name, data in item.files:
        for part in (role.encode("utf-8"), name.encode("utf-8", "surrogatepass"), data):
            digest.update(len(part).to_bytes(8, "big") + part)  # lengths: no ambiguous joins
    return digest.hexdigest()


@dataclass(frozen=True, eq=False)
class BatchKey:
    """This batch's task, options and item inputs, as its output lines record them.

    Attributes:
        task: The batch task.
        options: SHA-256 of the options that change an item's result.
        inputs: Item id to the SHA-256 of the item's files.
    """

    task: str
    options: str
    inputs: Mapping[str, str]

    @classmethod
    def of(
        cls, task: str, items: Sequence[Item], model: str | None, extra: Sequence[str]
    ) -> BatchKey:
        """The key of a batch of ``task`` over ``items`` with ``-m`` and ``--task-args``."""
        used_model = model if task in MODEL_TASKS else None  # the others call no model
        options = _sha256({"model": used_model, "task_args": list(extra)})
        return cls(task, options, {item.id: _item_sha256(item) for item in items})

    def stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row with this batch's task, options and its item's input recorded."""
        return row | {
            "task": self.task,
            "options_sha256": self.options,
            "input_sha256": self.inputs[row["id"]],
        }

    def check(self, row: object, where: str) -> None:
        """Refuse a line (``where``: file and line, for the message) of another batch.

        Raises:
            InputError: The line records another task, other options, another input for
                its item, an item not in this batch, or none of them.
        """
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise InputError(f"{where} is not a batch output line; {_ANOTHER}")
        if any(not isinstance(row.get(field), str) for field in RUN_FIELDS):
            raise InputError(
                f"{where} records no task, options or input (an output of an older "
                f"version): nothing shows it is this batch's; {_ANOTHER}"
            )
        if row["task"] != self.task:
            task = f"'{row['task']}'" if row["task"] in TASKS else "another task"
            raise InputError(f"{where} is a result of {task}, not of '{self.task}'; {_ANOTHER}")
        if row["id"] not in self.inputs:
            raise InputError(f"{where} is an item that is not in the input; {_ANOTHER}")
        if row["options_sha256"] != self.options:
            raise InputError(
                f"{where} ran with other options (-m, --task-args); {_ANOTHER}, "
                "or give the same options"
            )
        if row["input_sha256"] != self.inputs[row["id"]]:
            raise InputError(f"{where}: its item's input has changed since it ran; {_ANOTHER}")
