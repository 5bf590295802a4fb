"""Fixtures of the triage tests: the invented message cases and a fake model backend."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.support.fake_backend import FakeBackend  # noqa: F401  (re-exported)

CASES = Path(__file__).parent / "cases"


def load_cases(split: str) -> list[dict[str, str]]:
    """The cases of ``dev`` or ``heldout``."""
    data = yaml.safe_load((CASES / f"{split}.yaml").read_text(encoding="utf-8"))
    return list(data["cases"])
