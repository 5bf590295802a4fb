"""Parsers for PubMed XML (``PubmedArticleSet``) and the PubMedQA JSON format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from evident.errors import InputError
from evident.kb.model import Document

__all__ = ["parse_pubmed_xml", "parse_pubmedqa_json"]

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _text(el: ET.Element | None) -> str:
    """All text inside an element (inline markup such as ``<i>`` flattened)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return _MONTHS.get(value[:3])


def _date(article: ET.Element) -> str:
    """Publication date as ``YYYY[-MM[-DD]]``: journal issue date, else article date."""
    for path in (".//Article/Journal/JournalIssue/PubDate", ".//Article/ArticleDate"):
        el = article.find(path)
        if el is None:
            continue
        year = (el.findtext("Year") or "").strip()
        if not year:
            m = _YEAR.search(el.findtext("MedlineDate") or "")
            year = m.group(1) if m else ""
        if not year:
            continue
        month = _month(el.findtext("Month") or "")
        day = (el.findtext("Day") or "").strip()
        if month and day.isdigit():
            return f"{year}-{month:02d}-{int(day):02d}"
        return f"{year}-{month:02d}" if month else year
    return ""


def _article(el: ET.Element, source: str) -> Document | None:
    pmid = (el.findtext(".//MedlineCitation/PMID") or "").strip()
    if not pmid.isdigit():
        return None
    title = _text(el.find(".//Article/ArticleTitle"))
    sections: list[tuple[str, str]] = []
    for abstract in el.findall(".//Article/Abstract/AbstractText"):
        body = _text(abstract)
        if body:
            label = (abstract.get("Label") or "").strip()
            sections.append((label.capitalize() if label.isupper() else label, body))
    if not sections and title:
        sections.append(("", title))
    if not sections:
        return None
    journal = _text(el.find(".//Article/Journal/Title"))
    return Document(
        id=f"pmid:{pmid}",
        title=title or f"PMID {pmid}",
        source=source,
        sections=tuple(sections),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        date=_date(el),
        meta=(("journal", journal), ("pmid", pmid)),
    )


def parse_pubmed_xml(stream: IO[bytes], name: str) -> Iterator[Document]:
    """Stream the articles of a PubMed XML file (``PubmedArticleSet``).

    Each ``PubmedArticle`` becomes a document ``pmid:<PMID>`` whose sections are the
    labelled abstract parts; articles without a PMID are skipped.

    Raises:
        InputError: The file is not well-formed XML or not a PubmedArticleSet.
    """
    try:
        events = ET.iterparse(stream, events=("start", "end"))
        _, root = next(events)
        if root.tag != "PubmedArticleSet":
            raise InputError(f"'{name}' is XML but not a PubmedArticleSet (root <{root.tag}>)")
        for event, el in events:
            if event == "end" and el.tag == "PubmedArticle":
                doc = _article(el, "pubmed")
                root.clear()  # keep memory flat on baseline files of 30,000 articles
                if doc is not None:
                    yield doc
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise InputError(f"'{name}' is not well-formed XML (line {line})") from None
    except StopIteration:
        raise InputError(f"'{name}' is empty") from None


def _pubmedqa_item(pmid: str, item: Any, name: str) -> Document:
    if not pmid.isdigit():
        raise InputError(f"'{name}': key '{pmid[:40]}' is not a PMID")
    if not isinstance(item, dict) or not isinstance(item.get("CONTEXTS"), list):
        raise InputError(f"'{name}': entry {pmid} has no CONTEXTS list")
    contexts = item["CONTEXTS"]
    labels = item.get("LABELS") or []
    if not isinstance(labels, list) or (labels and len(labels) != len(contexts)):
        raise InputError(f"'{name}': entry {pmid} has LABELS that do not match its CONTEXTS")
    sections = []
    for i, ctx in enumerate(contexts):
        if not isinstance(ctx, str):
            raise InputError(f"'{name}': entry {pmid} has a context that is not text")
        label = str(labels[i]) if labels else ""
        if ctx.strip():
            sections.append((label.capitalize() if label.isupper() else label, ctx.strip()))
    if not sections:
        raise InputError(f"'{name}': entry {pmid} has no context text")
    year = str(item.get("YEAR") or "").strip()
    # The question is not indexed: in PubMedQA it restates the article title, so indexing
    # it would leak the benchmark queries into the index.
    return Document(
        id=f"pmid:{pmid}",
        title=f"PMID {pmid}",
        source="pubmedqa",
        sections=tuple(sections),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        date=year if _YEAR.fullmatch(year) else "",
        meta=(("pmid", pmid),),
    )


def parse_pubmedqa_json(path: Path) -> Iterator[Document]:
    """Parse a PubMedQA file: ``{PMID: {"CONTEXTS": [...], "LABELS": [...], "YEAR": ...}}``.

    Raises:
        InputError: Not JSON, not an object keyed by PMID, or an entry without contexts.
    """
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InputError(f"'{path.name}' is not valid JSON (line {exc.lineno})") from None
    except UnicodeDecodeError:
        raise InputError(f"'{path.name}' is not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InputError(f"'{path.name}' is not a PubMedQA object keyed by PMID")
    for pmid, item in data.items():
        yield _pubmedqa_item(str(pmid), item, path.name)
