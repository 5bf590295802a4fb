"""PubMedQA as a written source for the verify benchmarks: the abstract's sections are
the source, its conclusion the draft. The items here are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.errors import InputError
from evident.verify.bench import load_encounters, parse

ITEMS = {
    "101": {
        "QUESTION": "Does drug A lower blood pressure?",
        "CONTEXTS": [
            "Forty adults with hypertension took drug A for twelve weeks.",
            "Systolic pressure fell by 12 mmHg; no patient reported dizziness.",
        ],
        "LONG_ANSWER": "Drug A lowered systolic pressure without dizziness.",
    },
    "102": {
        "CONTEXTS": ["Twenty children with asthma used an inhaler."],
        "LONG_ANSWER": "The inhaler was well tolerated.",
    },
}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "pq.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_items_are_written_sources_with_their_conclusion_as_draft(tmp_path: Path) -> None:
    encounters = load_encounters(_write(tmp_path, ITEMS))
    assert [e.id for e in encounters] == ["101", "102"]
    src, draft = parse(encounters[0])
    assert src.kind == "note"
    assert "Systolic pressure fell" in src.text
    assert [st.text for st in draft.statements] == [
        "Drug A lowered systolic pressure without dizziness."
    ]
    assert len(load_encounters(_write(tmp_path, ITEMS), limit=1)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "not a PubMedQA object"),
        ({"7": "text"}, "item 7 is not an object"),
        ({"7": {"CONTEXTS": ["a"]}}, "lacks CONTEXTS and LONG_ANSWER"),
    ],
)
def test_malformed_files_are_refused_in_one_line(tmp_path: Path, data: object, message: str):
    with pytest.raises(InputError, match=message):
        load_encounters(_write(tmp_path, data))


def test_unreadable_json_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "pq.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        load_encounters(path)
