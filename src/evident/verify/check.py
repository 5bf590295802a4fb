"""First cut of the validation layer: lexical support of each statement."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evident.types import Draft, Finding, Report, Source, Verdict, VerdictLabel

__all__ = ["verify"]

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2}


def verify(draft: Draft, sources: Sequence[Source]) -> Report:
    """Judge every statement of ``draft`` against ``sources``."""
    segs = {s.id: s for src in sources for s in src.segments}
    verdicts, findings = [], []
    for st in draft.statements:
        words = _words(st.text)
        for c in st.citations:
            if c not in segs:
                findings.append(
                    Finding(
                        kind="citation_missing", where=st.id, message=f"cites unknown segment {c}"
                    )
                )
        best, best_id = 0.0, None
        for seg in segs.values():
            overlap = len(words & _words(seg.text)) / max(1, len(words))
            if overlap > best:
                best, best_id = overlap, seg.id
        label: VerdictLabel = "supported" if best >= 0.5 else "unsupported"
        verdicts.append(
            Verdict(
                statement_id=st.id, label=label, evidence=(best_id,) if best_id else (), score=best
            )
        )
    return Report(verdicts=tuple(verdicts), findings=tuple(findings), verifier="lexical/0")
