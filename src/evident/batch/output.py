"""The batch output: an append-only log while running, one sorted file at the end.

Each finished item is appended to ``OUT.jsonl.partial`` and flushed at once, so a batch
killed at any point keeps every item it finished (a power loss may cost the last lines
not yet on disk; they run again on resume, never twice); ``--resume`` reads both the partial
log and a finished output and skips their ids, after checking that every line is this
batch's own (:class:`~evident.batch.fingerprint.BatchKey`): the same task, options and item
input. :meth:`OutputLog.finish` writes the output
sorted by id, one line per id (the first result of an id wins), through a temporary file
and an atomic rename, then removes the log.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from evident.batch.fingerprint import BatchKey
from evident.errors import InputError

__all__ = ["OutputLog"]


class OutputLog:
    """Append results as they arrive; finish into one sorted file.

    Args:
        path: The final output (``OUT.jsonl``).
        key: This batch's task, options and inputs: recorded on every line written, and
            required of every line read back.
        resume: Keep what an earlier run of the same batch wrote (else start afresh).
        overwrite: Without ``resume``, replace a finished output that is already there
            (else that is refused: a finished batch may be hours of model calls).

    Raises:
        InputError: Without ``resume``, the partial log holds finished items, or a
            finished output is there and ``overwrite`` is not given; with ``resume``, a
            line read back is malformed or belongs to another batch (nothing is changed).
    """

    def __init__(self, path: Path, *, key: BatchKey, resume: bool, overwrite: bool = False) -> None:
        self.path = path
        self.key = key
        self.partial = path.with_name(path.name + ".partial")
        self.done: dict[str, dict[str, Any]] = {}
        if resume:
            for source in (self.path, self.partial):
                self._load(source)
        elif self.partial.is_file() and self.partial.stat().st_size > 0:
            # Finished items of an interrupted batch: hours of model calls, never discarded.
            raise InputError(
                f"'{self.partial.name}' holds finished items of an interrupted batch: run "
                "again with --resume to keep them, or delete it to start afresh"
            )
        elif not overwrite and self.path.is_file() and self.path.stat().st_size > 0:
            raise InputError(
                f"'{self.path.name}' is there already: run again with --resume to add what "
                "it lacks, --overwrite to replace it, or name another --output"
            )
        self._open_partial().close()
        self._fh: IO[str] | None = None

    def _open_partial(self) -> IO[str]:
        """Open the log before any work, so an unwritable output fails at once."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self.partial.open("a", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the output '{self.path}': {exc.strerror}") from None

    def _load(self, source: Path) -> None:
        if not source.exists():
            return
        # Bytes: a line that is not UTF-8 is a ValueError like one that is not JSON.
        with source.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    row = json.loads(line)
                except ValueError:
                    if fh.read(1) == b"":  # a last line cut by a crash: that item runs again
                        break
                    raise InputError(f"'{source.name}' line {number} is not JSON") from None
                self.key.check(row, f"'{source.name}' line {number}")
                self.done.setdefault(row["id"], row)

    def append(self, row: dict[str, Any]) -> bool:
        """Record one finished item, stamped with the batch's key; False (and nothing
        written) if its id is done."""
        if row["id"] in self.done:
            return False
        row = self.key.stamp(row)
        if self._fh is None:
            self._fh = self._open_partial()
        self._fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        self._fh.flush()  # in the OS at once: a killed process loses nothing it finished
        self.done[row["id"]] = row
        return True

    def close(self) -> None:
        """Close the partial log, keeping it (an interrupted batch resumes from it)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def finish(self) -> int:
        """Write the sorted output atomically; return the number of lines."""
        self.close()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for item_id in sorted(self.done):
                fh.write(json.dumps(self.done[item_id], ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self.partial.unlink(missing_ok=True)
        return len(self.done)
