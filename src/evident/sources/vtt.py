"""WebVTT transcripts: one utterance per cue.

Cues may carry a voice tag (``<v Doctor>...``), a speaker label in their text
(``Doctor: ...``) or neither; multi-line cue text is joined with spaces. ``NOTE``,
``STYLE`` and ``REGION`` blocks are skipped. The source text is rendered as one
``speaker: text`` line per cue; each segment's meta keeps the cue timing (``t_start``,
``t_end``) and the cue identifier (``cue``) when present.
"""

from __future__ import annotations

import re

from evident.errors import InputError
from evident.sources.transcript import render, speaker_role
from evident.types import Source

__all__ = ["parse_vtt"]

_TIME = r"(?:\d{1,2}:)?\d{2}:\d{2}[.,]\d{3}"
_TIMING = re.compile(rf"^\s*(?P<a>{_TIME})\s+-->\s+(?P<b>{_TIME})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(r"</?[^>]*>")
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z0-9_.'-]*(?: [A-Za-z0-9_.'-]+){0,2})\s*:\s+")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Group lines into blank-line separated blocks, keeping each block's first line number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for n, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                first = n
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _unescape(text: str) -> str:
    for ent, ch in _ENTITIES.items():
        text = text.replace(ent, ch)
    return text


def _cue_speaker(payload: str) -> tuple[str | None, str]:
    voice = _VOICE.search(payload)
    speaker = voice.group("name").strip() if voice else None
    body = _unescape(_TAG.sub("", payload)).strip()
    if speaker is None:
        m = _LABEL.match(body)
        if m:
            speaker, body = m.group("label"), body[m.end() :]
    return (speaker_role(speaker) if speaker else None), body


def parse_vtt(text: str, name: str) -> Source:
    """Parse a WebVTT file.

    Raises:
        InputError: The header is missing, a timing line is malformed or a cue has no
            timing line (naming the line), or no cue carries text.
    """
    lines = text.splitlines()
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError(f"'{name}': line 1: a WebVTT file must start with 'WEBVTT'")
    items: list[tuple[str | None, str]] = []
    metas: list[dict[str, str]] = []
    blocks = _blocks(lines)
    for n, line in enumerate(blocks[0][1], start=1):
        if "-->" in line:
            raise InputError(f"'{name}': line {n}: a blank line must follow the WEBVTT header")
    for first, block in blocks[1:]:
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")):
            continue
        cue_id = ""
        idx = 0
        if "-->" not in block[0]:
            cue_id, idx = head, 1
        if idx >= len(block) or "-->" not in block[idx]:
            raise InputError(f"'{name}': line {first + idx}: expected a cue timing line")
        timing = _TIMING.match(block[idx])
        if timing is None:
            raise InputError(f"'{name}': line {first + idx}: malformed cue timing")
        payload = " ".join(ln.strip() for ln in block[idx + 1 :])
        speaker, body = _cue_speaker(payload)
        items.append((speaker, body))
        meta = {"t_start": timing.group("a"), "t_end": timing.group("b")}
        if cue_id:
            meta["cue"] = cue_id
        metas.append(meta)
    return render(items, name, "vtt", metas)
