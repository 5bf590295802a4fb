"""The ``check_note`` task: a note the clinician wrote, reviewed against the transcript.

"Check my note": no drafting at all. The clinician's own note (option ``note``) becomes
the draft, one statement per sentence under its own headings, and the pipeline's verify
stage checks every statement against the transcript (the only source) and lists the
omissions, so the review page, the audit trail and the exports work as for a scribe run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend
from evident.types import Draft, ModelInfo, Source, Usage

__all__ = ["CheckNoteTask", "create"]

ENGINE = "clinician-note/1"


class CheckNoteTask:
    """Transcript + the clinician's note -> the note as a draft, to be verified.

    Options:
        note: The note's text (required).
    """

    name = "check_note"
    prompt_version = "check_note/1.0"
    text_options = ("note",)

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Turn the note into a draft; the model is never called.

        Raises:
            InputError: No transcript, no note, or an unknown option.
        """
        from evident.verify import draft_from_note

        unknown = set(options) - {"note"}
        if unknown:
            raise InputError(f"unknown check_note option '{sorted(unknown)[0]}'")
        if not sources or not any(src.segments for src in sources):
            raise InputError("checking a note needs the transcript it was written from")
        note = options.get("note")
        if not isinstance(note, str) or not note.strip():
            raise InputError("the note to check is empty")
        draft = draft_from_note(note, task=self.name)
        info = ModelInfo(spec="clinician", backend="none", name="clinician", offline=True)
        meta = {"engine": ENGINE, "author": "clinician"}
        return draft.model_copy(update={"model": info, "meta": meta}), Usage()


def create() -> CheckNoteTask:
    """Entry-point factory of the ``check_note`` task."""
    return CheckNoteTask()
