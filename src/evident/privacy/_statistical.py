"""The statistical recall layer: a named-entity model, filtered by clinical word lists.

Two models can run it: the project's own PHI tagger (``resources/deid_ner``, trained by
``evident train deid-ner``; names, cities, counties; the default, chosen on the benchmark)
and spaCy's ``en_core_web_sm`` (PERSON, GPE/LOC, ORG/FAC). The rules find what their cues
and lexicons describe; a named-entity model finds names and places in positions no rule
was written for. Its errors on clinical text are
predictable (drug names, findings, anatomy and section headings read as people or
organisations), so every entity whose words are in the project's clinical word lists
(``verify/resources``: medications, findings, anatomy; ``sources/resources``: note
section headings; this stage's field labels and not-names) is dropped. Each pipeline is
loaded once per process (:func:`evident.nlp.load_english`, :func:`evident.nlp.load_folder`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from evident.privacy._data import load_lexicon
from evident.privacy.spans import PhiSpan

__all__ = ["clinical_words", "ner_spans", "trained_model_path", "trained_spans"]

_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_TITLE = re.compile(r"^(?:(?:dr|mr|mrs|ms|mx|miss|doctor|nurse|the)\.?\s+)+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_BLOCK = 20_000  # characters per spaCy call: bounded memory on long texts


def _json(package: str, name: str) -> dict[str, object]:
    text = resources.files(package).joinpath("resources", name).read_text("utf-8")
    data = json.loads(text)
    return data if isinstance(data, dict) else {}


def _terms(items: object) -> Iterator[str]:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            yield str(item.get("name", ""))
            yield from (str(a) for a in item.get("aliases", []))


@cache
def clinical_words() -> frozenset[str]:
    """Lower-cased words and phrases that are never PHI: drugs, findings, anatomy,
    section headings, field labels, and the name lexicon's everyday words (eponyms are
    not here: "Jones" is a surname by position; the model's filter adds them)."""
    out: set[str] = set()
    for name, key in (("medications.json", "medications"), ("findings.json", "findings")):
        out.update(_terms(_json("evident.verify", name).get(key)))
    out.update(_terms(_json("evident.verify", "anatomy.json").get("anatomy")))
    sections = _json("evident.sources", "note_sections.json").get("sections")
    if isinstance(sections, dict):
        for aliases in sections.values():
            out.update(str(a) for a in aliases)
    lex = load_lexicon()
    out |= lex.not_names | lex.titles | lex.credentials
    out |= set(lex.states.values()) | {a.lower() for a in lex.states}
    from evident.privacy._fields import field_words

    out |= field_words()
    return frozenset(w.lower() for w in out if w)


_LABELS = {"PERSON": "NAME", "GPE": "CITY", "LOC": "CITY", "FAC": "HOSPITAL", "ORG": "HOSPITAL"}


def _keep(text: str, label: str, words: frozenset[str]) -> bool:
    low = text.lower()
    tokens = [w.lower() for w in _WORD.findall(text)]
    if label in ("ORG", "FAC"):
        from evident.privacy._fields import is_health_org

        return bool(tokens) and low not in words and is_health_org(text)
    if not tokens or low in words or any(t in words for t in tokens if len(t) > 2):
        return False
    if any(c in text for c in "•_*#=<>[]{}|/\\"):
        return False  # list bullets, "Guest_clinician", markup
    from evident.privacy._english import common_word

    lex = load_lexicon()
    if label == "PERSON" and all(common_word(t) and not lex.is_name(t) for t in tokens):
        return False  # "Respiratory Rate", "Mouth", "gon na": English words, no name
    if label == "PERSON" and len(tokens) == 1 and tokens[0] in lex.eponyms:
        return False  # "Parkinson" alone is a disease far more often than a person
    if label == "PERSON":
        return any(c.isupper() for c in text) or len(tokens) >= 2
    return text[:1].isupper()


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + _BLOCK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def ner_spans(text: str) -> list[PhiSpan]:
    """Names, places and health-care organisations found by spaCy's NER and kept by the
    clinical filter (scores 0.6: a rule's span wins an overlap, names are unioned)."""
    from evident.nlp import load_english

    return _model_spans(load_english(("ner",)), text, _LABELS)


def trained_model_path() -> Path:
    """The folder of the project's own PHI tagger (``evident train deid-ner``)."""
    return Path(str(resources.files("evident.privacy").joinpath("resources", "deid_ner")))


def trained_spans(text: str) -> list[PhiSpan]:
    """Names and places found by the project's own tagger (``evident train deid-ner``),
    kept by the same clinical filter; loaded once per process."""
    from evident.nlp import load_folder

    nlp = load_folder(str(trained_model_path()))
    return _model_spans(nlp, text, _TRAINED)


# The project's tagger speaks PHI types; the filter reads them as spaCy's labels.
_TRAINED = {"NAME": "NAME", "CITY": "CITY", "COUNTY": "COUNTY"}
_AS_SPACY = {"NAME": "PERSON", "CITY": "GPE", "COUNTY": "GPE"}


def _model_spans(nlp: Any, text: str, labels: dict[str, str]) -> list[PhiSpan]:
    words = clinical_words()
    out: list[PhiSpan] = []
    for offset, block in _blocks(text):
        for ent in nlp(block).ents:
            phi_type = labels.get(ent.label_)
            if phi_type is None:
                continue
            start, end = ent.start_char, ent.end_char
            lead = _TITLE.match(block, start, end)
            if lead:
                start = lead.end()
            piece = block[start:end]
            trail = _POSSESSIVE.search(piece)
            if trail:
                end -= len(trail.group())
            piece = block[start:end].strip()
            label = _AS_SPACY.get(ent.label_, ent.label_)
            core = piece[:-7] if phi_type == "COUNTY" and piece.endswith(" County") else piece
            if piece and _keep(core, label, words):
                out.append(PhiSpan(offset + start, offset + end, phi_type, 0.6, piece))
    return out
