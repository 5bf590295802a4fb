"""A small made-up admissions table with a known structure, built from a seed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import require_or_skip

SPEC = {
    "columns": {
        "patient_id": {"type": "identifier"},
        "age_band": {"type": "categorical", "categories": ["18-39", "40-64", "65+"]},
        "sex": {"type": "categorical", "categories": ["F", "M"]},
        "stay_days": {"type": "integer", "lower": 1, "upper": 15, "bins": 7},
        "glucose": {"type": "continuous", "lower": 50, "upper": 350, "bins": 6, "nullable": True},
        "readmitted": {"type": "categorical", "categories": ["no", "yes"]},
    }
}


def admissions(n: int = 400, seed: int = 3) -> Any:
    """Older patients stay longer and come back more often; glucose is sometimes missing."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    age = rng.choice(["18-39", "40-64", "65+"], size=n, p=[0.3, 0.4, 0.3])
    old = age == "65+"
    stay = np.clip(rng.poisson(np.where(old, 7, 3)) + 1, 1, 15)
    readmit = np.where(rng.random(n) < np.where(old, 0.5, 0.1), "yes", "no")
    glucose = rng.normal(np.where(old, 180, 120), 30).round(1)
    frame = pd.DataFrame(
        {
            "patient_id": [f"P{i:05d}" for i in range(n)],
            "age_band": age,
            "sex": rng.choice(["F", "M"], size=n),
            "stay_days": stay.astype(str),
            "glucose": [("" if rng.random() < 0.05 else str(g)) for g in glucose],
            "readmitted": readmit,
        }
    )
    return frame


@pytest.fixture
def table() -> Any:
    return admissions()


def _installed() -> bool:
    try:
        import pandas  # noqa: F401
        import sdmetrics  # noqa: F401
        import snsynth  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(autouse=True)
def _needs_synth_extra() -> None:
    require_or_skip(_installed(), "EVIDENT_REQUIRE_SYNTH", "the 'synth' extra is not installed")
