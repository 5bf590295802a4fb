"""Shared test fixtures and the rule that required services must not be skipped in CI."""

from __future__ import annotations

import os

import pytest


def require_or_skip(condition: bool, env: str, why: str) -> None:
    """Skip when ``condition`` is false, unless ``$env`` is set (CI), then fail."""
    if condition:
        return
    if os.environ.get(env):
        pytest.fail(f"{why} (required because {env} is set)")
    pytest.skip(why)
