"""The verify stage's small word sets are data (``resources/words.json``), validated."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from evident.errors import ConfigError
from evident.verify import _words
from evident.verify._words import _WordFile, mapping, phrases, sequences, words


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"sets": {"a": []}, "maps": {}}, "empty"),
        ({"sets": {"a": ["x", "x"]}, "maps": {}}, "repeats"),
        ({"sets": {"a": ["Upper"]}, "maps": {}}, "malformed"),
        ({"sets": {"a": [" padded"]}, "maps": {}}, "malformed"),
        ({"sets": {"a": ["two  spaces"]}, "maps": {}}, "malformed"),
        ({"sets": {}, "maps": {"m": {}}}, "empty or malformed"),
        ({"sets": {}, "maps": {"m": {"Key": "v"}}}, "empty or malformed"),
        ({"sets": {}, "maps": {}, "extra": 1}, "extra"),
    ],
)
def test_malformed_word_files_are_refused(data: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        _WordFile.model_validate(data)


@pytest.mark.parametrize("loader", [words, phrases, sequences, mapping])
def test_an_unknown_name_is_a_config_error(loader) -> None:
    with pytest.raises(ConfigError, match="no word"):
        loader("no_such_set")


@pytest.mark.parametrize(
    ("loader", "name", "expected"),
    [
        (phrases, "age_said_two", ("i", "am")),
        (sequences, "in_oh", ["in", "oh"]),
        (words, "habits", "tobacco use"),
    ],
)
def test_loaders_shape_the_entries(loader, name: str, expected: object) -> None:
    assert expected in loader(name)


def test_a_map_is_a_copy() -> None:
    m = mapping("laterality")
    assert m["both"] == "bilateral"
    m["both"] = "left"
    assert mapping("laterality")["both"] == "bilateral"


def test_every_set_and_map_is_read_by_the_code() -> None:
    """No dead data: each name in the file is loaded somewhere in ``evident.verify``."""
    root = Path(str(resources.files("evident.verify")))
    code = "\n".join(p.read_text(encoding="utf-8") for p in root.glob("*.py"))
    data = json.loads((root / "resources" / "words.json").read_text(encoding="utf-8"))
    names = list(data["sets"]) + list(data["maps"])
    unused = [n for n in names if f'("{n}")' not in code]
    assert unused == []
    assert _words._load().sets  # the shipped file validates
