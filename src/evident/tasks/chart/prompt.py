"""The chart prompt: a versioned resource file rendered into chat messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from evident.errors import ConfigError
from evident.models.base import Message
from evident.tasks.chart.engine import SECTIONS
from evident.types import Source

__all__ = ["PROMPT_VERSION", "build_messages"]

PROMPT_VERSION = "chart/1.0"
_FILE = "prompt_v1.txt"
_SYSTEM, _USER = "=== system ===", "=== user ==="
# Administrative resources carry no clinical statement; leaving them out keeps prompts short.
_SKIP = {"Claim", "ExplanationOfBenefit", "Organization", "Practitioner", "Coverage"}


@cache
def _template() -> tuple[str, str]:
    path = resources.files("evident.tasks.chart") / "resources" / _FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot load chart prompt '{_FILE}': {exc}") from None
    if _SYSTEM not in text or _USER not in text:
        raise ConfigError(f"chart prompt '{_FILE}' lacks its system or user part")
    system, user = text.split(_USER, 1)
    return system.replace(_SYSTEM, "").strip(), user.strip()


def build_messages(
    sources: Sequence[Source], as_of: date, care_gaps: Sequence[Mapping[str, Any]] = ()
) -> tuple[Message, ...]:
    """Render the versioned prompt for these FHIR sources."""
    system, user = _template()
    lines = [
        f"[{seg.id}] {seg.text}"
        for src in sources
        for seg in src.segments
        if seg.meta.get("resource_type") not in _SKIP
    ]
    gaps = "\n".join(
        f"- {g.get('measure')}: {g.get('explanation', '')} "
        f"(evidence: {', '.join(g.get('evidence', []))})"
        for g in care_gaps
    )
    values = {
        "as_of": as_of.isoformat(),
        "sections": ", ".join(SECTIONS),
        "record": "\n".join(lines),
        "care_gaps": f"\nOpen care gaps (computed from quality measures):\n{gaps}\n"
        if gaps
        else "",
    }
    for key, value in values.items():
        user = user.replace("{" + key + "}", value)
    return (Message("system", system), Message("user", user))
