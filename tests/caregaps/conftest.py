"""Where the shared measure content is, and a tiny content folder written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# ../shared/datasets next to the project root (CI checks the clone out beside ../shared).
ECQM = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "ecqm"

_CQL = """library Tiny version '1'
codesystem "LOINC": 'http://loinc.org'
codesystem "EX": 'http://example.org/codes'
valueset "Visit": 'http://example.org/ValueSet/visit'
valueset "Missing": 'http://example.org/ValueSet/missing'
code "Panel": 'P-1' from "LOINC" display 'Panel'
code "Local": 'L-1' from "EX"
"""


@pytest.fixture
def tiny_content(tmp_path: Path) -> Path:
    """A content folder with one library, one value set and one measure."""
    (tmp_path / "cql").mkdir()
    (tmp_path / "cql" / "Tiny.cql").write_text(_CQL, encoding="utf-8")
    vs = tmp_path / "vocabulary" / "valueset" / "external"
    vs.mkdir(parents=True)
    expansion = {"contains": [{"system": "http://example.org/codes", "code": "V-1"}]}
    valueset = {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/visit"}
    (vs / "valueset-visit.json").write_text(json.dumps({**valueset, "expansion": expansion}))
    measures = tmp_path / "resources" / "measure"
    measures.mkdir(parents=True)
    population = [
        {
            "code": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/measure-population",
                        "code": c,
                    }
                ]
            }
        }
        for c in ("initial-population", "denominator", "numerator")
    ]
    measure = {
        "resourceType": "Measure",
        "name": "CMS9TinyMeasure",
        "group": [{"population": population}],
    }
    (measures / "CMS9TinyMeasure.json").write_text(json.dumps(measure))
    return tmp_path
