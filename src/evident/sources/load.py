"""Entry points of the sources stage: decode, check limits, detect the format, parse.

Formats: plain-text transcripts (``[doctor] ...``, ``Doctor: ...``, ``DR:``/``PT:``,
unlabelled lines), WebVTT, JSON lists of ``{speaker, text}``, and plain notes (sentence
segments under section headings). Every failure is an :class:`~evident.errors.InputError`
whose message names the problem (file, line, byte offset, size) and never the text.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO, Literal

from evident.errors import ConfigError, InputError
from evident.sources.fhir import fhir_max_bytes, looks_like_fhir, parse_fhir
from evident.sources.note import parse_note
from evident.sources.transcript import looks_like_transcript, parse_json, parse_text
from evident.sources.vtt import parse_vtt
from evident.textclean import strip_hidden
from evident.types import Source

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "MAX_SEGMENT_CHARS",
    "Kind",
    "check_size",
    "decode",
    "load_source",
    "max_input_bytes",
    "read_bytes",
    "read_source",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2_000_000
MAX_BYTES_ENV = "EVIDENT_MAX_INPUT_BYTES"
#: The path that names standard input.
STDIN = "-"
Kind = Literal["auto", "transcript", "note", "fhir"]
#: The longest utterance or sentence read: about 15,000 words, room for half an hour of
#: unpunctuated speech-to-text output in one turn (the longest utterance of the public
#: dialogue sets is 3,622 characters). A longer one is a file without line breaks or full
#: stops; verifying a 60,000-character turn took 9 s and 550 MB here, and spaCy refuses
#: texts past 1,000,000 characters.
MAX_SEGMENT_CHARS = 100_000

_JSON_START = re.compile(r"^\s*(?:\[\s*(?:\{|\])|\{)")


def max_input_bytes(max_bytes: int | None = None) -> int:
    """The input size limit: the given one, else ``$EVIDENT_MAX_INPUT_BYTES``, else the default.

    Raises:
        ConfigError: The environment variable is not a positive integer.
    """
    if max_bytes is not None:
        return max_bytes
    env = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not env:
        return DEFAULT_MAX_BYTES
    try:
        value = int(env.replace("_", ""))
    except ValueError:
        raise ConfigError(f"{MAX_BYTES_ENV} must be a whole number of bytes, not '{env}'") from None
    if value <= 0:
        raise ConfigError(f"{MAX_BYTES_ENV} must be positive")
    return value


def check_size(size: int, name: str, limit: int) -> None:
    """Refuse an input of ``size`` bytes over ``limit``, naming the file, never its text.

    Raises:
        InputError: ``size`` is over ``limit``.
    """
    if size > limit:
        raise InputError(
            f"'{name}' is {size} bytes, over the limit of {limit} (set {MAX_BYTES_ENV})"
        )


def decode(raw: bytes, name: str = "source") -> str:
    """Decode input bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Raises:
        InputError: Binary content (NUL bytes) or bytes that are not valid UTF-8,
            naming the offset of the first bad byte.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            body = raw[len(bom) :]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                where = exc.start + len(bom)
                raise InputError(
                    f"'{name}' is not valid {codec.upper()} (bad byte at offset {where})"
                ) from None
            break
    else:
        nul = raw.find(b"\x00")
        if nul >= 0:
            if _looks_utf16(raw):
                raise InputError(
                    f"'{name}' looks like UTF-16 without a byte-order mark; "
                    "add a BOM or save it as UTF-8"
                )
            raise InputError(f"'{name}' looks binary (NUL byte at offset {nul}); expected text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"'{name}' is not UTF-8 text (undecodable byte at offset {exc.start}); "
                "save it as UTF-8 or UTF-16 with a BOM"
            ) from None
    if "\x00" in text:
        raise InputError(f"'{name}' looks binary (NUL character at offset {text.index(chr(0))})")
    return text


def _looks_utf16(raw: bytes) -> bool:
    """Text in UTF-16 without a BOM: NUL in every other byte of a sample, and nowhere else."""
    sample = raw[:2000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (even.count(0) == len(even) and 0 not in odd) or (
        odd.count(0) == len(odd) and 0 not in even
    )


def _normalise(text: str) -> str:
    # One newline convention keeps offsets simple for every consumer; characters that
    # render as nothing would hide words from every lexicon (textclean).
    return strip_hidden(text.replace("\r\n", "\n").replace("\r", "\n"))


def load_source(
    data: bytes | str,
    kind: Kind = "auto",
    name: str = "source",
    max_bytes: int | None = None,
) -> Source:
    """Parse raw input into a Source.

    Args:
        data: The input's bytes, or already decoded text.
        kind: ``transcript``, ``note``, or ``auto`` to detect it.
        name: Source id, used in error messages (a file name, never patient text).
        max_bytes: Size limit; None reads ``$EVIDENT_MAX_INPUT_BYTES`` or uses
            :data:`DEFAULT_MAX_BYTES`.

    Returns:
        A transcript (utterances ``u1..un``) or a note (sentences ``s1..sn``).

    Raises:
        InputError: Empty, binary, undecodable, too large, malformed, or without any
            recognisable utterance or sentence.
    """
    if kind not in ("auto", "transcript", "note", "fhir"):
        raise InputError(f"unknown source kind '{kind}' (use auto, transcript, note or fhir)")
    limit = _limit_for(data, kind, max_bytes)
    if isinstance(data, str):
        check_size(len(data.encode("utf-8", "surrogatepass")), name, limit)
        if "\x00" in data:
            raise InputError(
                f"'{name}' looks binary (NUL character at offset {data.index(chr(0))})"
            )
        text = data
    else:
        check_size(len(data), name, limit)
        text = decode(data, name)
    text = _normalise(text)
    if not text.strip():
        raise InputError(f"'{name}' is empty")
    source = _parse(text, kind, name)
    _check_segments(source, name)
    log.debug(
        "parsed %s: kind=%s format=%s segments=%d",
        name,
        source.kind,
        source.meta.get("format"),
        len(source.segments),
    )
    return source


def _check_segments(source: Source, name: str) -> None:
    if source.kind not in ("transcript", "note"):
        return
    for seg in source.segments:
        if len(seg.text) > MAX_SEGMENT_CHARS:
            what = "utterance" if source.kind == "transcript" else "sentence"
            raise InputError(
                f"'{name}': {what} {seg.id} is {len(seg.text)} characters long, over the "
                f"limit of {MAX_SEGMENT_CHARS}; break it into lines or sentences"
            )


def _limit_for(data: bytes | str, kind: Kind, max_bytes: int | None) -> int:
    """FHIR JSON gets its own, larger default limit (bundles are verbose)."""
    head = data[:200] if isinstance(data, str) else data[:200].decode("utf-8", "ignore")
    if kind == "fhir" or (kind == "auto" and '"resourceType"' in head):
        return fhir_max_bytes(max_bytes)
    return max_input_bytes(max_bytes)


def _parse(text: str, kind: Kind, name: str) -> Source:
    if kind == "fhir" or (kind == "auto" and looks_like_fhir(text)):
        return parse_fhir(text, name)
    head = text.lstrip()
    if kind != "note" and head.startswith("WEBVTT"):
        return parse_vtt(text, name)
    if kind != "note" and _JSON_START.match(text):
        return parse_json(text, name)
    if kind == "transcript":
        return parse_text(text, name)
    if kind == "note":
        return parse_note(text, name)
    if looks_like_transcript(text):
        return parse_text(text, name)
    return parse_note(text, name)


def _read_capped(path: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes, refusing more while reading: a pipe, a device or a
    file that grows after ``stat`` reports no size to trust."""
    with path.open("rb") as handle:
        return _read_stream(handle, path.name, limit)


def _read_stream(handle: BinaryIO, name: str, limit: int) -> bytes:
    chunks, total = [], 0
    while chunk := handle.read(min(1 << 20, limit + 1 - total)):
        total += len(chunk)
        if total > limit:
            raise InputError(f"'{name}' is over the limit of {limit} bytes (set {MAX_BYTES_ENV})")
        chunks.append(chunk)
    return b"".join(chunks)


def read_source(path: str | Path, kind: Kind = "auto", max_bytes: int | None = None) -> Source:
    """Read a file (``-``: standard input) and parse it into a Source (its id is the file
    name, ``stdin`` for standard input).

    Raises:
        InputError: The file is missing or unreadable, or its content is bad input
            (see :func:`load_source`).
    """
    p = Path(path)
    limit = max_input_bytes(max_bytes)
    if kind == "fhir" or (kind == "auto" and p.suffix.lower() == ".json"):
        limit = fhir_max_bytes(max_bytes)
    if str(path) == STDIN:  # read as far as the larger limit; load_source checks its own
        raw = _read_stream(sys.stdin.buffer, "stdin", max(limit, fhir_max_bytes(max_bytes)))
        return load_source(raw, kind=kind, name="stdin", max_bytes=max_bytes)
    return load_source(read_bytes(p, limit), kind=kind, name=p.name, max_bytes=max_bytes)


def read_bytes(path: str | Path, limit: int) -> bytes:
    """A file's bytes, refused before reading when it is over ``limit`` bytes.

    Raises:
        InputError: The file is missing, a directory, unreadable or too large (the
            message names the file, never its content).
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"'{p.name}' is a directory, not a file")
        check_size(p.stat().st_size, p.name, limit)
        return _read_capped(p, limit)
    except FileNotFoundError:
        raise InputError(f"no such file: '{p}'") from None
    except OSError as exc:
        raise InputError(f"cannot read '{p.name}': {exc.strerror}") from None
