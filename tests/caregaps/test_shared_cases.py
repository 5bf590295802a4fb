"""Every published eCQM test case in ../shared/datasets/ecqm/tests/measure, reproduced.

A case is one patient with the MeasureReport a reference engine produced; the test asserts
the same population counts. The published content lacks the expansions of a few value sets
(CMS122's "Diabetes" and "HbA1c Laboratory Test"); a case whose measure needs a missing
expansion is an expected failure naming the missing URLs, so it runs for real as soon as
the expansion is added.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from evident.caregaps import Content, Record, evaluate_measures, load_content, measurement_period
from tests.caregaps.conftest import ECQM
from tests.conftest import require_or_skip

MEASURES = ("CMS122", "CMS165", "CMS69", "CMS2")


def _cases() -> list[tuple[str, Path]]:
    root = ECQM / "tests" / "measure"
    if not root.is_dir():
        return []
    found = []
    for cms in MEASURES:
        for folder in sorted(root.glob(f"{cms}FHIR*")):
            found += [(cms, case) for case in sorted(p for p in folder.iterdir() if p.is_dir())]
    return found


CASES = _cases()


@cache
def _content() -> Content:
    return load_content(ECQM)


def _read(case: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    resources, report = [], None
    for path in sorted(case.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        kind = data.get("resourceType")
        if kind == "MeasureReport":
            report = data
        elif kind != "Bundle":
            resources.append(data)
    assert report is not None, f"{case.name} has no MeasureReport"
    return resources, report


def test_shared_cases_present() -> None:
    require_or_skip(bool(CASES), "EVIDENT_REQUIRE_DATASETS", f"no eCQM test cases under {ECQM}")
    assert {cms for cms, _ in CASES} == set(MEASURES)


@pytest.mark.parametrize(("cms", "case"), CASES, ids=[f"{c}-{p.name[:8]}" for c, p in CASES])
def test_case_populations(cms: str, case: Path) -> None:
    resources, report = _read(case)
    period = report["period"]
    mp = measurement_period(
        date.fromisoformat(period["start"][:10]), date.fromisoformat(period["end"][:10])
    )
    expected = {
        p["code"]["coding"][0]["code"]: p["count"] for p in report["group"][0]["population"]
    }
    content = _content()
    result = evaluate_measures(Record(resources), content, [cms], mp)[0]
    missing = sorted(url for url in content.missing if _uses(cms, url))
    if result.populations != expected and missing:
        pytest.xfail(f"measure content lacks expansions: {', '.join(missing)}")
    assert result.populations == expected
    gap = bool(expected["denominator"]) and not expected["numerator"]
    gap = (
        gap
        and not expected["denominator-exclusion"]
        and not expected.get("denominator-exception", 0)
    )
    assert result.gap is gap


def _uses(cms: str, url: str) -> bool:
    cql = next((ECQM / "cql").glob(f"{cms}FHIR*.cql"))
    return url in cql.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_cli_contract_on_a_shared_bundle(fmt: str, capsys) -> None:
    from evident.cli.main import main

    bundles = [
        p
        for cms, case in CASES
        if cms == "CMS165"
        for p in case.glob("*.json")
        if json.loads(p.read_text(encoding="utf-8")).get("resourceType") == "Bundle"
    ]
    require_or_skip(
        bool(bundles), "EVIDENT_REQUIRE_DATASETS", f"no CMS165 test Bundles under {ECQM}"
    )
    argv = ["caregaps", str(bundles[0]), "--content", str(ECQM), "--measures", "CMS165,CMS125"]
    argv += ["--period-start", "2026-01-01", "--period-end", "2026-12-31", "--format", fmt]
    assert main(argv) == 0
    out = capsys.readouterr().out
    if fmt == "text":
        assert "CMS165FHIRControllingHighBloodPressure" in out
        return
    doc = json.loads(out)
    assert doc["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    first = doc["measures"][0]
    assert set(first) == {"measure", "scoring", "populations", "gap", "evidence", "explanation"}
    assert first["measure"] == "CMS165FHIRControllingHighBloodPressure"
    assert first["scoring"] == "proportion"
    assert set(first["evidence"]) == {"numerator", "denominator"}
    assert all(isinstance(v, int) for v in first["populations"].values())


def test_bench_caregaps_table(capsys) -> None:
    from evident.cli.main import main

    require_or_skip(bool(CASES), "EVIDENT_REQUIRE_DATASETS", f"no eCQM test cases under {ECQM}")
    assert main(["bench", "caregaps", str(ECQM)]) == 0
    out = capsys.readouterr().out
    assert "CMS165FHIRControllingHighBloodPressure" in out and "100.0%" in out


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_panel_views(tmp_path: Path, capsys, fmt: str) -> None:
    import shutil

    from evident.cli.main import main

    bundles = [
        p
        for cms, case in CASES
        if cms == "CMS165"
        for p in case.glob("*.json")
        if json.loads(p.read_text(encoding="utf-8")).get("resourceType") == "Bundle"
    ][:3]
    require_or_skip(
        bool(bundles), "EVIDENT_REQUIRE_DATASETS", f"no CMS165 test Bundles under {ECQM}"
    )
    for i, path in enumerate(bundles):
        shutil.copy(path, tmp_path / f"patient{i}.json")
    argv = [
        "caregaps",
        "--panel",
        str(tmp_path),
        "--content",
        str(ECQM),
        "--measures",
        "CMS165,CMS2",
    ]
    argv += ["--period-start", "2026-01-01", "--period-end", "2026-12-31", "--format", fmt]
    assert main(argv) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        doc = json.loads(out)
        assert [p["bundle"] for p in doc["patients"]] == [
            f"patient{i}" for i in range(len(bundles))
        ]
        assert all(len(p["measures"]) == 2 for p in doc["patients"])
    elif fmt == "html":
        assert out.startswith("<!doctype html>") and "<tfoot>" in out and "patient0" in out
    else:
        lines = out.splitlines()
        assert lines[0].startswith("patient") and lines[-1].startswith("gaps")
        assert len(lines) == len(bundles) + 2


def test_html_needs_a_panel(capsys) -> None:
    from evident.cli.main import main

    require_or_skip(bool(CASES), "EVIDENT_REQUIRE_DATASETS", f"no eCQM test cases under {ECQM}")
    bundle = next(CASES[0][1].glob("*.json"))
    argv = ["caregaps", str(bundle), "--content", str(ECQM), "--measures", "CMS165"]
    argv += ["--period-start", "2026-01-01", "--period-end", "2026-12-31", "--format", "html"]
    assert main(argv) == 2
    assert "give --panel DIR" in capsys.readouterr().err
