"""Reading JSON-lines files: one JSON value per non-blank line, errors named by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evident.errors import InputError

__all__ = ["json_lines"]


def json_lines(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of a JSONL file, parsed, with its line number.

    Args:
        path: The file.
        what: What the file holds, for the error when it is missing ("vignette").

    Raises:
        InputError: The file is missing, or a line is not JSON.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such {what} file")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except ValueError:
                raise InputError(f"{path}:{n}: not a JSON line") from None
