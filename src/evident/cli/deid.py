"""``evident deid``: de-identify a text file (redact or surrogate), streaming."""

from __future__ import annotations

import codecs
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

import click

from evident.errors import InputError

__all__ = ["open_text", "register"]

_SNIFF = 8192


def open_text(path: Path, limit: int | None = None) -> IO[str]:
    """Open a UTF-8 (or UTF-16 with a BOM) text file for streaming, or raise a one-line
    InputError.

    A regular file over the input size limit is refused before a byte of it is read; a
    regular file is decoded once before anything is printed, so a bad byte late in it
    fails the run instead of leaving half an output (and half a JSON document). A pipe or
    device is read once: the bytes sniffed from its start are read again before the rest.

    Args:
        path: The file.
        limit: Size limit in bytes; None reads ``$EVIDENT_MAX_INPUT_BYTES`` or uses the
            default of every command (:data:`evident.sources.DEFAULT_MAX_BYTES`).

    Raises:
        InputError: Missing, unreadable, too large, empty, binary (NUL bytes) or not
            decodable.
    """
    from evident.sources import check_size, max_input_bytes

    try:
        if not path.is_file():
            return _open_stream(path, path.open("rb"))
        check_size(path.stat().st_size, path.name, max_input_bytes(limit))
        with path.open("rb") as fh:
            encoding = _sniff(path, fh.read(_SNIFF))
        _check_decodes(path, encoding)
        return path.open("r", encoding=encoding, newline="")
    except OSError as exc:
        raise InputError(f"cannot read '{path.name}': {exc.strerror}") from None


def _sniff(path: Path, head: bytes) -> str:
    """The encoding of a text that starts with ``head``; refuse an empty or binary one."""
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not head.strip():
        raise InputError(f"'{path.name}' is empty")
    if not utf16 and b"\x00" in head:
        raise InputError(f"'{path.name}' looks binary (NUL bytes), expected UTF-8 text")
    return "utf-16" if utf16 else "utf-8"


class _Replay(io.RawIOBase):
    """The bytes already read from a stream's start, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._head:
            return self._rest.readinto(buffer)  # type: ignore[attr-defined]
        size = min(len(buffer), len(self._head))
        buffer[:size] = self._head[:size]
        self._head = self._head[size:]
        return size

    def close(self) -> None:
        self._rest.close()
        super().close()


def _open_stream(path: Path, raw: BinaryIO) -> IO[str]:
    """A pipe or device, which cannot be read twice: sniff its start, then replay it."""
    try:
        head = raw.read(_SNIFF)
        encoding = _sniff(path, head)
        if encoding == "utf-8":
            _check_head_decodes(path, head)
    except BaseException:
        raw.close()
        raise
    return io.TextIOWrapper(io.BufferedReader(_Replay(head, raw)), encoding=encoding, newline="")


def _check_head_decodes(path: Path, head: bytes) -> None:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the sniff boundary
            line = head[: exc.start].count(b"\n") + 1
            raise InputError(f"'{path.name}' is not valid UTF-8 (line {line})") from None


def _check_decodes(path: Path, encoding: str) -> None:
    """Decode the whole file (about 1 GB/s), naming the line of the first bad byte."""
    try:
        line = _first_bad_line(path, encoding)
    except OSError as exc:
        raise InputError(f"cannot read '{path.name}': {exc.strerror}") from None
    if line is not None:
        where = "" if encoding == "utf-16" else f" (line {line})"
        raise InputError(f"'{path.name}' is not valid {encoding.upper()}{where}")


def _first_bad_line(path: Path, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            pending = decoder.getstate()[0]  # bytes of a character cut by the chunk edge
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + (pending + chunk)[: exc.start].count(b"\n")
            line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line  # a character cut short at the end of the file
    return None


def _lines(fh: IO[str], name: str, limit: int) -> Iterator[str]:
    number = 0
    try:
        while True:
            line = fh.readline(limit)
            if not line:
                return
            number += line.count("\n")
            yield line
    except UnicodeDecodeError:
        raise InputError(f"'{name}' is not valid UTF-8 (near line {number + 1})") from None


def _progress(path: Path) -> Any:
    """A byte-count bar with ETA on a terminal (stderr), nothing otherwise."""
    from tqdm import tqdm

    size = path.stat().st_size if path.is_file() else None
    return tqdm(total=size, unit="B", unit_scale=True, desc="deid", disable=None,
                leave=False, file=sys.stderr)  # fmt: skip


def _counted(lines: Iterator[str], bar: Any, name: str, cap: int | None) -> Iterator[str]:
    """The lines, counted on the bar; over ``cap`` bytes (a pipe, whose size no ``stat``
    tells in advance) the stream is refused."""
    from evident.sources import MAX_BYTES_ENV

    total = 0
    for line in lines:
        size = len(line.encode("utf-8"))
        total += size
        if cap is not None and total > cap:
            raise InputError(f"'{name}' is over the limit of {cap} bytes (set {MAX_BYTES_ENV})")
        bar.update(size)
        yield line


def _write(pieces: Iterator[tuple[str, list[Any]]], fmt: str) -> None:
    """Print the de-identified pieces as they come: text, or one JSON document."""
    out = sys.stdout
    if fmt == "text":
        for piece, _ in pieces:
            out.write(piece)
        out.flush()
        return
    spans = []
    out.write('{"text": "')
    for piece, found in pieces:
        out.write(json.dumps(piece, ensure_ascii=False)[1:-1])
        spans.extend(found)
    out.write('", "spans": ')
    out.write(
        json.dumps(
            [
                {"start": s.start, "end": s.end, "type": s.type, "text": s.text, "score": s.score}
                for s in spans
            ],
            ensure_ascii=False,
        )
    )
    out.write("}\n")
    out.flush()


def _run(
    path: Path, mode: str, patient: str, fmt: str, hospitals: bool, ner: bool, ner_model: str
) -> None:
    from evident.privacy.detect import Detector, model_installed
    from evident.privacy.operators import Operator, Redactor, Surrogator
    from evident.privacy.stream import deidentify_stream
    from evident.privacy.vault import Vault
    from evident.sources import max_input_bytes

    limit = max_input_bytes()
    # Size, emptiness and encoding are checked before the detector's models load.
    with open_text(path, limit) as fh, _progress(path) as bar:
        detector = Detector.create(
            hospitals=hospitals, ner=ner and model_installed(ner_model), ner_model=ner_model
        )
        operator: Operator = (
            Redactor() if mode == "redact" else Surrogator(Vault.from_env().hmac_key, patient)
        )
        cap = None if path.is_file() else limit  # a pipe: counted while it is read
        lines = _counted(_lines(fh, path.name, 1 << 16), bar, path.name, cap)
        _write(deidentify_stream(lines, detector, operator), fmt)


def register(root: click.Group) -> None:
    """Add ``evident deid`` and ``evident bench deid``."""

    @root.command("deid")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--mode", type=click.Choice(["redact", "surrogate"]), default="redact", show_default=True
    )
    @click.option("--patient", default="default", help="Patient key surrogates are consistent for.")
    @click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
    )
    @click.option(
        "--hospitals/--no-hospitals",
        default=True,
        show_default=True,
        help="Treat hospital and clinic names as PHI.",
    )
    @click.option(
        "--ner/--no-ner",
        default=True,
        show_default=True,
        help="Union a NER model with the rules (slower; --no-ner: rules only, ~500 KB/s).",
    )
    @click.option(
        "--ner-model",
        type=click.Choice(["evident", "en_core_web_sm"]),  # detect.NER_MODELS (a test checks)
        default="evident",
        show_default=True,
        help="The recall layer's model: the project's own tagger or spaCy's en_core_web_sm.",
    )
    def deid(
        file: Path,
        mode: str,
        patient: str,
        fmt: str,
        hospitals: bool,
        ner: bool,
        ner_model: str,
    ) -> None:
        """De-identify FILE: print it with PHI redacted or replaced by surrogates.

        JSON output has the spans with offsets into the ORIGINAL input. Surrogates are
        consistent per --patient; set EVIDENT_PRIVACY_KEY to keep them across runs.
        """
        _run(file, mode, patient, fmt, hospitals, ner, ner_model)
