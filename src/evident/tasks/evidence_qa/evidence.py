"""Retrieved passages as a literature Source, and the evidence list of an answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from evident.kb.model import Hit
from evident.types import Segment, Source

__all__ = ["age_years", "build_source", "evidence_list", "passage_segments", "year_of"]

SOURCE_ID = "kb"


def build_source(hits: Sequence[Hit], source_id: str = SOURCE_ID) -> Source:
    """A ``literature`` Source whose segments are the retrieved passages.

    Segment ids are passage ids; segment meta carries the provenance (``doc_id``,
    ``title``, ``source``, ``url``, ``date``) and the retrieval ``score`` and ``rank``.
    Passages are separated by a blank line in the source text.
    """
    segments: list[Segment] = []
    parts: list[str] = []
    offset = 0
    for rank, hit in enumerate(hits, start=1):
        p = hit.passage
        meta = {k: v for k, v in p.provenance().items() if v}
        meta.update(score=f"{hit.score:.4f}", rank=str(rank))
        segments.append(
            Segment(
                id=p.passage_id,
                text=p.text,
                start=offset,
                end=offset + len(p.text),
                kind="passage",
                meta=meta,
            )
        )
        parts.append(p.text)
        offset += len(p.text) + 2
    return Source(
        id=source_id,
        kind="literature",
        text="\n\n".join(parts),
        segments=tuple(segments),
        meta={"retrieved": str(len(segments))},
    )


def passage_segments(sources: Iterable[Source]) -> dict[str, Segment]:
    """All passage segments of the literature sources, by id, in retrieval order."""
    return {
        seg.id: seg
        for src in sources
        if src.kind == "literature"
        for seg in src.segments
        if seg.kind == "passage"
    }


def year_of(value: str) -> float | None:
    """A date string ``YYYY[-MM[-DD]]`` as a fractional year, or None if unparseable."""
    parts = value.strip().split("-")
    if not parts or not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 6
    return year + (min(max(month, 1), 12) - 1) / 12


def age_years(value: str, today: date | None = None) -> float | None:
    """Age of a dated passage in years, or None for an undated one."""
    year = year_of(value)
    if year is None:
        return None
    now = today or date.today()
    return now.year + (now.month - 1) / 12 - year


def evidence_list(
    segments: dict[str, Segment], cited: Iterable[str], quote_chars: int
) -> list[dict[str, Any]]:
    """The evidence an answer shows: provenance and the quoted passage, in citing order."""
    out: list[dict[str, Any]] = []
    for pid in dict.fromkeys(cited):
        seg = segments.get(pid)
        if seg is None:
            continue
        quote = seg.text if len(seg.text) <= quote_chars else seg.text[:quote_chars] + "…"
        out.append(
            {
                "passage_id": pid,
                "doc_id": seg.meta.get("doc_id", ""),
                "title": seg.meta.get("title", ""),
                "source": seg.meta.get("source", ""),
                "date": seg.meta.get("date", ""),
                "url": seg.meta.get("url", ""),
                "quote": quote,
            }
        )
    return out
