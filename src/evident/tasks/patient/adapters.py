"""Server task adapters: triage, portal replies and after-visit summaries on the review page.

Registered under the entry-point group ``evident.server_tasks``; the server lists them
beside the scribe, and their drafts go through the same accept/edit/reject/sign flow.
"""

from __future__ import annotations

from typing import Any

from evident.errors import InputError
from evident.server.tasks import TaskAdapter, TaskInput
from evident.types import Source

__all__ = ["patient_message", "patient_summary", "triage"]


def _text(inp: TaskInput, what: str) -> str:
    if inp.demo:
        raise InputError(f"no demo input for {what}")
    if not inp.text or not inp.text.strip():
        raise InputError(f"the {what} is empty")
    return inp.text


def _build_triage(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.sources import load_source

    return [load_source(_text(inp, "message"), kind="note", name="message")], {}


def _options(inp: TaskInput) -> dict[str, Any]:
    opts = {k: v for k, v in inp.options.items() if k == "target_grade"}
    unknown = set(inp.options) - {"target_grade", "note"}
    if unknown:
        raise InputError(f"unknown option '{sorted(unknown)[0]}'")
    return opts


def _build_message(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.sources import load_source

    sources = [load_source(_text(inp, "message"), kind="note", name="message")]
    note = inp.options.get("note")
    if isinstance(note, str) and note.strip():
        sources.append(load_source(note, kind="note", name="note"))
    return sources, _options(inp)


def _build_summary(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.sources import load_source

    return [load_source(_text(inp, "note"), kind="note", name="note")], _options(inp)


triage = TaskAdapter(
    name="triage",
    title="Triage of a patient's message",
    build=_build_triage,
    input_label="Patient message",
    document="triage",
    sign_label="Approve triage",
)
patient_message = TaskAdapter(
    name="patient_message",
    title="Draft reply to a patient's message (triage first)",
    build=_build_message,
    input_label="Patient message (the visit note as option 'note')",
    document="reply",
    sign_label="Approve reply",
)
patient_summary = TaskAdapter(
    name="patient_summary",
    title="After-visit summary for the patient",
    build=_build_summary,
    input_label="Visit note",
    document="summary",
    sign_label="Approve summary",
)
