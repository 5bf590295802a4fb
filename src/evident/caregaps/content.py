"""Measure content: Measure resources, the CQL declarations and the expanded value sets.

A content folder has the layout of the published eCQM content (``resources/measure``,
``resources/library``, ``cql``, ``vocabulary/valueset/external``). Codes are never written
into Evident's code: a measure module names a value set or a code the way its CQL does
(``"Diabetes"``, ``"Glucose management indicator"``) and :class:`Terminology` resolves the
name through the library's CQL declarations to the expanded ValueSet found by its URL.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from evident.errors import InputError

__all__ = ["Content", "MeasureInfo", "Terminology", "load_content"]

logger = logging.getLogger(__name__)

Coding = tuple[str, str]

_VALUESET = re.compile(r"^valueset\s+\"([^\"]+)\"\s*:\s*'([^']+)'", re.MULTILINE)
_CODESYSTEM = re.compile(r"^codesystem\s+\"([^\"]+)\"\s*:\s*'([^']+)'", re.MULTILINE)
_CODE = re.compile(r"^code\s+\"([^\"]+)\"\s*:\s*'([^']+)'\s+from\s+\"?([^\"\s]+)\"?", re.MULTILINE)
_POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population"


@dataclass(frozen=True)
class MeasureInfo:
    """What a Measure resource says about itself.

    Attributes:
        name: The Measure's ``name`` (``CMS122FHIRDiabetesAssessGreaterThan9Percent``).
        scoring: The group's scoring code (``proportion``).
        populations: The group's population codes in the Measure's order.
        improvement: ``increase`` or ``decrease`` when the Measure says so.
    """

    name: str
    scoring: str
    populations: tuple[str, ...]
    improvement: str | None


class Terminology:
    """Value sets and codes of one CQL library, resolved by the names its CQL declares."""

    def __init__(self, content: Content, library: str) -> None:
        """Read the declarations of ``cql/<library>.cql`` in ``content``."""
        path = content.root / "cql" / f"{library}.cql"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"measure content has no CQL library {library}") from exc
        systems = dict(_CODESYSTEM.findall(text))
        self._content = content
        self._library = library
        self._valuesets = dict(_VALUESET.findall(text))
        self._codes: dict[str, Coding] = {}
        for name, code, system in _CODE.findall(text):
            self._codes[name] = (systems.get(system, system), code)

    def vs(self, name: str) -> frozenset[Coding]:
        """The codes of the value set the library calls ``name``."""
        url = self._valuesets.get(name)
        if url is None:
            raise InputError(f"library {self._library} declares no value set {name!r}")
        return self._content.valueset(url)

    def missing(self) -> list[str]:
        """Names of the library's value sets the content has no expansion of (so far read)."""
        return sorted(n for n, url in self._valuesets.items() if url in self._content.missing)

    def code(self, name: str) -> Coding:
        """The ``(system, code)`` the library calls ``name``."""
        found = self._codes.get(name)
        if found is None:
            raise InputError(f"library {self._library} declares no code {name!r}")
        return found

    def codes(self, name: str) -> frozenset[Coding]:
        """A declared code as a one-element set, to test it like a value set."""
        return frozenset({self.code(name)})


class Content:
    """A folder of measure content, read lazily and cached."""

    def __init__(self, root: Path) -> None:
        """Check the layout of ``root``."""
        self.root = root
        for part in ("resources/measure", "cql", "vocabulary/valueset/external"):
            if not (root / part).is_dir():
                raise InputError(f"measure content folder lacks {part}/")
        self._valuesets: dict[str, frozenset[Coding]] = {}
        self._libraries: dict[str, Terminology] = {}
        self.missing: set[str] = set()

    @cached_property
    def _valueset_files(self) -> dict[str, Path]:
        # external/ is the published expansions; any other folder under vocabulary/valueset
        # (say local/) supplements them, e.g. with expansions a VSAC account can download.
        index: dict[str, Path] = {}
        base = self.root / "vocabulary/valueset"
        others = sorted(p for p in base.iterdir() if p.is_dir() and p.name != "external")
        folders = [base / "external", *others]
        for folder in folders:
            for path in sorted(folder.glob("*.json")):
                index.setdefault(path.stem.removeprefix("valueset-"), path)
        return index

    def valueset(self, url: str) -> frozenset[Coding]:
        """The expansion of the ValueSet whose canonical URL is ``url``."""
        if url not in self._valuesets:
            self._valuesets[url] = self._read_valueset(url)
        return self._valuesets[url]

    def _read_valueset(self, url: str) -> frozenset[Coding]:
        path = self._valueset_files.get(url.rstrip("/").rsplit("/", 1)[-1])
        if path is None:
            # The published snapshot lacks a few expansions; the measure runs without them
            # and the gap report names what was missing.
            logger.info("measure content has no expanded value set %s", url)
            self.missing.add(url)
            return frozenset()
        data = _read_json(path)
        if data.get("url") != url:
            raise InputError(f"value set file {path.name} does not hold {url}")
        contains = (data.get("expansion") or {}).get("contains") or []
        return frozenset((c["system"], c["code"]) for c in contains if "code" in c)

    def library(self, name: str) -> Terminology:
        """The terminology of CQL library ``name`` (cached)."""
        if name not in self._libraries:
            self._libraries[name] = Terminology(self, name)
        return self._libraries[name]

    def measure_files(self) -> dict[str, Path]:
        """Measure files by their name (file stem)."""
        folder = self.root / "resources/measure"
        return {p.stem: p for p in sorted(folder.glob("*.json"))}

    def find_measure(self, prefix: str) -> str:
        """The Measure name starting with the CMS number ``prefix`` (``CMS122``)."""
        wanted = prefix.strip().upper()
        names = [n for n in self.measure_files() if re.match(rf"{wanted}(?!\d)", n.upper())]
        if len(names) != 1:
            raise InputError(f"no single measure in the content matches {prefix!r}")
        return names[0]

    def measure(self, name: str) -> MeasureInfo:
        """Read the Measure resource ``name``."""
        data = _read_json(self.measure_files()[name])
        group = (data.get("group") or [{}])[0]
        codes = tuple(_population_code(p) for p in group.get("population", []))
        return MeasureInfo(
            name=str(data.get("name") or name),
            scoring=_extension_code(group, "cqfm-scoring") or _scoring(data) or "proportion",
            populations=codes,
            improvement=_extension_code(group, "cqfm-improvementNotation"),
        )


def load_content(path: str | Path) -> Content:
    """Open a measure content folder.

    Raises:
        InputError: The folder is missing or lacks the published layout.
    """
    root = Path(path)
    if not root.is_dir():
        raise InputError(f"measure content folder not found: {root}")
    return Content(root)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path.name} as JSON") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path.name} is not a JSON object")
    return data


def _population_code(population: dict[str, Any]) -> str:
    for coding in (population.get("code") or {}).get("coding", []):
        if coding.get("system") == _POPULATION_SYSTEM:
            return str(coding["code"])
    raise InputError("a measure population has no measure-population code")


def _extension_code(element: dict[str, Any], name: str) -> str | None:
    for ext in element.get("extension", []):
        if str(ext.get("url", "")).endswith(name):
            codings = (ext.get("valueCodeableConcept") or {}).get("coding") or [{}]
            return codings[0].get("code") or ext.get("valueCode")
    return None


def _scoring(data: dict[str, Any]) -> str | None:
    codings = (data.get("scoring") or {}).get("coding") or [{}]
    code = codings[0].get("code")
    return str(code) if code else None
