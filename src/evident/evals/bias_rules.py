"""Counterfactual rewriting rules for bias probes (``resources/bias/attributes.yaml``).

Each attribute rewrites a vignette so that only that demographic attribute changes:

- ``sex`` mirrors gendered words and pronouns (``man`` <-> ``woman``, ``his`` -> ``her``);
- ``race`` inserts a race/ethnicity word before the patient noun;
- ``age`` changes the stated adult age to each band's age;
- ``insurance`` adds one sentence about insurance after the first sentence.

:func:`probe_status` applies the documented exclusion rule first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from evident.errors import ConfigError

__all__ = ["ATTRIBUTES", "Attribute", "ProbeStatus", "attribute", "probe_status", "rewrite"]

ATTRIBUTES = ("sex", "race", "age", "insurance")


class Attribute(BaseModel):
    """One attribute's rules, as validated from the YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["swap", "insert", "age", "sentence"]
    description: str
    values: tuple[str, ...]
    exclude_keywords: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    object_followers: tuple[str, ...] = ()
    anchor_nouns: tuple[str, ...] = ()
    existing_terms: tuple[str, ...] = ()
    ages: dict[str, int] = {}
    min_age: int = 0
    max_age: int = 150
    sentences: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Attribute:
        if len(self.values) < 2:
            raise ValueError("an attribute needs at least two values")
        if self.kind == "swap" and len(self.values) != 2:
            raise ValueError("a swap attribute has exactly two values")
        if self.kind == "age" and set(self.ages) != set(self.values):
            raise ValueError("ages must give one age per value")
        if self.kind == "sentence" and set(self.sentences) != set(self.values):
            raise ValueError("sentences must give one sentence per value")
        if self.kind == "insert" and not self.anchor_nouns:
            raise ValueError("an insert attribute needs anchor_nouns")
        return self


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    sex: Attribute
    race: Attribute
    age: Attribute
    insurance: Attribute


@cache
def _rules() -> _File:
    path = resources.files("evident.evals").joinpath("resources/bias/attributes.yaml")
    try:
        return _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ConfigError(f"invalid bias/attributes.yaml: {exc}") from None


def attribute(name: str) -> Attribute:
    """The rules of one attribute.

    Raises:
        ConfigError: Unknown attribute.
    """
    if name not in ATTRIBUTES:
        raise ConfigError(f"unknown bias attribute '{name}' (known: {', '.join(ATTRIBUTES)})")
    rule: Attribute = getattr(_rules(), name)
    return rule


@cache
def _keyword_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


def _words(pairs: tuple[tuple[str, str], ...], side: int) -> tuple[str, ...]:
    return tuple(p[side] for p in pairs)


_MALE_PRONOUNS = ("he", "him", "his", "himself")
_FEMALE_PRONOUNS = ("she", "her", "hers", "herself")
_AGE = re.compile(r"\b(\d{1,3})(-year-old|-year old| years old| year old|-yr-old)\b")


def detect_sex(text: str) -> str | None:
    """The patient's sex as the vignette states it: that of its first gendered word.

    Returns:
        ``male``, ``female``, or None when the text has no gendered word.
    """
    rule = attribute("sex")
    male = _keyword_re(_words(rule.pairs, 0) + _MALE_PRONOUNS)
    female = _keyword_re(_words(rule.pairs, 1) + _FEMALE_PRONOUNS)
    m_hit = male.search(text) if male else None
    f_hit = female.search(text) if female else None
    if m_hit and (not f_hit or m_hit.start() < f_hit.start()):
        return "male"
    return "female" if f_hit else None


@dataclass(frozen=True)
class ProbeStatus:
    """Whether a vignette can be probed for an attribute, and why not.

    Attributes:
        ok: True when the variants can be written.
        reason: ``excluded: <keyword>``, ``not applicable: <why>``, or empty.
    """

    ok: bool
    reason: str = ""


def probe_status(name: str, question: str, options: tuple[str, ...] = ()) -> ProbeStatus:
    """Apply the exclusion rule, then check that the rewrite applies."""
    rule = attribute(name)
    pattern = _keyword_re(rule.exclude_keywords)
    text = "\n".join((question, *options))
    hit = pattern.search(text) if pattern else None
    if hit:
        return ProbeStatus(False, f"excluded: {hit.group(0).lower()}")
    if rule.kind == "swap":
        if detect_sex(question) is None:
            return ProbeStatus(False, "not applicable: no gendered words")
    elif rule.kind == "insert":
        existing = _keyword_re(rule.existing_terms)
        if existing and existing.search(text):
            return ProbeStatus(False, "not applicable: race or ethnicity already stated")
        if not _anchor(rule).search(question):
            return ProbeStatus(False, "not applicable: no '<age>-year-old <person>' phrase")
    elif rule.kind == "age":
        age = _first_age(question)
        if age is None or not rule.min_age <= age <= rule.max_age:
            return ProbeStatus(False, "not applicable: no adult age stated")
    return ProbeStatus(True)


def _anchor(rule: Attribute) -> re.Pattern[str]:
    nouns = "|".join(re.escape(n) for n in rule.anchor_nouns)
    return re.compile(r"(\b\d{1,3}[- ]year[- ]old )(?=(?:" + nouns + r")\b)", re.IGNORECASE)


def _first_age(text: str) -> int | None:
    match = _AGE.search(text)
    return int(match.group(1)) if match else None


def _case_like(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_TOKEN = re.compile(r"[A-Za-z]+|[^A-Za-z]+")


def _mirror_sex(text: str, rule: Attribute) -> str:
    """Swap every gendered word both ways (relatives too: "his wife" -> "her husband").

    ``her`` becomes ``him`` when an object (followed by punctuation or one of
    ``object_followers``), else ``his``.
    """
    mapping = {m: f for m, f in rule.pairs} | {f: m for m, f in rule.pairs}
    mapping |= {"he": "she", "she": "he", "him": "her", "his": "her"}
    mapping |= {"himself": "herself", "herself": "himself", "hers": "his"}
    followers = set(rule.object_followers)
    tokens = _TOKEN.findall(text)
    out = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if low == "her":
            gap = tokens[i + 1] if i + 1 < len(tokens) else ""
            nxt = tokens[i + 2].lower() if i + 2 < len(tokens) else ""
            objective = not nxt or nxt in followers or any(c in gap for c in ".,;:!?)")
            out.append(_case_like("him" if objective else "his", token))
        elif low in mapping:
            out.append(_case_like(mapping[low], token))
        else:
            out.append(token)
    return "".join(out)


def rewrite(name: str, question: str, value: str) -> str:
    """The vignette with attribute ``name`` set to ``value`` (call after probe_status).

    Raises:
        ConfigError: Unknown attribute or value.
    """
    rule = attribute(name)
    if value not in rule.values:
        raise ConfigError(f"unknown value '{value}' for '{name}' (known: {', '.join(rule.values)})")
    if rule.kind == "swap":
        return question if detect_sex(question) == value else _mirror_sex(question, rule)
    if rule.kind == "insert":
        return _anchor(rule).sub(lambda m: f"{m.group(1)}{value} ", question, count=1)
    if rule.kind == "age":
        old = _first_age(question)
        new = rule.ages[value]
        suffix = r"(?=(?:-year-old|-year old| years old| year old|-yr-old)\b)"
        return re.sub(rf"\b{old}{suffix}", str(new), question)
    sex = detect_sex(question)
    subject = {"male": "He", "female": "She"}.get(sex or "", "The patient")
    sentence = rule.sentences[value].replace("{Subject}", subject)
    parts = re.split(r"(?<=[.!?])\s+", question, maxsplit=1)
    if len(parts) == 1:
        return f"{sentence} {question}"
    return f"{parts[0]} {sentence} {parts[1]}"
