"""PHI detection: find HIPAA Safe Harbor identifiers in text and return typed spans.

Three layers, unioned: rules (regular expressions, a name lexicon, cues), context
(labelled fields, names by position, health-care organisations; :mod:`._fields`) and,
optionally, a statistical recall layer (spaCy NER filtered by clinical word lists;
:mod:`._statistical`). Then every string found is looked for again in the whole document
(and in the other documents of the same run: :func:`propagate`), so a name found once
is masked everywhere. The detector never transforms text:
:mod:`evident.privacy.operators` consumes its spans.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from evident.errors import ConfigError
from evident.privacy._data import FastRegex, Recognizer, load_patterns, lower
from evident.privacy._dates import date_spans
from evident.privacy._fields import context_spans
from evident.privacy._names import name_spans
from evident.privacy._places import place_spans
from evident.privacy._propagate import known_values, propagate
from evident.privacy.spans import PHI_TYPES, PhiSpan, resolve_overlaps
from evident.textclean import visible_view

__all__ = [
    "DEFAULT_TYPES",
    "NER_MODELS",
    "Detector",
    "detect",
    "known_values",
    "model_installed",
    "propagate",
]

#: The recall layer's models: the project's own tagger, spaCy's small English model.
NER_MODELS: tuple[str, ...] = ("evident", "en_core_web_sm")

#: Every type, hospitals and clinics included (i2b2 2014 annotates them: a hospital's
#: name narrows where a patient lives).
DEFAULT_TYPES: frozenset[str] = frozenset(PHI_TYPES)

_FAX = re.compile(r"\b(?:fax|facsimile|f)\s*(?:number|no\.?|#)?\s*[:#.]?\s*$", re.IGNORECASE)
_ID_VALUE = r"(?=[A-Za-z0-9-]*\d{2})(?P<value>[A-Za-z0-9][A-Za-z0-9-]{3,}[A-Za-z0-9])\b"


@cache
def _labelled() -> tuple[FastRegex, tuple[tuple[str, re.Pattern[str]], ...]]:
    """One regex for every labelled identifier, and per type a regex telling which label."""
    _, labels = load_patterns()
    # A flat alternation of literals keeps re's fast skip to candidate positions.
    branches = "|".join(alt for alts in labels.values() for alt in alts)
    regex = FastRegex.build(
        rf"\b(?:{branches})\s*(?:number|no\.?|num|#)?\s*[:#=]?\s*(?:is\s+)?{_ID_VALUE}",
        ignore_case=True,
        keep_bound=True,
    )
    which = tuple((t, re.compile(rf"(?:{'|'.join(alts)})(?!\w)")) for t, alts in labels.items())
    return regex, which


def _labelled_spans(text: str, low: str) -> Iterable[PhiSpan]:
    regex, which = _labelled()
    for m in regex.finditer(text, low):
        found = [(len(x.group()), t) for t, r in which if (x := r.match(low, m.start()))]
        phi_type = max(found)[1] if found else "ID"  # "license plate" is a VEHICLE label
        start, end = m.span("value")
        yield PhiSpan(start, end, phi_type, 0.9, text[start:end])


@dataclass(frozen=True)
class Detector:
    """Finds PHI spans in text.

    Attributes:
        types: The PHI types to report (default: all, hospitals included).
        threshold: Spans scoring below it are dropped.
        ner: Union the statistical recall layer (a NER model, filtered) with the rules.
        ner_model: Which model that layer runs: ``"evident"`` (the project's own tagger,
            shipped in the package) or ``"en_core_web_sm"`` (spaCy's small English model).
    """

    types: frozenset[str] = DEFAULT_TYPES
    threshold: float = 0.5
    ner: bool = False
    ner_model: str = "evident"

    @classmethod
    def create(
        cls,
        types: Iterable[str] | None = None,
        *,
        hospitals: bool = True,
        threshold: float = 0.5,
        ner: bool = False,
        ner_model: str = "evident",
    ) -> Detector:
        """Build a detector, validating the options.

        Args:
            types: PHI types to report; None for the default set.
            hospitals: Report hospital and clinic names (on by default).
            threshold: Minimum score in [0, 1].
            ner: Also run the statistical recall layer (loads its model once).
            ner_model: ``"evident"`` (the project's tagger) or ``"en_core_web_sm"``.

        Raises:
            ConfigError: An unknown type or model, or a threshold outside [0, 1].
        """
        chosen = set(DEFAULT_TYPES if types is None else types)
        unknown = chosen - set(PHI_TYPES)
        if unknown:
            raise ConfigError(f"unknown PHI type(s): {', '.join(sorted(unknown))}")
        if not 0.0 <= threshold <= 1.0:
            raise ConfigError(f"threshold must be in [0, 1], got {threshold}")
        if ner_model not in NER_MODELS:
            raise ConfigError(
                f"ner_model must be one of {', '.join(NER_MODELS)}, got '{ner_model[:30]}'"
            )
        if hospitals:
            chosen.add("HOSPITAL")
        else:
            chosen.discard("HOSPITAL")
        return cls(frozenset(chosen), threshold, ner, ner_model)

    def detect(self, text: str, known: Mapping[str, str] | None = None) -> list[PhiSpan]:
        """Return non-overlapping PHI spans in ``text``, sorted by start offset.

        Args:
            text: Any text.
            known: PHI values found elsewhere in the same run (value → type): their
                occurrences here are PHI too (see :func:`propagate`).
        """
        view = visible_view(text)
        if view is None:
            return self._detect(text, known)
        # Zero-width and control characters inside a name hide it from the lexicons:
        # detect on the visible text, then map each span back onto the original.
        visible, where = view
        spans = []
        for s in self._detect(visible, known):
            start, end = where[s.start], where[max(s.start, s.end - 1)] + 1
            spans.append(PhiSpan(start, end, s.type, s.score, text[start:end]))
        return spans

    def _detect(self, text: str, known: Mapping[str, str] | None) -> list[PhiSpan]:
        candidates = _union_names(list(self._candidates(text)))
        kept = [
            s for s in resolve_overlaps(candidates) if s.score >= self.threshold and s.end > s.start
        ]
        found = [s for s in (self._retype(text, s) for s in kept) if s.type in self.types]
        return propagate(text, found, known)

    def _candidates(self, text: str) -> Iterable[PhiSpan]:
        recognizers, _ = load_patterns()
        low = lower(text)
        for rec in recognizers:
            if rec.optional and rec.type not in self.types:
                continue
            yield from _regex_spans(rec, text, low)
        yield from _labelled_spans(text, low)
        yield from date_spans(text, low)
        yield from place_spans(text, low)
        yield from name_spans(text, low)
        yield from context_spans(text)
        if self.ner:
            from evident.privacy._statistical import ner_spans, trained_spans

            yield from (trained_spans if self.ner_model == "evident" else ner_spans)(text)

    @staticmethod
    def _retype(text: str, span: PhiSpan) -> PhiSpan:
        if span.type == "PHONE" and _FAX.search(text, max(0, span.start - 20), span.start):
            return PhiSpan(span.start, span.end, "FAX", span.score, span.text)
        return span


def model_installed(ner_model: str = "evident") -> bool:
    """Whether the recall layer's model can run (spaCy and the model are installed)."""
    from importlib.util import find_spec

    if find_spec("spacy") is None:
        return False
    if ner_model == "evident":
        from evident.privacy._statistical import trained_model_path

        return (trained_model_path() / "config.cfg").is_file()
    from evident.nlp import MODEL_NAME, find_model_path

    return find_spec(MODEL_NAME) is not None or find_model_path() is not None


def _union_names(spans: list[PhiSpan]) -> list[PhiSpan]:
    """Overlapping NAME candidates of any layer become one span covering them all
    ("Kwaku" from a cue and "Kwaku Mensah" from the model): names are unioned, not
    ranked; other types go through the overlap resolution as they are."""
    names = sorted(s for s in spans if s.type == "NAME")
    merged: list[PhiSpan] = []
    for span in names:
        if merged and span.start < merged[-1].end:
            prev = merged[-1]
            end = max(prev.end, span.end)
            text = prev.text + span.text[prev.end - span.start :] if end > prev.end else prev.text
            merged[-1] = PhiSpan(prev.start, end, "NAME", max(prev.score, span.score), text)
        else:
            merged.append(span)
    return [s for s in spans if s.type != "NAME"] + merged


def _regex_spans(rec: Recognizer, text: str, low: str) -> Iterable[PhiSpan]:
    if rec.prefilter is not None and not rec.prefilter.search(low):
        return
    for m in rec.regex.finditer(text, low):
        start, end = m.span(rec.group)
        if start >= 0:
            yield PhiSpan(start, end, rec.type, rec.score, text[start:end])


def detect(text: str, types: Collection[str] | None = None) -> list[PhiSpan]:
    """Find PHI in ``text`` with the default detector (or only the given types).

    Args:
        text: Any text.
        types: PHI types to report; None for all.

    Returns:
        Non-overlapping spans sorted by start offset.
    """
    return Detector.create(types).detect(text)
