"""Rules of the sources stage as data: speaker roles, note headings, abbreviations.

The JSON files live in ``evident/sources/resources/`` and are validated when loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError

__all__ = ["Lexicon", "heading_type", "lexicon", "norm_label", "role_of"]

_PUNCT = re.compile(r"[^\w/&+ -]+")
_SPACE = re.compile(r"[\s_]+")


class _SpeakersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    description: str = ""
    roles: dict[str, list[str]] = Field(min_length=1)
    title_prefixes: dict[str, list[str]] = Field(default_factory=dict)


class _SectionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    description: str = ""
    sections: dict[str, list[str]] = Field(min_length=1)
    inline_labels: list[str] = Field(default_factory=list)
    label_not_after: list[str] = Field(default_factory=list)


class _AbbrevFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    description: str = ""
    no_split: list[str] = Field(min_length=1)


def norm_label(label: str) -> str:
    """Normalise a speaker label or heading for lookup: lowercase, no dots, single spaces."""
    text = _PUNCT.sub("", label.lower().replace(".", ""))
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Lexicon:
    """The validated rules.

    Attributes:
        roles: Normalised speaker alias -> role.
        titles: Normalised title word ('dr') -> role, for labels such as 'Dr. Lee'.
        headings: Normalised heading alias -> canonical section type.
        no_split: Lowercase tokens (without final period) that never end a sentence.
        inline_labels: Normalised labels of a note's parts (body systems, vital signs)
            that start a new sentence where they run on inside a paragraph.
        label_not_after: Lowercase words after which such a label is part of a longer
            one ("Auscultation of Lungs:").
    """

    roles: dict[str, str]
    titles: dict[str, str]
    headings: dict[str, str]
    no_split: frozenset[str]
    inline_labels: frozenset[str] = frozenset()
    label_not_after: frozenset[str] = frozenset()


def _read(name: str) -> object:
    path = resources.files("evident.sources") / "resources" / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load sources resource '{name}': {exc}") from None


def _invert(table: dict[str, list[str]], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, aliases in table.items():
        for alias in [key, *aliases]:
            norm = norm_label(alias)
            if not norm:
                raise ConfigError(f"empty {what} alias under '{key}'")
            out.setdefault(norm, key)
    return out


@cache
def lexicon() -> Lexicon:
    """Load and validate the rules once.

    Raises:
        ConfigError: A resource file is missing or does not validate.
    """
    try:
        speakers = _SpeakersFile.model_validate(_read("speakers.json"))
        sections = _SectionsFile.model_validate(_read("note_sections.json"))
        abbrev = _AbbrevFile.model_validate(_read("abbreviations.json"))
    except ValidationError as exc:
        raise ConfigError(f"invalid sources resource: {exc.errors()[0]['msg']}") from None
    return Lexicon(
        roles=_invert(speakers.roles, "speaker"),
        titles=_invert(speakers.title_prefixes, "title"),
        headings=_invert(sections.sections, "heading"),
        no_split=frozenset(a.lower().rstrip(".") for a in abbrev.no_split),
        inline_labels=frozenset(norm_label(x) for x in sections.inline_labels),
        label_not_after=frozenset(w.lower() for w in sections.label_not_after),
    )


def role_of(label: str) -> str | None:
    """The role a speaker label names (``Dr. Lee`` -> ``doctor``), or None if unknown."""
    lex = lexicon()
    key = norm_label(label)
    if key in lex.roles:
        return lex.roles[key]
    first = key.split(" ", 1)[0]
    return lex.titles.get(first) if " " in key else None


def heading_type(heading: str) -> str | None:
    """The canonical section type of a note heading (``A/P`` -> ``assessment_plan``), or None."""
    return lexicon().headings.get(norm_label(heading.strip().rstrip(":")))
