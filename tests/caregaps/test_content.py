"""Terminology resolved from CQL declarations and expanded ValueSets (a fixture folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evident.caregaps import load_content
from evident.errors import InputError


def test_valueset_and_code_by_cql_name(tiny_content: Path) -> None:
    terms = load_content(tiny_content).library("Tiny")
    assert terms.vs("Visit") == {("http://example.org/codes", "V-1")}
    assert terms.code("Panel") == ("http://loinc.org", "P-1")
    assert terms.codes("Local") == {("http://example.org/codes", "L-1")}


def test_missing_expansion_is_empty_and_recorded(tiny_content: Path) -> None:
    content = load_content(tiny_content)
    assert content.library("Tiny").vs("Missing") == frozenset()
    assert content.missing == {"http://example.org/ValueSet/missing"}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.library("Tiny").vs("Nope"), "declares no value set"),
        (lambda c: c.library("Tiny").code("Nope"), "declares no code"),
        (lambda c: c.library("Absent"), "no CQL library Absent"),
        (lambda c: c.find_measure("CMS99"), "no single measure"),
    ],
)
def test_content_errors(tiny_content: Path, call, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call(load_content(tiny_content))


@pytest.mark.parametrize(
    ("prefix", "found"), [("CMS9", "CMS9TinyMeasure"), ("cms9", "CMS9TinyMeasure")]
)
def test_find_measure_by_cms_number(tiny_content: Path, prefix: str, found: str) -> None:
    content = load_content(tiny_content)
    assert content.find_measure(prefix) == found
    assert content.measure(found).populations == ("initial-population", "denominator", "numerator")


def test_missing_folder_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="lacks"):
        load_content(tmp_path)


def test_a_local_folder_supplements_the_published_expansions(tiny_content: Path) -> None:
    import json

    local = tiny_content / "vocabulary" / "valueset" / "local"
    local.mkdir()
    expansion = {"contains": [{"system": "http://example.org/codes", "code": "M-1"}]}
    vs = {
        "resourceType": "ValueSet",
        "url": "http://example.org/ValueSet/missing",
        "expansion": expansion,
    }
    (local / "valueset-missing.json").write_text(json.dumps(vs))
    content = load_content(tiny_content)
    assert content.library("Tiny").vs("Missing") == {("http://example.org/codes", "M-1")}
    assert content.missing == set()
