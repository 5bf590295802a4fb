"""Clinical notes: sentence segments ``s1..sn`` under their section headings.

A heading is a line that names a known section (``Assessment and Plan:``, ``SUBJECTIVE``,
``HPI: text...``; see ``resources/note_sections.json``), any short line in capitals, or
any short line ending with a colon. Headings are not segments; every sentence carries
the heading it falls under in ``meta["section"]`` (as written) and its canonical type in
``meta["section_type"]`` (``other`` for unknown headings). Bullets and numbered items
start their own segments (``meta["list_item"] == "true"``). Sentences do not end after
abbreviations such as ``Dr.``, ``mg.``, ``e.g.``, nor inside decimals like ``1.5``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from evident.errors import InputError
from evident.sources._lexicon import lexicon, norm_label
from evident.types import Segment, Source

__all__ = ["parse_note"]

_BULLET = re.compile(r"^(?:[•·▪◦‣*+–—-]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])[ \t]+")
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z /&()'-]{0,60}?)[ \t]*:[ \t]*(?P<rest>.*)$")
_CAPS = re.compile(r"^[A-Z][A-Z /&,()'-]{1,60}:?$")
_SHORT_COLON = re.compile(r"^[A-Z][A-Za-z /&,()'-]{1,40}:$")
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"(\S+)$")
# a colon that may end a part's label, and the words of a label
_COLON = re.compile(r":(?=\s)")
_LABEL_WORD = re.compile(r"[A-Za-z][A-Za-z/&]*")


@dataclass
class _Block:
    spans: list[tuple[int, int]] = field(default_factory=list)
    list_item: bool = False


@dataclass(frozen=True)
class _Heading:
    text: str
    kind: str


def _heading(line: str) -> tuple[_Heading | None, int]:
    """Return the heading a line starts with and the offset where its text continues.

    The offset is ``len(line)`` when the whole line is a heading, -1 when it is none.
    """
    heads = lexicon().headings
    bare = line.rstrip(":").strip()
    key = norm_label(bare)
    # Single letters (S, O, A, P) are headings only with a colon.
    if key in heads and (len(key) > 1 or line.endswith(":")):
        return _Heading(bare, heads[key]), len(line)
    m = _LABEL.match(line)
    if m and m.group("rest"):
        label = m.group("label").strip()
        if norm_label(label) in heads:
            return _Heading(label, heads[norm_label(label)]), m.start("rest")
    caps = _CAPS.match(line) and len(bare) >= 4 and len(line.split()) <= 8
    if caps or (_SHORT_COLON.match(line) and len(line.split()) <= 6):
        return _Heading(bare, heads.get(key, "other")), len(line)
    return None, -1


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        yield offset + lead, body.strip()
        offset += len(raw)


def _blocks(text: str) -> Iterator[tuple[_Heading | None, _Block]]:
    """Group lines into blocks (paragraph pieces, list items) under their headings."""
    heading: _Heading | None = None
    block = _Block()
    prev = ""
    for start, line in _lines(text):
        if not line:
            yield heading, block
            block, prev = _Block(), ""
            continue
        bullet = _BULLET.match(line)
        if bullet:
            yield heading, block
            block = _Block(list_item=True)
            block.spans.append((start + bullet.end(), start + len(line)))
            prev = line
            continue
        head, cut = _heading(line)
        if head is not None:
            yield heading, block
            heading, block = head, _Block()
            rest = line[cut:].lstrip()
            if rest:
                rs = start + len(line) - len(rest)
                block.spans.append((rs, start + len(line)))
            prev = rest
            continue
        continues = (
            bool(block.spans) and bool(prev) and prev[-1] not in ".!?:;" and line[0].islower()
        )
        if not continues:
            yield heading, block
            block = _Block()
        block.spans.append((start, start + len(line)))
        prev = line
    yield heading, block


def _is_boundary(text: str, dot: int, after: int, end: int) -> bool:
    """Whether the punctuation ending at ``dot`` ends a sentence."""
    nxt = after
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return False
    ch = text[nxt]
    if not (ch.isupper() or ch.isdigit() or ch in "\"'(•[-"):
        return False
    if text[dot] != ".":
        return True
    m = _WORD_BEFORE.search(text, 0, dot)
    word = m.group(1).lstrip("(\"'").lower() if m else ""
    if word in lexicon().no_split:
        return False
    # A single capital letter before the dot is an initial ("J. Smith").
    return not (len(word) == 1 and text[dot - 1].isupper())


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        dot = m.start()
        if _is_boundary(text, dot, m.end(), end):
            yield from _labelled_parts(text, cur, m.end())
            cur = m.end()
    yield from _labelled_parts(text, cur, end)


def _labelled_parts(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence cut before each part label that runs on inside it ("... O2 98%
    General: alert ... HEENT: PERRLA ..."): a capitalised ``inline_labels`` label
    followed by a colon, with words before it, the last of them none of
    ``label_not_after`` ("Auscultation of Lungs:" is one label)."""
    labels, not_after = lexicon().inline_labels, lexicon().label_not_after
    cur = start
    for m in _COLON.finditer(text, start, end):
        at = _label_start(text, cur, m.start(), labels)
        if at is None:
            continue
        before = text[cur:at].split()
        if before and before[-1].lower() not in not_after:
            yield cur, at
            cur = at
    yield cur, end


def _label_start(text: str, lo: int, colon: int, labels: frozenset[str]) -> int | None:
    """Where a known label of one to three capitalised-first words ends at ``colon``
    begins ("Vital Signs:", "no M/R/G Respiratory:" is "Respiratory:"), or None."""
    words = list(_LABEL_WORD.finditer(text, lo, colon))
    if not words or words[-1].end() != colon:
        return None
    for k in (3, 2, 1):
        if len(words) < k:
            continue
        first = words[-k]
        run = text[first.start() : colon]
        if (
            first.group(0)[0].isupper()
            and " ".join(run.split()) == run
            and first.start() > lo
            and text[first.start() - 1].isspace()
            and norm_label(run) in labels
        ):
            return first.start()
    return None


def parse_note(text: str, name: str) -> Source:
    """Parse a clinical note into sentence segments.

    Raises:
        InputError: The note has no sentence outside its headings.
    """
    segments: list[Segment] = []
    for heading, block in _blocks(text):
        if not block.spans:
            continue
        b_start, b_end = block.spans[0][0], block.spans[-1][1]
        for s, e in _sentences(text, b_start, b_end):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s >= e:
                continue
            meta: dict[str, str] = {}
            if heading is not None:
                meta = {"section": heading.text, "section_type": heading.kind}
            if block.list_item:
                meta["list_item"] = "true"
            segments.append(
                Segment(
                    id=f"s{len(segments) + 1}",
                    text=text[s:e],
                    start=s,
                    end=e,
                    kind="sentence",
                    meta=meta,
                )
            )
    if not segments:
        raise InputError(f"'{name}' has no sentences (only headings or blank lines)")
    return Source(
        id=name, kind="note", text=text, segments=tuple(segments), meta={"format": "text"}
    )
