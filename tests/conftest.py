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


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep every test away from the user's ~/.evident and model settings."""
    home = tmp_path_factory.mktemp("evident-home")
    monkeypatch.setenv("EVIDENT_HOME", str(home))
    for var in ("EVIDENT_MODEL", "EVIDENT_DB_URL", "EVIDENT_PRIVACY_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    yield home
