"""Turning a user's free text into a safe FTS5 query.

User text is never passed to ``MATCH`` as is: FTS5 gives meaning to quotes, ``AND``,
``OR``, ``NOT``, ``NEAR``, ``*``, ``^``, ``:``, parentheses and column filters. The query
is rebuilt from word tokens only, each one double-quoted (a string, never an operator),
joined with ``OR`` so BM25 ranks passages by how many and how rare the terms they share.
"""

from __future__ import annotations

import re

from evident.errors import InputError
from evident.kb.config import load_config, stopwords

__all__ = ["fts_query", "query_terms"]

_TOKEN = re.compile(r"[^\W_]+")


def query_terms(text: str, max_terms: int | None = None) -> list[str]:
    """Distinct lower-case word tokens of a query, stopwords dropped, in order.

    A query made only of stopwords keeps them (``"what is it"`` still searches).

    Raises:
        InputError: The query has no word at all.
    """
    tokens = _TOKEN.findall(text.lower())
    if not tokens:
        raise InputError("empty query: it has no words to search for")
    limit = max_terms or load_config().search.max_query_terms
    content = [t for t in tokens if t not in stopwords()]
    return list(dict.fromkeys(content or tokens))[:limit]


def fts_query(text: str, max_terms: int | None = None) -> str:
    """An FTS5 MATCH expression for free text: quoted tokens joined by ``OR``.

    Raises:
        InputError: The query has no word at all.
    """
    return " OR ".join(f'"{t}"' for t in query_terms(text, max_terms))
