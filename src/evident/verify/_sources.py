"""What the statement-level checkers share about a source: its name in a reason, and a
small cache of what each reads from a whole source (parsed once per source, not once
per statement)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from evident.types import Source

__all__ = ["PerSource", "source_label"]

T = TypeVar("T")


def source_label(source: Source) -> str:
    """How a reason names the source: ``transcript``, ``source note`` or ``source``."""
    return {"transcript": "transcript", "note": "source note"}.get(source.kind, "source")


class PerSource(Generic[T]):
    """A function of a source, remembered for the last ``size`` sources (by id, text and
    segment count): the statements of one verification share one reading."""

    def __init__(self, fn: Callable[[Source], T], size: int = 16) -> None:
        self._fn = fn
        self._size = size
        self._cache: OrderedDict[tuple[str, int, int], T] = OrderedDict()

    def __call__(self, source: Source) -> T:
        key = (source.id, hash(source.text), len(source.segments))
        if key not in self._cache:
            self._cache[key] = self._fn(source)
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return self._cache[key]

    def cache_clear(self) -> None:
        """Forget every source."""
        self._cache.clear()
