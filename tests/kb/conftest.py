"""Fixtures of the knowledge-base tests: a tiny KB built from hand-written documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evident.kb import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The folder of hand-written fixture documents."""
    return FIXTURES


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    """A knowledge base holding every fixture document."""
    kb = KnowledgeBase(tmp_path / "kb", create=True)
    kb.ingest([FIXTURES], progress=False)
    yield kb
    kb.close()
