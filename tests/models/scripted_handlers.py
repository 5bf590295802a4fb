"""Handlers the scripted server imports in its own process (see test_openai_server)."""

from __future__ import annotations

from typing import Any


def count_words(body: dict[str, Any]) -> dict[str, Any] | None:
    """Answer with the number of words of the last user message; None for 'pass'."""
    last = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
    if last == "pass":
        return None
    return {"json": {"words": len(last.split())}}
