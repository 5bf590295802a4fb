"""The scribe prompt: a versioned resource file rendered into chat messages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

from evident.errors import ConfigError
from evident.models.base import Message
from evident.tasks.scribe.schema import NoteOutput
from evident.types import Source

__all__ = ["PROMPT_FILE", "PROMPT_VERSION", "build_messages", "render_transcript"]

PROMPT_VERSION = "scribe/1.0"
PROMPT_FILE = "prompt_v1.txt"
_SYSTEM, _USER = "=== system ===", "=== user ==="

_GUIDE = {
    "chief_complaint": "the reason for the visit",
    "hpi": "history of the present illness, as the patient tells it",
    "ros": "review of systems: symptoms asked about, reported or denied",
    "exam": "physical examination findings and vital signs",
    "results": "test, laboratory and imaging results",
    "assessment": "the clinician's assessment or diagnoses",
    "plan": "the plan: medications, tests, referrals, follow-up, instructions",
}


@cache
def _template() -> tuple[str, str]:
    path = resources.files("evident.tasks.scribe") / "resources" / PROMPT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot load scribe prompt '{PROMPT_FILE}': {exc}") from None
    if _SYSTEM not in text or _USER not in text:
        raise ConfigError(f"scribe prompt '{PROMPT_FILE}' lacks its system or user part")
    system, user = text.split(_USER, 1)
    return system.replace(_SYSTEM, "").strip(), user.strip()


def render_transcript(sources: Sequence[Source]) -> str:
    """One line per segment: ``[u3] patient: text``."""
    lines = []
    for src in sources:
        for seg in src.segments:
            who = f"{seg.speaker}: " if seg.speaker else ""
            lines.append(f"[{seg.id}] {who}{' '.join(seg.text.split())}")
    return "\n".join(lines)


def build_messages(
    sources: Sequence[Source], sections: Mapping[str, Sequence[str]]
) -> tuple[Message, ...]:
    """Render the versioned prompt for these sources and sections.

    Args:
        sources: The transcripts (segment ids are what the model cites).
        sections: Section name -> internal categories (used to describe each section).
    """
    system, user = _template()
    guide = "\n".join(
        f"  - {name}: " + "; ".join(_GUIDE.get(c, c) for c in cats) if cats else f"  - {name}"
        for name, cats in sections.items()
    )
    schema = json.dumps(NoteOutput.model_json_schema(), separators=(",", ":"))
    sys_text = system.format(
        sections=", ".join(f'"{s}"' for s in sections), section_guide=guide, schema=schema
    )
    user_text = user.format(transcript=render_transcript(sources))
    return (Message("system", sys_text), Message("user", user_text))
