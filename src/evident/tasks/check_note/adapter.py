"""Server task adapter of ``check_note`` ("Check my note"), entry point ``evident.server_tasks``."""

from __future__ import annotations

from typing import Any

from evident.errors import InputError
from evident.server.tasks import TaskAdapter, TaskInput, demo_transcripts
from evident.types import Source

__all__ = ["ADAPTER"]


def _build(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.sources import load_source

    if inp.demo:
        demo = demo_transcripts().get(inp.demo)
        if demo is None:
            raise InputError(f"unknown demo transcript '{inp.demo}'")
        text, name = demo.text, f"{demo.name}.txt"
    elif inp.text and inp.text.strip():
        text, name = inp.text, "transcript"
    else:
        raise InputError("the transcript is empty")
    unknown = set(inp.options) - {"note"}
    if unknown:
        raise InputError(f"unknown option '{sorted(unknown)[0]}'")
    note = inp.options.get("note")
    if not isinstance(note, str) or not note.strip():
        raise InputError("paste the note to check (option 'note')")
    return [load_source(text, kind="transcript", name=name)], {"note": note}


ADAPTER = TaskAdapter(
    name="check_note",
    title="Check my note against the transcript",
    build=_build,
    input_label="Transcript",
)
