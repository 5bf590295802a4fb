"""The engine's rule files validate when loaded, and broken rules are refused."""

from __future__ import annotations

import copy

import pytest
import yaml
from pydantic import ValidationError

from evident.tasks.scribe.rules import (
    PATTERN_NAMES,
    FirstNames,
    RewriteRules,
    SectionRules,
    _load,
    first_names,
    rewrite_rules,
    section_rules,
)


def test_bundled_rules_load() -> None:
    sections = section_rules()
    assert {"soap", "apso", "aci"} <= set(sections.presets)
    assert set(PATTERN_NAMES) <= set(sections.patterns)
    assert all(isinstance(w, str) for w in sections.stopwords)
    rules = rewrite_rules()
    assert rules.units["milligrams"] == "mg"
    assert set(rules.persons) >= {"female", "male", "unknown"}


def _sections() -> dict:
    return copy.deepcopy(_load("sections.yaml"))


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d["presets"]["soap"].update({"Extra": ["nonsense"]}), "unknown categories"),
        (lambda d: d["patterns"].pop("chief_complaint"), "patterns lacks"),
        (lambda d: d["patterns"].update({"yes_answer": "(unclosed"}), "missing"),
        (lambda d: d.update({"surprise": 1}), "Extra inputs"),
        (lambda d: d["stopwords"].append(True), "valid string"),
    ],
)
def test_broken_section_rules_are_refused(mutate, fragment: str) -> None:
    data = _sections()
    mutate(data)
    with pytest.raises((ValidationError, Exception)) as err:
        SectionRules.model_validate(data)
    assert fragment in str(err.value)


def test_broken_rewrite_rules_are_refused() -> None:
    data = copy.deepcopy(_load("rewrite.yaml"))
    del data["persons"]["unknown"]
    with pytest.raises(ValidationError, match="persons lacks"):
        RewriteRules.model_validate(data)


def test_yaml_booleans_are_caught() -> None:
    data = _sections()
    data["stopwords"] = yaml.safe_load("[a, no, yes]")
    with pytest.raises(ValidationError):
        SectionRules.model_validate(data)


def test_bundled_first_names_load() -> None:
    names = first_names()
    assert len(names.female) > 100
    assert len(names.male) > 100
    assert not set(names.female) & set(names.male)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"version": 1, "female": ["ann"], "male": ["ann"]}, "names in both lists: ['ann']"),
        ({"version": 1, "female": ["Ann"], "male": ["bo"]}, "lowercase letters: ['Ann']"),
        ({"version": 1, "female": ["mary-jo"], "male": ["bo"]}, "lowercase letters"),
        ({"version": 1, "female": [], "male": ["bo"]}, "at least 1 item"),
        ({"version": 1, "female": ["ann"], "male": ["bo"], "unisex": []}, "Extra inputs"),
    ],
)
def test_broken_first_names_are_refused(data: dict, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        FirstNames.model_validate(data)
