"""Recognising input files and dispatching them to their parser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from evident.errors import InputError
from evident.kb.model import Document
from evident.kb.parse_docs import parse_html, parse_markdown, parse_text
from evident.kb.parse_jsonl import parse_jsonl
from evident.kb.parse_pubmed import parse_pubmed_xml, parse_pubmedqa_json

__all__ = ["SUFFIXES", "iter_documents", "iter_files"]

SUFFIXES = {
    ".xml": "pubmed-xml",
    ".json": "pubmedqa-json",
    ".jsonl": "jsonl",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
MAX_TEXT_BYTES = 20_000_000
_UNSAFE = re.compile(r"[^\w.\-/]+")


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Yield ``(file, root)`` for each file argument and each known file under a folder.

    Files named explicitly must have a known suffix; unknown files inside folders are
    yielded with root None so the caller can count them as skipped.

    Raises:
        InputError: A path does not exist, or a named file has an unknown type.
    """
    for path in paths:
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                if f.name.startswith("."):
                    continue
                yield (f, path) if f.suffix.lower() in SUFFIXES else (f, None)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                known = ", ".join(sorted(SUFFIXES))
                raise InputError(f"unknown file type '{path.suffix}' of '{path.name}' ({known})")
            yield path, path.parent
        else:
            raise InputError(f"no such file or folder: '{path}'")


def _doc_id(path: Path, root: Path) -> str:
    """A stable id for a guideline file: its path below the folder given, without suffix."""
    rel = path.relative_to(root) if path.is_relative_to(root) else Path(path.name)
    stem = rel.with_suffix("").as_posix()
    return _UNSAFE.sub("-", stem).strip("-") or "document"


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InputError(f"'{path.name}' is {size} bytes, over the limit of {MAX_TEXT_BYTES}")
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError(f"'{path.name}' is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"'{path.name}' is not UTF-8 text (byte {exc.start})") from None


def iter_documents(path: Path, root: Path) -> Iterator[Document]:
    """Parse one file into documents according to its suffix.

    Raises:
        InputError: The file is malformed (the message names the file and line).
    """
    kind = SUFFIXES[path.suffix.lower()]
    if kind == "pubmed-xml":
        with path.open("rb") as fh:
            yield from parse_pubmed_xml(fh, path.name)
    elif kind == "pubmedqa-json":
        yield from parse_pubmedqa_json(path)
    elif kind == "jsonl":
        yield from parse_jsonl(path)
    else:
        text = _read_text(path)
        if not text.strip():
            raise InputError(f"'{path.name}' is empty")
        doc_id = _doc_id(path, root)
        parser = {"text": parse_text, "markdown": parse_markdown, "html": parse_html}[kind]
        yield parser(text, doc_id, path.name)
