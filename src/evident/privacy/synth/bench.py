"""The de-identification benchmark: build the corpus, run detectors, score them."""

from __future__ import annotations

import csv
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evident.errors import InputError
from evident.privacy.synth.generator import Doc, Gold, Style, insert_phi
from evident.privacy.synth.second import Half, half_of, insert_second

__all__ = [
    "GROUPS",
    "Score",
    "carrier_docs",
    "presidio_detector",
    "presidio_research_docs",
    "score",
    "second_docs",
    "timed",
]

GROUPS = {
    "names": {"NAME"},
    "dates": {"DATE"},
    "identifiers": {
        "SSN",
        "MRN",
        "ACCOUNT",
        "HEALTH_PLAN",
        "LICENSE",
        "DEVICE",
        "VEHICLE",
        "ID",
    },
    "contact": {"PHONE", "FAX", "EMAIL", "URL", "IP", "ADDRESS"},
    "geography": {"CITY", "COUNTY", "ZIP"},
    "age>89": {"AGE"},
}
_PRESIDIO_RESEARCH = {
    "PERSON": "NAME",
    "STREET_ADDRESS": "ADDRESS",
    "GPE": "CITY",
    "DATE_TIME": "DATE",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP",
    "DOMAIN_NAME": "URL",
    "ZIP_CODE": "ZIP",
    "CREDIT_CARD": "ACCOUNT",
    "IBAN_CODE": "ACCOUNT",
    "US_DRIVER_LICENSE": "LICENSE",
    "AGE": "AGE",
}
_PRESIDIO_OUT = {
    "PERSON": "NAME",
    "DATE_TIME": "DATE",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "URL": "URL",
    "IP_ADDRESS": "IP",
    "US_SSN": "SSN",
    "US_ITIN": "SSN",
    "US_DRIVER_LICENSE": "LICENSE",
    "MEDICAL_LICENSE": "LICENSE",
    "CREDIT_CARD": "ACCOUNT",
    "US_BANK_NUMBER": "ACCOUNT",
    "IBAN_CODE": "ACCOUNT",
    "LOCATION": "CITY",
    "ORGANIZATION": "HOSPITAL",
    "US_PASSPORT": "ID",
    "UK_NHS": "ID",
}
_TOKEN = re.compile(r"\w+")
# A day or month next to the year: what Safe Harbor removes ("1975" alone it keeps).
_DATE_ELEMENT = re.compile(
    r"\d{1,2}[/.-]\d{1,2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
Detect = Callable[[str], list[Gold]]


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read '{path.name}': {exc}") from None


def _aci_names(meta: dict[str, str]) -> set[str]:
    names: set[str] = set()
    for key in ("patient_firstname", "patient_familyname", "doctor_name"):
        value = re.sub(r"(?i)^dr\.?\s*", "", (meta.get(key) or "").strip())
        names.update(w for w in value.split() if len(w) > 1)
        if len(value.split()) > 1:
            names.add(value)  # the full name, so "scott good" is found as one
    full = " ".join(
        (meta.get(k) or "").strip() for k in ("patient_firstname", "patient_familyname")
    )
    if len(full.split()) == 2:
        names.add(full)
    return names


def _carriers(root: Path) -> Iterator[tuple[str, str, set[str]]]:
    """(id, text, names) of carrier documents under ``root`` (ACI-Bench, MTS-Dialog)."""
    for path in sorted(root.glob("**/*.csv")):
        if path.name.endswith("_metadata.csv") or "predictions" in path.parts:
            continue
        rows = _read_csv(path)
        meta_path = path.with_name(path.stem + "_metadata.csv")
        meta = {r["encounter_id"]: r for r in _read_csv(meta_path)} if meta_path.exists() else {}
        for i, row in enumerate(rows):
            names = _aci_names(meta.get(row.get("encounter_id", ""), {}))
            for column in ("dialogue", "note", "section_text"):
                text = row.get(column) or ""
                if text.strip():
                    yield f"{path.stem}:{i}:{column}", text, names


def _style(text: str) -> Style:
    if text.lower() == text:
        return "transcript"
    if re.search(r"(?m)^(?:Doctor|Patient|Guest_\w+):", text):
        return "dialogue"
    return "note"


def carrier_docs(root: Path, limit: int | None, seed: int = 13) -> list[Doc]:
    """Carrier documents with inserted PHI (3-8 sentences each) and gold spans."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    for doc_id, text, names in _carriers(root):
        if limit is not None and len(docs) >= limit:
            break
        docs.append(insert_phi(doc_id, text, _style(text), names, rng, rng.randint(3, 8)))
    if not docs:
        raise InputError(f"no ACI-Bench or MTS-Dialog CSV files found under '{root}'")
    return docs


def second_docs(root: Path, limit: int | None, seed: int = 29) -> dict[Half, list[Doc]]:
    """The second generator's documents, split by seed into "dev" and "test" halves.

    A document's half and its generator seed come from the run's seed and its encounter
    (file and row), so the dialogue and the note of one encounter share a half. ``limit``
    caps each half.
    """
    halves: dict[Half, list[Doc]] = {"dev": [], "test": []}
    for doc_id, text, names in _carriers(root):
        half, doc_seed = half_of(doc_id.rsplit(":", 1)[0], seed)
        if limit is not None and len(halves[half]) >= limit:
            if all(len(v) >= limit for v in halves.values()):
                break
            continue
        n = 3 + doc_seed % 6
        halves[half].append(insert_second(doc_id, text, _style(text), names, doc_seed, n))
    if not halves["dev"] and not halves["test"]:
        raise InputError(f"no ACI-Bench or MTS-Dialog CSV files found under '{root}'")
    return halves


def presidio_research_docs(path: Path, limit: int | None) -> list[Doc]:
    """presidio-research synth_dataset_v2.json as documents (types mapped to ours).

    Types with no Safe Harbor counterpart (ORGANIZATION, TITLE, NRP) are kept as
    ``IGNORE`` spans: tokens there count neither for nor against a detector. Ages of 89
    or less, and DATE_TIME values without a day or month (a year, "Tuesday morning"),
    are not PHI and are ignored the same way.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read '{path.name}': {exc}") from None
    docs = []
    for i, item in enumerate(data[:limit] if limit else data):
        gold = []
        for s in item.get("spans", []):
            phi_type = _PRESIDIO_RESEARCH.get(s["entity_type"], "IGNORE")
            value = str(s.get("entity_value", ""))
            if phi_type == "AGE" and not (value.isdigit() and int(value) > 89):
                phi_type = "IGNORE"
            if phi_type == "DATE" and not _DATE_ELEMENT.search(value):
                phi_type = "IGNORE"  # a year or "Tuesday morning": not Safe Harbor PHI
            gold.append((int(s["start_position"]), int(s["end_position"]), phi_type))
        docs.append(Doc(f"presidio:{i}", "note", item["full_text"], sorted(gold)))
    return docs


@dataclass
class Score:
    """Counts for one detector on one corpus."""

    token: dict[str, Counter[str]] = field(default_factory=dict)  # type → tp/fp/fn
    span: dict[str, Counter[str]] = field(default_factory=dict)
    any_token: Counter[str] = field(default_factory=Counter)  # PHI vs not, any type
    found_any: dict[str, Counter[str]] = field(default_factory=dict)  # gold type → hit/miss
    carrier_fp: int = 0  # predicted tokens of non-NAME types inside unannotated carrier text
    carrier_fp_by_type: Counter[str] = field(default_factory=Counter)


def _labels(text: str, spans: Iterable[Gold]) -> list[str]:
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    labels = ["O"] * len(tokens)
    starts = [s for s, _ in tokens]
    import bisect

    for s, e, t in spans:
        i = bisect.bisect_left(starts, s)
        if i > 0 and tokens[i - 1][1] > s:
            i -= 1
        while i < len(tokens) and tokens[i][0] < e:
            labels[i] = t
            i += 1
    return labels


def score(docs: list[Doc], predictions: list[list[Gold]]) -> Score:
    """Token- and span-level counts per type, and any-type counts."""
    result = Score()
    for doc, pred in zip(docs, predictions, strict=True):
        gold_l, pred_l = _labels(doc.text, doc.gold), _labels(doc.text, pred)
        carrier = _labels(doc.text, [(s, e, "C") for s, e in doc.carrier])
        for g, p, c in zip(gold_l, pred_l, carrier, strict=True):
            if g == "IGNORE":
                continue
            if g != "O":
                result.token.setdefault(g, Counter())["tp" if p == g else "fn"] += 1
                result.found_any.setdefault(g, Counter())["hit" if p != "O" else "miss"] += 1
            if p != "O" and p != g:
                if c == "C" and g == "O" and p != "NAME":
                    result.carrier_fp += 1
                    result.carrier_fp_by_type[p] += 1
                result.token.setdefault(p, Counter())["fp"] += 1
            if g != "O" or p != "O":
                key = "tp" if g != "O" and p != "O" else ("fn" if g != "O" else "fp")
                result.any_token[key] += 1
        gold_s = {x for x in doc.gold if x[2] != "IGNORE"}
        ignored = [(s, e) for s, e, t in doc.gold if t == "IGNORE"]
        pred_s = {x for x in pred if not any(s <= x[0] and x[1] <= e for s, e in ignored)}
        for s in gold_s:
            result.span.setdefault(s[2], Counter())["tp" if s in pred_s else "fn"] += 1
        for s in pred_s - gold_s:
            result.span.setdefault(s[2], Counter())["fp"] += 1
    return result


def timed(
    detect: Detect, docs: list[Doc], label: str = "detect"
) -> tuple[list[list[Gold]], float, float]:
    """Run a detector over the documents: (predictions, CPU seconds, wall seconds).

    Progress goes to stderr when it is a terminal.
    """
    from tqdm import tqdm

    progress = tqdm(docs, desc=label, unit="doc", file=sys.stderr, disable=None, leave=False)
    cpu, wall = time.process_time(), time.perf_counter()
    preds = [detect(d.text) for d in progress]
    return preds, time.process_time() - cpu, time.perf_counter() - wall


def presidio_detector() -> Detect:
    """Presidio's analyzer with its default recognizers and spaCy's small English model as
    its NLP engine (the same model as Evident's recall layer), loaded by path from the
    installed package (:func:`evident.nlp.find_model_path`) so nothing is downloaded.

    Raises:
        ConfigError: presidio-analyzer or the spaCy model is not installed.
    """
    import logging

    from evident.errors import ConfigError, missing_extra
    from evident.nlp import find_model_path

    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
    except ImportError:
        raise missing_extra("presidio_analyzer", "presidio") from None
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    found = find_model_path()
    if found is None:
        raise ConfigError("Presidio's engine needs the spaCy model en_core_web_sm 3.8")
    path: Path = found

    class _ByPath(SpacyNlpEngine):
        def load(self) -> None:
            # By path, never by name: presidio would download a model it cannot find.
            setattr(self, "nlp", {"en": spacy.load(path)})  # noqa: B010

    engine = _ByPath(models=[{"lang_code": "en", "model_name": "en_core_web_sm"}])
    engine.load()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def detect(text: str) -> list[Gold]:
        found = analyzer.analyze(text, language="en")
        spans = [(r.start, r.end, _PRESIDIO_OUT.get(r.entity_type, "ID")) for r in found]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out: list[Gold] = []
        for s in spans:  # presidio may return overlapping results: keep the first
            if not out or s[0] >= out[-1][1]:
                out.append(s)
        return out

    return detect
