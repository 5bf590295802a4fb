"""Parsers for guideline documents: plain text, Markdown (with front matter) and HTML.

Headings start sections and become passage titles. HTML is reduced to text with the
standard library's ``html.parser``: scripts, styles and other non-content elements are
dropped, entities decoded, nothing is executed or fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import yaml

from evident.errors import InputError
from evident.kb.model import Document
from evident.kb.text import clean

__all__ = ["parse_html", "parse_markdown", "parse_text"]

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPH = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_META_KEYS = ("id", "title", "source", "url", "date")


class _Meta:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def _front_matter(text: str, name: str) -> tuple[_Meta, str]:
    m = _FRONT.match(text)
    if not m:
        return _Meta({}), text
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        raise InputError(f"'{name}': malformed front matter") from None
    if not isinstance(data, dict):
        raise InputError(f"'{name}': front matter is not a mapping")
    values = {k: str(data[k]).strip() for k in _META_KEYS if data.get(k) is not None}
    return _Meta(values), text[m.end() :]


def _document(
    doc_id: str, name: str, meta: _Meta, sections: list[tuple[str, str]], title: str
) -> Document:
    kept = tuple((h, clean(b)) for h, b in sections if clean(b))
    if not kept:
        raise InputError(f"'{name}' has no text")
    final_id = meta.get("id") or doc_id
    if "#" in final_id:
        raise InputError(f"'{name}': document id may not contain '#'")
    return Document(
        id=final_id,
        title=meta.get("title") or title or doc_id,
        source=meta.get("source") or name,
        sections=kept,
        url=meta.get("url"),
        date=meta.get("date"),
    )


_TITLE_MAX = 120  # characters: a longer first line is text, not a title


def parse_text(text: str, doc_id: str, name: str) -> Document:
    """A plain-text document: one section, paragraphs separated by blank lines.

    A short first line followed by more text is the title (unless front matter gives
    one) and is not repeated in the text.
    """
    meta, body = _front_matter(text, name)
    first, _, rest = body.strip().partition("\n")
    title = ""
    if rest.strip() and 0 < len(first.strip()) <= _TITLE_MAX and not meta.get("title"):
        title, body = first.strip().strip("#").strip(), rest
    return _document(doc_id, name, meta, [("", body)], title)


def _inline_md(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    return _EMPH.sub(r"\2", line)


def parse_markdown(text: str, doc_id: str, name: str) -> Document:
    """A Markdown document: ATX (``#``) and setext headings start sections.

    The first level-1 heading is the document title unless front matter gives one.
    """
    meta, body = _front_matter(text, name)
    sections: list[tuple[str, list[str]]] = [("", [])]
    title = ""
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        m = None if in_fence else _ATX.match(line)
        if not in_fence and _SETEXT.match(line):
            prev = sections[-1][1]
            if prev and prev[-1].strip():  # underline of a setext heading, else a rule
                heading = prev.pop().strip()
                if not title and line.strip().startswith("="):
                    title = heading
                sections.append((heading, []))
        elif m:
            heading = _inline_md(m.group(2))
            if not title and len(m.group(1)) == 1:
                title = heading
            sections.append((heading, []))
        else:
            sections[-1][1].append(_inline_md(line))
    flat = [(h, "\n".join(lines)) for h, lines in sections]
    return _document(doc_id, name, meta, flat, title)


_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "nav"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "blockquote",
    "pre", "dd", "dt", "dl", "header", "footer", "main", "aside", "figure", "figcaption",
    "hr", "td", "th",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_META_NAMES = {
    "date": "date",
    "dc.date": "date",
    "citation_date": "date",
    "citation_publication_date": "date",
    "last-reviewed": "date",
    "source": "source",
    "dc.source": "source",
    "dc.publisher": "source",
}


class _HtmlText(HTMLParser):
    """Collects sections of visible text; never resolves URLs or runs anything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str]]] = [("", [])]
        self.meta: dict[str, str] = {}
        self.title = ""
        self._skip = 0
        self._heading: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta" and a.get("name", "").lower() in _META_NAMES:
            self.meta.setdefault(_META_NAMES[a["name"].lower()], a.get("content", "").strip())
        elif tag == "link" and a.get("rel", "").lower() == "canonical":
            self.meta.setdefault("url", a.get("href", "").strip())
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        elif tag in _HEADINGS and not self._skip:
            self._heading = []
        elif tag in _BLOCK:
            self.sections[-1][1].append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _HEADINGS and self._heading is not None:
            heading = " ".join("".join(self._heading).split())
            self._heading = None
            if heading:
                if tag == "h1" and not self.title:
                    self.title = heading
                self.sections.append((heading, []))
        elif tag in _BLOCK:
            self.sections[-1][1].append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.meta["title"] = self.meta.get("title", "") + data
        elif self._skip:
            return
        elif self._heading is not None:
            self._heading.append(data)
        else:
            self.sections[-1][1].append(data)


def parse_html(text: str, doc_id: str, name: str) -> Document:
    """An HTML document: ``h1``–``h6`` start sections; ``<title>``/``<meta>`` give provenance."""
    parser = _HtmlText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser's own failure modes on garbage
        raise InputError(f"'{name}' is not parseable HTML") from None
    flat = [(h, "".join(parts)) for h, parts in parser.sections]
    found: dict[str, Any] = dict(parser.meta)
    title = " ".join(found.pop("title", "").split()) or parser.title
    return _document(doc_id, name, _Meta({k: v for k, v in found.items() if v}), flat, title)
