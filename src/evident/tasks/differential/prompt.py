"""The differential prompt: a versioned resource file rendered into chat messages."""

from __future__ import annotations

import json
from functools import cache

from evident.errors import ConfigError
from evident.models.base import Message
from evident.tasks.differential.lexicon import read_resource
from evident.tasks.differential.schema import DifferentialOutput

__all__ = ["PROMPT_FILE", "PROMPT_VERSION", "build_messages"]

PROMPT_VERSION = "differential/1.0"
PROMPT_FILE = "prompt_v1.txt"
_SYSTEM, _USER = "=== system ===", "=== user ==="


@cache
def _template() -> tuple[str, str]:
    text = read_resource("evident.tasks.differential", PROMPT_FILE)
    if _SYSTEM not in text or _USER not in text:
        raise ConfigError(f"differential prompt '{PROMPT_FILE}' lacks its system or user part")
    system, user = text.split(_USER, 1)
    return system.replace(_SYSTEM, "").strip(), user.strip()


def build_messages(case: str, top: int) -> tuple[Message, ...]:
    """Render the versioned prompt for one case.

    Args:
        case: The case text the quotes must come from.
        top: How many diagnoses to ask for.
    """
    system, user = _template()
    schema = json.dumps(DifferentialOutput.model_json_schema(), separators=(",", ":"))
    return (
        Message("system", system.format(top=top, schema=schema)),
        Message("user", user.format(case=case)),
    )
