"""Transcripts as plain text with speaker labels, or as JSON lists of ``{speaker, text}``.

Plain text: one utterance per non-empty line. A line may start with a label in one of
the common styles: ``[doctor] ...``, ``Doctor: ...``, ``DR: ...``, optionally after a
timestamp (``00:01:02 Doctor: ...``, ``[01:02] Doctor: ...``; kept in
``meta["time"]``). Lines without a label are utterances with speaker None. Offsets point
into the text as given.

JSON: a list of objects ``{"speaker": ..., "text": ...}`` (or ``{"utterances": [...]}``).
The source text is rendered as one ``speaker: text`` line per utterance and the offsets
point into that rendering.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from evident.errors import InputError
from evident.sources._lexicon import lexicon, norm_label, role_of
from evident.textclean import strip_hidden
from evident.types import Segment, Source

__all__ = ["LabelledLine", "label_lines", "looks_like_transcript", "parse_json", "parse_text"]

_BRACKET = re.compile(r"^[ \t]*\[(?P<label>[A-Za-z][A-Za-z0-9 _.'-]{0,39})\][ \t]*")
# A label may be set in Markdown emphasis, as model-written and copied transcripts are
# ("**Doctor:** ...", "**Patient**: ...", "*Nurse:* ..."): the marks are no part of it.
_COLON = re.compile(
    r"^[ \t]*(?P<em>\*\*|\*)?(?P<label>[A-Za-z][A-Za-z0-9_.'-]*(?: [A-Za-z0-9_.'-]+){0,2})"
    r"(?(em)(?:\*{1,2})?)[ \t]*:(?(em)(?:\*{1,2})?)(?=\s|$)[ \t]*"
)
_WS = re.compile(r"\s+")
_JSON_FIELDS = frozenset({"speaker", "text", "start", "end", "id"})
_TIMESTAMP = re.compile(
    r"^[ \t]*[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?[\])]?(?:[ \t]*-[ \t]*|[ \t]+|$)"
)


@dataclass(frozen=True)
class LabelledLine:
    """One line of a plain-text transcript.

    Attributes:
        line_start: Offset of the line's first non-blank character.
        start: Offset of the utterance text (after any label) in the source text.
        end: End offset (exclusive) of the utterance text.
        label: The label as written (None when the line has none).
        known: True when the label is a bracket label or a known role.
        bracket: True when the label is written in brackets (``[doctor]``).
        time: A timestamp that starts the line (``00:01:02``, ``[01:02]``), if any.
    """

    line_start: int
    start: int
    end: int
    label: str | None
    known: bool
    bracket: bool = False
    time: str | None = None


def speaker_role(label: str) -> str:
    """Normalise a speaker label: known aliases map to a role, others are lowercased."""
    role = role_of(label)
    return role if role else _WS.sub(" ", label.strip().lower())


def _label(body: str) -> tuple[int, str | None, bool, bool, int]:
    """Find a leading timestamp and speaker label in one line.

    Returns:
        (end of the timestamp, label or None, known role, bracketed, end of the label).
    """
    ts = _TIMESTAMP.match(body)
    pos = ts.end() if ts else 0
    rest = body[pos:]
    m = _BRACKET.match(rest)
    if m:
        return pos, m.group("label"), True, True, pos + m.end()
    m = _COLON.match(rest)
    if m:
        label = m.group("label")
        return pos, label, role_of(label) is not None, False, pos + m.end()
    # Without a label after it, a leading time is part of the text ("10:30 is fine").
    return 0, None, False, False, 0


def label_lines(text: str) -> list[LabelledLine]:
    """Split text into non-empty lines and find a candidate speaker label on each."""
    out: list[LabelledLine] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        base = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if not body.strip():
            continue
        ts_end, label, known, bracket, cut = _label(body)
        rest = body[cut:]
        start = base + cut + len(rest) - len(rest.lstrip())
        lead = body[ts_end:]
        line_start = base + ts_end + len(lead) - len(lead.lstrip())
        time = body[:ts_end].strip(" \t[]()") or None
        out.append(
            LabelledLine(line_start, start, base + len(body.rstrip()), label, known, bracket, time)
        )
    return out


def _accepted(lines: list[LabelledLine]) -> set[str]:
    """Labels treated as speakers.

    Known roles and bracket labels always; other labels that are not note headings when
    they occur on two lines or more, or beside a known role (``Guest_family:`` after
    ``Doctor:``).
    """
    known = {ln.label for ln in lines if ln.known and ln.label is not None}
    counts = Counter(ln.label for ln in lines if ln.label is not None and not ln.known)
    heads = lexicon().headings
    others = {
        lab for lab, n in counts.items() if (n >= 2 or known) and norm_label(lab) not in heads
    }
    return known | others


def looks_like_transcript(text: str) -> bool:
    """True when a third of all lines carry speaker labels, and two do (one if bracketed)."""
    lines = label_lines(text)
    accepted = _accepted(lines)
    labelled = [ln for ln in lines if ln.label in accepted]
    enough = len(labelled) >= 2 or any(ln.bracket for ln in labelled)
    return enough and len(labelled) * 3 >= len(lines)


def parse_text(text: str, name: str) -> Source:
    """Parse a plain-text transcript into utterance segments ``u1..un``.

    Raises:
        InputError: No line carries any text.
    """
    lines = label_lines(text)
    accepted = _accepted(lines)
    segments: list[Segment] = []
    for ln in lines:
        has_label = ln.label is not None and ln.label in accepted
        # A label that is not a speaker (e.g. "Note: ...") stays part of the text.
        start = ln.start if has_label or ln.label is None else ln.line_start
        if ln.end <= start:
            continue
        speaker = speaker_role(ln.label) if has_label and ln.label else None
        segments.append(
            Segment(
                id=f"u{len(segments) + 1}",
                text=text[start : ln.end],
                start=start,
                end=ln.end,
                speaker=speaker,
                kind="utterance",
                meta={"time": ln.time} if ln.time else {},
            )
        )
    if not segments:
        raise InputError(f"'{name}' has no recognisable utterances")
    return Source(
        id=name, kind="transcript", text=text, segments=tuple(segments), meta={"format": "text"}
    )


def _json_items(data: object, name: str) -> list[object]:
    if isinstance(data, dict):
        for key in ("utterances", "segments", "transcript"):
            if isinstance(data.get(key), list):
                return list(data[key])
        raise InputError(f"'{name}': JSON object has no list under 'utterances'")
    if not isinstance(data, list):
        raise InputError(f"'{name}': JSON transcript must be a list of {{speaker, text}} objects")
    return data


def render(
    items: list[tuple[str | None, str]],
    name: str,
    fmt: str,
    extra: list[dict[str, str]] | None = None,
) -> Source:
    """Render ``(speaker, text)`` pairs as ``speaker: text`` lines and segment them.

    Args:
        items: Speaker (already normalised, or None) and utterance text pairs.
        name: Source id.
        fmt: Value of ``Source.meta["format"]``.
        extra: Per-item segment meta (same length as ``items``), or None.

    Raises:
        InputError: No item carries text.
    """
    parts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for i, (speaker, raw) in enumerate(items):
        body = _WS.sub(" ", raw).strip()
        if not body:
            continue
        prefix = f"{speaker}: " if speaker else ""
        start = offset + len(prefix)
        meta = dict(extra[i]) if extra else {}
        segments.append(
            Segment(
                id=f"u{len(segments) + 1}",
                text=body,
                start=start,
                end=start + len(body),
                speaker=speaker,
                kind="utterance",
                meta=meta,
            )
        )
        line = prefix + body + "\n"
        parts.append(line)
        offset += len(line)
    if not segments:
        raise InputError(f"'{name}' has no recognisable utterances")
    return Source(
        id=name,
        kind="transcript",
        text="".join(parts),
        segments=tuple(segments),
        meta={"format": fmt},
    )


def parse_json(text: str, name: str) -> Source:
    """Parse a JSON list of ``{speaker, text}`` objects.

    Raises:
        InputError: Malformed JSON (naming line and column), or items of the wrong shape.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"'{name}': invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"'{name}' is JSON nested too deeply to read") from None
    items: list[tuple[str | None, str]] = []
    for n, item in enumerate(_json_items(data, name), start=1):
        if not isinstance(item, dict):
            raise InputError(f"'{name}': item {n} is not an object with 'speaker' and 'text'")
        if set(item) - _JSON_FIELDS:  # a key is input text: never echoed (it may be PHI)
            raise InputError(
                f"'{name}': item {n} has a field other than {', '.join(sorted(_JSON_FIELDS))}"
            )
        body = item.get("text")
        if not isinstance(body, str):
            raise InputError(f"'{name}': item {n} has no string 'text'")
        speaker = item.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise InputError(f"'{name}': item {n} has a 'speaker' that is not a string")
        role = speaker_role(speaker) if speaker and speaker.strip() else None
        items.append((role, strip_hidden(body)))  # JSON escapes ("\\u200b") decode late
    return render(items, name, "json")
