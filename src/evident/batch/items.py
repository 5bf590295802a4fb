"""Batch input: a folder of files or a JSONL file, read into items with ids.

A folder gives one item per file (the id is the file name without its extension); for
``verify`` the folder holds pairs ``<id>.source.<ext>`` and ``<id>.draft.<ext>``. A JSONL
file gives one item per line: ``{"id": ..., "text": ...}`` (or ``"path"``), and for
``verify`` ``{"id": ..., "source": ..., "draft": ...}`` (or ``source_path`` /
``draft_path``). Item contents travel with the item, so workers on other machines need no
shared file system. Sizes are checked while reading, before any work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evident.errors import InputError
from evident.jsonl import text_lines

__all__ = ["MAX_ITEMS", "MAX_ITEM_BYTES", "MODEL_TASKS", "TASKS", "Item", "read_items"]

MAX_ITEM_BYTES = 10 * 1024 * 1024
MAX_ITEMS = 10_000_000
# The task name and the input roles its command reads.
TASKS: dict[str, tuple[str, ...]] = {
    "deid": ("text",),
    "verify": ("source", "draft"),
    "scribe": ("text",),
    "chart": ("text",),
    "caregaps": ("text",),
    "triage": ("text",),
    "eval": ("text",),  # a benchmark data file (or a shard of one): eval run --data
}

# The tasks whose items call model backends (their requests share the batch's limiter).
MODEL_TASKS = frozenset({"scribe", "chart", "triage", "eval"})


@dataclass(frozen=True)
class Item:
    """One unit of batch work.

    Attributes:
        id: The item's id (file stem or the JSONL ``id``), unique in the batch.
        files: Input role (``text``, ``source``, ``draft``) to file name and contents.
    """

    id: str
    files: tuple[tuple[str, str, bytes], ...]


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {what} '{path.name}': {exc.strerror}") from None
    if size > MAX_ITEM_BYTES:
        raise InputError(f"{what} '{path.name}' is {size} bytes, over {MAX_ITEM_BYTES}")
    return path.read_bytes()


def _check_id(item_id: object, where: str) -> str:
    if not isinstance(item_id, str | int) or isinstance(item_id, bool) or str(item_id) == "":
        raise InputError(f"{where}: 'id' must be a non-empty string or integer")
    text = str(item_id)
    if len(text) > 200 or any(c in text for c in "/\\\x00\n"):
        raise InputError(f"{where}: 'id' must be at most 200 characters without / \\ or NUL")
    return text


def _folder_items(folder: Path, roles: tuple[str, ...]) -> Iterator[Item]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if roles == ("text",):
        for p in files:
            yield Item(p.stem, (("text", p.name, _read_bytes(p, "input")),))
        return
    groups: dict[str, dict[str, Path]] = {}
    for p in files:
        stem, _, role = p.stem.rpartition(".")
        if role in roles and stem:
            groups.setdefault(stem, {})[role] = p
    for item_id, found in sorted(groups.items()):
        missing = [r for r in roles if r not in found]
        if missing:
            raise InputError(
                f"item '{item_id}' has no {missing[0]} file ({item_id}.{missing[0]}.*)"
            )
        yield Item(
            item_id,
            tuple((r, found[r].name, _read_bytes(found[r], r)) for r in roles),
        )


def _jsonl_value(row: dict[str, object], role: str, base: Path, where: str) -> tuple[str, bytes]:
    key = "text" if role == "text" else role
    value = row.get(key)
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        if len(data) > MAX_ITEM_BYTES:
            raise InputError(f"{where}: '{key}' is over {MAX_ITEM_BYTES} bytes")
        return f"{role}.txt", data
    path_value = row.get("path" if role == "text" else f"{role}_path")
    if isinstance(path_value, str):
        path = (base / path_value).resolve()
        return path.name, _read_bytes(path, role)
    raise InputError(f"{where}: needs '{key}' (text) or '{key if role != 'text' else ''}path'")


def _jsonl_items(path: Path, roles: tuple[str, ...]) -> Iterator[Item]:
    for number, line in text_lines(path, path.name):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            row = json.loads(line)
        except ValueError:
            raise InputError(f"{where}: not valid JSON") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected a JSON object")
        item_id = _check_id(row.get("id"), where)
        files = []
        for role in roles:
            name, data = _jsonl_value(row, role, path.parent, where)
            files.append((role, name, data))
        yield Item(item_id, tuple(files))


def read_items(path: Path, task: str) -> list[Item]:
    """Read the batch input at ``path`` for ``task``.

    Args:
        path: A folder of files, or a ``.jsonl`` file.
        task: One of :data:`TASKS`.

    Returns:
        The items sorted by id.

    Raises:
        InputError: Unknown task, missing or unreadable input, a malformed line, an item
            over the size limit, or a duplicate id.
    """
    if task not in TASKS:
        raise InputError(f"unknown batch task; choose one of {', '.join(sorted(TASKS))}")
    roles = TASKS[task]
    if path.is_dir():
        found = list(_folder_items(path, roles))
    elif path.is_file():
        found = list(_jsonl_items(path, roles))
    else:
        raise InputError(f"input '{path.name}' does not exist")
    seen: set[str] = set()
    for item in found:
        if item.id in seen:
            raise InputError(f"duplicate item id in '{path.name}' (ids must be unique)")
        seen.add(item.id)
        if len(seen) > MAX_ITEMS:
            raise InputError(f"over {MAX_ITEMS} items in '{path.name}'")
    if not found:
        raise InputError(f"no items in '{path.name}'")
    return sorted(found, key=lambda i: i.id)
