"""The small word sets the verify extractors read (``verify/resources/words.json``).

Each set is data, not code: a name and its words (a phrase is its words joined by single
spaces), validated when the file is first read (lower case, no surrounding space, no
duplicates), so a malformed entry fails loudly with the file's name. Maps pair a word
with its canonical value ("both" -> "bilateral").
"""

from __future__ import annotations

from functools import cache

from pydantic import field_validator

from evident.errors import ConfigError
from evident.verify._resources import _read, _Strict

__all__ = ["mapping", "phrases", "sequences", "words"]

_FILE = "words.json"


class _WordFile(_Strict):
    sets: dict[str, tuple[str, ...]]
    maps: dict[str, dict[str, str]]

    @field_validator("sets")
    @classmethod
    def _clean_sets(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for name, entries in v.items():
            if not entries:
                raise ValueError(f"word set '{name}' is empty")
            if len(set(entries)) != len(entries):
                raise ValueError(f"word set '{name}' repeats an entry")
            for e in entries:
                if not e or e != " ".join(e.split()) or e != e.lower():
                    raise ValueError(f"word set '{name}' has a malformed entry")
        return v

    @field_validator("maps")
    @classmethod
    def _clean_maps(cls, v: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for name, pairs in v.items():
            if not pairs or any(not k or k != k.lower() or not val for k, val in pairs.items()):
                raise ValueError(f"word map '{name}' is empty or malformed")
        return v


@cache
def _load() -> _WordFile:
    words_file: _WordFile = _read(_FILE, _WordFile)  # type: ignore[assignment]
    return words_file


def _entries(name: str) -> tuple[str, ...]:
    found = _load().sets.get(name)
    if found is None:
        raise ConfigError(f"verify resource '{_FILE}' has no word set '{name}'")
    return found


def words(name: str) -> frozenset[str]:
    """The set ``name`` as single entries ("tobacco use" stays one entry).

    Raises:
        ConfigError: The file is invalid or has no such set.
    """
    return frozenset(_entries(name))


def phrases(name: str) -> frozenset[tuple[str, ...]]:
    """The set ``name`` as token tuples ("i am" -> ``("i", "am")``)."""
    return frozenset(tuple(e.split()) for e in _entries(name))


def sequences(name: str) -> tuple[list[str], ...]:
    """The set ``name`` as token lists, in file order (compared with token slices)."""
    return tuple(e.split() for e in _entries(name))


def mapping(name: str) -> dict[str, str]:
    """The map ``name`` (a copy).

    Raises:
        ConfigError: The file is invalid or has no such map.
    """
    found = _load().maps.get(name)
    if found is None:
        raise ConfigError(f"verify resource '{_FILE}' has no word map '{name}'")
    return dict(found)
