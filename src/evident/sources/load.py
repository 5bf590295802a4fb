"""Entry points of the sources stage (first cut; the parsers live beside this module)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from evident.errors import InputError
from evident.types import Segment, Source

__all__ = ["DEFAULT_MAX_BYTES", "load_source", "read_source"]

DEFAULT_MAX_BYTES = 2_000_000
Kind = Literal["auto", "transcript", "note"]

_LABEL = re.compile(r"^\s*\[(?P<a>[a-z_ ]+)\]\s*|^\s*(?P<b>[A-Za-z]+)\s*:\s*", re.I)


def read_source(
    path: str | Path, kind: Kind = "auto", max_bytes: int = DEFAULT_MAX_BYTES
) -> Source:
    """Read and parse a file into a Source.

    Raises:
        InputError: The file is missing, too large, binary, undecodable or empty.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read '{p.name}': {exc.strerror}") from None
    if size > max_bytes:
        raise InputError(f"'{p.name}' is {size} bytes, over the limit of {max_bytes}")
    return load_source(p.read_bytes(), kind=kind, name=p.name, max_bytes=max_bytes)


def load_source(
    data: bytes | str, kind: Kind = "auto", name: str = "source", max_bytes: int = DEFAULT_MAX_BYTES
) -> Source:
    """Parse raw input into a Source (first cut: labelled transcripts and plain notes)."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise InputError(f"'{name}' is {len(raw)} bytes, over the limit of {max_bytes}")
    text = raw.decode("utf-8")
    if not text.strip():
        raise InputError(f"'{name}' is empty")
    segments: list[Segment] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        m = _LABEL.match(line)
        body = line[m.end() :] if m else line
        start = offset + (m.end() if m else 0)
        offset += len(line)
        if body.strip():
            speaker = (m.group("a") or m.group("b")).lower() if m else None
            stripped = body.strip()
            s = start + body.index(stripped)
            segments.append(
                Segment(
                    id=f"u{len(segments) + 1}",
                    text=stripped,
                    start=s,
                    end=s + len(stripped),
                    speaker=speaker,
                    kind="utterance",
                )
            )
    return Source(id=name, kind="transcript", text=text, segments=tuple(segments))
