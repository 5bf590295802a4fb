"""Retrieved context for benchmark items, from an Evident knowledge base (``--kb DIR``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from evident.errors import InputError
from evident.evals.items import EvalItem

__all__ = ["attach_context", "retrieval_tag"]


def retrieval_tag(k: int, search: str) -> str:
    """The suffix that marks prompts with retrieved context (part of the cache key)."""
    return f"+kb-{search}-k{k}"


def attach_context(
    items: Sequence[EvalItem], kb_dir: Path, k: int = 5, search: str = "bm25"
) -> list[EvalItem]:
    """Replace each item's context with the ``k`` passages the knowledge base finds.

    The query is the question followed by the options' texts. Retrieved passage ids are
    kept in ``meta["retrieved"]``.

    Raises:
        InputError: The knowledge base folder is missing, or ``k`` is out of range.
    """
    from evident.kb import KnowledgeBase

    if k < 1:
        raise InputError(f"--k must be at least 1 (got {k})")
    out = []
    with KnowledgeBase(Path(kb_dir)) as kb:
        for item in items:
            query = " ".join((item.question, *item.options.values()))
            hits = kb.search(query, k=k, mode=search)  # type: ignore[arg-type]
            context = tuple(
                f"{h.passage.title}: {h.passage.text}" if h.passage.title else h.passage.text
                for h in hits
            )
            ids = ",".join(h.passage.passage_id for h in hits)
            out.append(
                dataclasses.replace(item, context=context, meta={**item.meta, "retrieved": ids})
            )
    return out
