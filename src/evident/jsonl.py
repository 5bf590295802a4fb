"""Reading JSON-lines files: one JSON value per non-blank line, errors named by line."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evident.errors import InputError

__all__ = ["json_lines", "text_lines"]


def text_lines(path: Path, name: str) -> Iterator[tuple[int, str]]:
    """Each line of a UTF-8 file, decoded, with its line number.

    A byte-order mark on the first line (spreadsheet and Windows editors write one) is
    dropped. Lines are decoded one by one so an undecodable byte is named by its line.

    Args:
        path: The file (it must exist).
        name: How errors name the file.

    Raises:
        InputError: A line is not UTF-8; the message names the line, not its text.
    """
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{name} line {n}: not UTF-8 text (byte {exc.start})") from None


def json_lines(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of a JSONL file, parsed, with its line number.

    Args:
        path: The file.
        what: What the file holds, for the error when it is missing ("vignette").

    Raises:
        InputError: The file is missing, or a line is not UTF-8 or not JSON.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such {what} file")
    for n, line in text_lines(path, str(path)):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except ValueError:
            raise InputError(f"{path}:{n}: not a JSON line") from None
