"""Leak detection: find original PHI values in model output, logs and audit records."""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Iterable, Mapping

from evident.privacy.spans import PhiSpan

__all__ = ["PhiLogFilter", "find_leaks", "install_log_filter", "register_phi"]

_SEPARATORS = re.compile(r"[\s./()-]+")
_FILTERS: weakref.WeakSet[PhiLogFilter] = weakref.WeakSet()


def _value_pattern(value: str) -> str:
    """A pattern for ``value`` tolerant to separators ("555-123-4567" = "555 123 4567")."""
    pieces = [re.escape(p) for p in _SEPARATORS.split(value.strip()) if p]
    return r"[\s./()-]*".join(pieces)


def _compile(values: Iterable[str], min_length: int) -> re.Pattern[str] | None:
    kept = sorted(
        {v.strip() for v in values if len(v.strip()) >= min_length}, key=len, reverse=True
    )
    if not kept:
        return None
    body = "|".join(_value_pattern(v) for v in kept)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def find_leaks(
    text: str, originals: Iterable[str] | Mapping[str, str], *, min_length: int = 3
) -> list[PhiSpan]:
    """Find original PHI values in ``text`` (model output, a log line, an audit record).

    Matching is case-insensitive, on whole words, and tolerant to separators in numbers.

    Args:
        text: The text to scan.
        originals: Original values, or a mapping of original value → PHI type.
        min_length: Values shorter than this are ignored (too many chance matches).

    Returns:
        One span per occurrence, typed when ``originals`` is a mapping (else ``PHI``).
    """
    types = dict(originals) if isinstance(originals, Mapping) else {}
    regex = _compile(originals, min_length)
    if regex is None:
        return []
    lowered = {_SEPARATORS.sub("", k.lower()): v for k, v in types.items()}
    out = []
    for m in regex.finditer(text):
        phi_type = lowered.get(_SEPARATORS.sub("", m.group().lower()), "PHI")
        out.append(PhiSpan(m.start(), m.end(), phi_type, 1.0, m.group()))
    return out


class PhiLogFilter(logging.Filter):
    """A logging filter that replaces known PHI values in log records with ``[PHI]``.

    It never drops a record; it rewrites its message. Values are added by
    :func:`register_phi` (the privacy hook registers what it protects).
    """

    def __init__(self, values: Iterable[str] = (), *, min_length: int = 3) -> None:
        super().__init__()
        self.min_length = min_length
        self._values: set[str] = set()
        self._regex: re.Pattern[str] | None = None
        self.add(values)

    def add(self, values: Iterable[str]) -> None:
        """Add PHI values to redact from now on."""
        new = {v for v in values if len(v.strip()) >= self.min_length} - self._values
        if new:
            self._values |= new
            self._regex = _compile(self._values, self.min_length)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with PHI values replaced; always keep it."""
        if self._regex is None:
            return True
        message = record.getMessage()
        clean = self._regex.sub("[PHI]", message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def install_log_filter(logger: logging.Logger | None = None) -> PhiLogFilter:
    """Attach a :class:`PhiLogFilter` to a logger's handlers (default: the root logger).

    Filters on handlers see records from every logger that propagates to them. Call it
    after logging is configured (the CLI and server do).

    Returns:
        The installed filter; :func:`register_phi` feeds it.
    """
    target = logger or logging.getLogger()
    phi_filter = PhiLogFilter()
    for handler in target.handlers:
        handler.addFilter(phi_filter)
    target.addFilter(phi_filter)
    _FILTERS.add(phi_filter)
    return phi_filter


def register_phi(values: Iterable[str]) -> None:
    """Tell every installed log filter about PHI values to redact."""
    values = list(values)
    for phi_filter in list(_FILTERS):
        phi_filter.add(values)
