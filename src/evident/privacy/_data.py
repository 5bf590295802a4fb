"""Load and validate the privacy stage's data files (patterns, lexicons, surrogate pools)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from evident.errors import ConfigError
from evident.privacy.spans import PHI_TYPES

__all__ = [
    "FastRegex",
    "Lexicon",
    "Recognizer",
    "load_dates",
    "load_lexicon",
    "load_patterns",
    "load_pools",
    "lower",
]

_PACKAGE = "evident.privacy"


@dataclass(frozen=True)
class FastRegex:
    """A regex compiled for speed.

    CPython's ``re`` skips quickly to candidate positions only when a pattern starts with
    literals or a character class; a leading ``\\b`` or ``(?i)`` disables that (about 3x
    slower). So a leading ``\\b`` is checked in Python instead, and case-insensitive
    patterns run case-sensitively on a lower-cased copy of the text (same offsets).
    """

    regex: re.Pattern[str]
    fallback: re.Pattern[str]
    left_bound: bool
    on_lower: bool

    @classmethod
    def build(
        cls, pattern: str, ignore_case: bool = False, flags: int = 0, keep_bound: bool = False
    ) -> FastRegex:
        """Compile ``pattern`` (raises re.error when it does not compile).

        ``keep_bound`` keeps a leading ``\\b`` in the regex: better for long alternations
        of short words, which would otherwise match inside words all the time.
        """
        left = pattern.startswith("\\b") and not keep_bound
        body = pattern[2:] if left else pattern
        fallback = re.compile(pattern, flags | (re.IGNORECASE if ignore_case else 0))
        return cls(re.compile(body, flags), fallback, left, ignore_case)

    @property
    def groups(self) -> int:
        """Number of capture groups."""
        return self.regex.groups

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        """Matches in ``text``; ``low`` is ``text.lower()`` when the caller has it."""
        if self.on_lower:
            low = lower(text) if low is None else low
            if len(low) != len(text):  # a few Unicode letters change length when lowered
                yield from self.fallback.finditer(text)
                return
            subject = low
        else:
            subject = text
        for m in self.regex.finditer(subject):
            i = m.start()
            if self.left_bound and i > 0 and _is_word(subject[i - 1]) == _is_word(subject[i]):
                continue
            yield m


def lower(text: str) -> str:
    """``text.lower()`` with the same length (offsets stay valid): a character whose lower
    case is longer ("İ" → "i̇") is kept as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_WORDS = re.compile(r"[a-z]+")
_LAST_WORDS: list[tuple[str, frozenset[str]]] = []


def word_set(low: str) -> frozenset[str]:
    """The distinct ASCII words of a lower-cased text (the last result is reused: the name
    and place recognizers ask for the same text one after the other)."""
    if _LAST_WORDS and _LAST_WORDS[0][0] is low:
        return _LAST_WORDS[0][1]
    words = frozenset(_WORDS.findall(low))
    _LAST_WORDS[:] = [(low, words)]
    return words


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class Recognizer:
    """A compiled regular-expression recognizer from ``patterns.yaml``."""

    name: str
    type: str
    score: float
    regex: FastRegex
    group: int = 0
    optional: bool = False
    prefilter: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Lexicon:
    """Name and place lexicons from ``lexicon.json`` (all entries lower case)."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    eponyms: frozenset[str]
    eponym_followers: frozenset[str]
    titles: frozenset[str]
    credentials: frozenset[str]
    cities: frozenset[str]
    city_ambiguous: frozenset[str]
    not_names: frozenset[str]
    states: dict[str, str]

    def is_name(self, word: str) -> bool:
        """True when the lower-cased word is a known first name or surname."""
        return word in self.first_names or word in self.surnames


def _read(name: str) -> str:
    return resources.files(_PACKAGE).joinpath("resources", name).read_text(encoding="utf-8")


def _fail(name: str, why: str) -> ConfigError:
    return ConfigError(f"privacy resource '{name}' is invalid: {why}")


def _compile(name: str, pattern: Any, flags: int = 0) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise _fail(name, "a pattern is missing or not a string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise _fail(name, f"pattern does not compile ({exc})") from None


@cache
def load_patterns() -> tuple[tuple[Recognizer, ...], dict[str, tuple[str, ...]]]:
    """Load ``patterns.yaml``: the regex recognizers and the labelled-identifier labels.

    Raises:
        ConfigError: The file is malformed (unknown type, bad score, bad regex).
    """
    data = yaml.safe_load(_read("patterns.yaml"))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise _fail("patterns.yaml", "expected a mapping with version: 1")
    recognizers = []
    for i, item in enumerate(data.get("recognizers") or []):
        if not isinstance(item, dict) or item.get("type") not in PHI_TYPES:
            raise _fail("patterns.yaml", f"recognizer {i} has no valid PHI type")
        score = item.get("score")
        if not isinstance(score, int | float) or not 0.0 <= float(score) <= 1.0:
            raise _fail("patterns.yaml", f"recognizer {i} needs a score in [0, 1]")
        _compile("patterns.yaml", item.get("pattern"))
        regex = FastRegex.build(item["pattern"], bool(item.get("ignore_case")))
        pre = item.get("prefilter")
        prefilter = _compile("patterns.yaml", pre) if pre is not None else None
        group = int(item.get("group", 0))
        if group > regex.groups:
            raise _fail("patterns.yaml", f"recognizer {i} names a missing group")
        recognizers.append(
            Recognizer(
                str(item.get("name", i)),
                item["type"],
                float(score),
                regex,
                group,
                bool(item.get("optional")),
                prefilter,
            )
        )
    labelled = data.get("labelled_ids") or {}
    if not isinstance(labelled, dict) or any(k not in PHI_TYPES for k in labelled):
        raise _fail("patterns.yaml", "labelled_ids must map PHI types to label lists")
    labels = {k: tuple(str(x) for x in v) for k, v in labelled.items()}
    for values in labels.values():
        for label in values:
            _compile("patterns.yaml", label)
    return tuple(recognizers), labels


@cache
def load_dates() -> dict[str, tuple[str, ...]]:
    """Load ``dates.yaml``: the vocabulary the date recognizer is built from.

    Raises:
        ConfigError: A list is missing or holds a bad pattern.
    """
    data = yaml.safe_load(_read("dates.yaml"))
    keys = (
        "months",
        "months_alone",
        "weekdays",
        "ordinal_words",
        "numeric_cues",
        "numeric_blockers",
        "numeric_pre_blockers",
        "ordinal_cues",
        "month_cues",
    )
    if not isinstance(data, dict) or data.get("version") != 1:
        raise _fail("dates.yaml", "expected a mapping with version: 1")
    out: dict[str, tuple[str, ...]] = {}
    for key in keys:
        values = data.get(key)
        if not isinstance(values, list) or not values:
            raise _fail("dates.yaml", f"'{key}' must be a non-empty list")
        for value in values:
            _compile("dates.yaml", value)
        out[key] = tuple(str(v) for v in values)
    if len(out["months"]) != 12:
        raise _fail("dates.yaml", "'months' must list the twelve months in order")
    return out


@cache
def load_lexicon() -> Lexicon:
    """Load ``lexicon.json`` (names, eponyms, titles, cities, states).

    Raises:
        ConfigError: A list is missing or holds non-strings.
    """
    data = json.loads(_read("lexicon.json"))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise _fail("lexicon.json", "expected an object with version 1")

    def words(key: str) -> frozenset[str]:
        values = data.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise _fail("lexicon.json", f"'{key}' must be a list of strings")
        return frozenset(v.lower() for v in values)

    states = data.get("states")
    if not isinstance(states, dict):
        raise _fail("lexicon.json", "'states' must map abbreviations to names")
    return Lexicon(
        first_names=words("first_names"),
        surnames=words("surnames"),
        ambiguous=words("ambiguous"),
        eponyms=words("eponyms"),
        eponym_followers=words("eponym_followers"),
        titles=words("titles"),
        credentials=words("credentials"),
        cities=words("cities"),
        city_ambiguous=words("city_ambiguous"),
        not_names=words("not_names"),
        states={str(k).upper(): str(v).lower() for k, v in states.items()},
    )


@cache
def load_pools() -> dict[str, tuple[str, ...]]:
    """Load ``surrogates.json``: the pools surrogate values are drawn from.

    Raises:
        ConfigError: A pool is missing or empty.
    """
    data = json.loads(_read("surrogates.json"))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise _fail("surrogates.json", "expected an object with version 1")
    pools: dict[str, tuple[str, ...]] = {}
    keys = (
        "first_names",
        "female_first_names",
        "male_first_names",
        "unisex_first_names",
        "surnames",
        "streets",
        "cities",
        "counties",
        "hospitals",
        "domains",
    )
    for key in keys:
        values = data.get(key)
        if not isinstance(values, list) or len(values) < 10:
            raise _fail("surrogates.json", f"pool '{key}' needs at least 10 entries")
        pools[key] = tuple(str(v) for v in values)
    return pools
