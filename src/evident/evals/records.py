"""Per-item records and the JSONL cache that makes runs resumable."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ItemRecord", "RecordCache", "run_slug"]

logger = logging.getLogger(__name__)


class ItemRecord(BaseModel):
    """One item's outcome, one line of ``records.jsonl``.

    The cache key is (``model``, ``prompt_version``, ``item_id``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    prompt_version: str
    item_id: str
    benchmark: str
    mode: str
    prompt: list[dict[str, str]] = Field(default_factory=list)
    raw: str = ""
    parsed: str | None = None
    method: str = "none"
    answer: str
    correct: bool = False
    abstained: bool = False
    offline: bool = False
    error: str | None = None
    latency_ms: float = 0.0
    harness_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        """The cache key."""
        return (self.model, self.prompt_version, self.item_id)


def run_slug(benchmark: str, mode: str, model: str) -> str:
    """A file-system-safe folder name for one (benchmark, mode, model) run."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_")[:80] or "model"
    return f"{benchmark}__{mode}__{safe}"


class RecordCache:
    """Append-only JSONL of item records; reading it back skips what is done.

    A line cut short by an interruption (or otherwise unreadable) is ignored with a
    warning, so the item it held is simply run again.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.records: dict[tuple[str, str, str], ItemRecord] = {}
        self.bad_lines = 0
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        # Bytes: a line cut inside a character is as unreadable as one cut inside JSON.
        with self.path.open("rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = ItemRecord.model_validate(json.loads(line))
                except ValueError:  # JSON, UTF-8 and pydantic validation errors
                    self.bad_lines += 1
                    logger.warning("%s: line %d unreadable; its item runs again", self.path, lineno)
                    continue
                self.records[record.key] = record

    def get(self, key: tuple[str, str, str]) -> ItemRecord | None:
        """The cached record for a key, or None."""
        return self.records.get(key)

    def append(self, record: ItemRecord) -> None:
        """Write a record (one line, flushed) and remember it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.bad_lines and not self._ends_with_newline():
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write("\n")
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(record.model_dump_json() + "\n")
        self.bad_lines = 0
        self.records[record.key] = record

    def _ends_with_newline(self) -> bool:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return True
        with self.path.open("rb") as fh:
            fh.seek(-1, 2)
            return fh.read(1) == b"\n"
