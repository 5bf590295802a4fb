"""The chart on the shared Synthea bundles (../shared/datasets/synthea-r4), read directly.

Each Bundle must parse; the summary must cite only resources of the record and name at
least 95% of the record's active conditions, current medications, allergies and
record-flagged abnormal results of the last year, counted from the Bundle JSON itself
(:mod:`evident.tasks.chart.coverage`). Only shares are asserted: a held-out miss is never
printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.sources import read_source
from evident.tasks.chart import chart_record, write_chart
from evident.tasks.chart.coverage import summary_coverage
from tests.conftest import require_or_skip

SYNTHEA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "synthea-r4"
FILES = sorted(SYNTHEA.glob("*.json")) if SYNTHEA.is_dir() else []


def test_synthea_present() -> None:
    require_or_skip(bool(FILES), "EVIDENT_REQUIRE_DATASETS", f"no Synthea bundles under {SYNTHEA}")


@pytest.fixture(scope="module")
def totals() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for path in FILES:
        source = read_source(path, kind="fhir")  # raises on a parse failure: 100% must parse
        record = chart_record([source])
        statements = [st for sec in write_chart(record) for st in sec.statements]
        assert all(c in record.by_ref for st in statements for c in st.citations)
        text = "\n".join(st.text for st in statements)
        coverage = summary_coverage(
            json.loads(path.read_text(encoding="utf-8")), text, record.as_of
        )
        for kind, names in coverage.expected.items():
            expected, missed = out.setdefault(kind, [0, 0])
            out[kind] = [expected + len(names), missed + len(coverage.missed[kind])]
    return out


@pytest.mark.parametrize("kind", ["condition", "medication", "allergy", "abnormal"])
def test_summary_names_the_record(totals: dict[str, list[int]], kind: str) -> None:
    require_or_skip(bool(FILES), "EVIDENT_REQUIRE_DATASETS", f"no Synthea bundles under {SYNTHEA}")
    expected, missed = totals[kind]
    if expected:
        assert (expected - missed) / expected >= 0.95, f"{kind}: {missed} of {expected} not named"
