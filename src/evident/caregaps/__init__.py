"""Care gaps from published quality measures (eCQMs), one Python module per measure.

``evaluate_measures(record, content, ["CMS122"], period)`` returns each measure's
populations, whether the patient has a gap, and the resources that decided it.
"""

from __future__ import annotations

from evident.caregaps.content import Content, load_content
from evident.caregaps.engine import (
    MeasureResult,
    evaluate_measures,
    measurement_period,
    results_json,
)
from evident.caregaps.record import Record

__all__ = [
    "Content",
    "MeasureResult",
    "Record",
    "evaluate_measures",
    "load_content",
    "measurement_period",
    "results_json",
]
