"""Reading a note that a command checks or summarises: refuse what is not one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from evident.errors import InputError

if TYPE_CHECKING:
    from evident.types import Source

__all__ = ["read_note"]

# An object, or a list of objects or lists: a JSON document, never a note's first line.
_JSON_DOC = re.compile(r"\s*(?:\{\s*[\"}]|\[\s*[{\[\]])")


def read_note(path: Path, option: str) -> Source:
    """Read the note given to ``option`` (``--draft``, ``--note``) as a note.

    Raises:
        InputError: Bad input (see :func:`evident.sources.read_source`), a JSON document
            (say a scribe's ``--format json`` output), or a transcript with speaker
            labels (the arguments swapped).
    """
    from evident.sources import load_source, read_source

    note = read_source(path, kind="note")
    if _JSON_DOC.match(note.text):
        raise InputError(
            f"'{path.name}' is JSON, not a note: give {option} the note as text "
            "(evident scribe --format text writes one)"
        )
    try:
        as_read = load_source(note.text, kind="auto", name=path.name)
    except InputError:
        return note  # detection only: it reads as a note, which is what was asked
    if as_read.kind == "transcript" and any(s.speaker for s in as_read.segments):
        raise InputError(
            f"'{path.name}' looks like a transcript, not a note: pass the conversation "
            f"as --source and the note as {option}"
        )
    return note
