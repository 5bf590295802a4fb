"""One module per measure, each written from the measure's CQL; looked up by CMS number."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

__all__ = ["MEASURES", "Outcome", "measure_module"]

# CMS number -> module name; each module defines LIBRARY and evaluate(ctx) -> Outcome.
MEASURES = {
    "CMS122": "cms122",
    "CMS165": "cms165",
    "CMS69": "cms69",
    "CMS2": "cms2",
    "CMS125": "cms125",
    "CMS130": "cms130",
    "CMS124": "cms124",
    "CMS349": "cms349",
}


@dataclass
class Outcome:
    """The populations one patient falls in, with the resources that put them there.

    Attributes:
        populations: Population code -> membership (``numerator``, ``denominator``, ...).
        evidence: Population code -> ``ResourceType/id`` references.
        explanation: One sentence on the decisive criterion.
    """

    populations: dict[str, bool] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    explanation: str = ""


def measure_module(cms: str) -> ModuleType | None:
    """The module implementing measure ``cms`` (``CMS122``), or ``None``."""
    name = MEASURES.get(cms.upper())
    return importlib.import_module(f"evident.caregaps.measures.{name}") if name else None
