"""Verify stage: check every statement of a draft against its sources.

Public API: :func:`verify` (the validation layer), :func:`draft_from_note` (any note
text as a draft), the renderings :func:`render_text`, :func:`render_json` and
:func:`render_html`, the fact extractor :func:`extract_facts` and the judge interface
(:class:`Judge`, :class:`LLMJudge`).
"""

from evident.verify.check import verify
from evident.verify.draft import draft_from_note
from evident.verify.facts import Fact, analyze, extract_facts
from evident.verify.judge import Judge, JudgeAnswer, JudgeDecision, LLMJudge
from evident.verify.render import (
    EXPLANATIONS,
    render_html,
    render_json,
    render_text,
    report_counts,
)

__all__ = [
    "EXPLANATIONS",
    "Fact",
    "Judge",
    "JudgeAnswer",
    "JudgeDecision",
    "LLMJudge",
    "analyze",
    "draft_from_note",
    "extract_facts",
    "render_html",
    "render_json",
    "render_text",
    "report_counts",
    "verify",
]
