"""The pipeline's privacy hook: protect sources per backend, restore drafts, count leaks.

Policy (``EVIDENT_PRIVACY``): ``remote-only`` (default: protect for any backend whose
``local`` is False), ``always`` or ``never``. Protection replaces PHI with consistent
surrogates; the mapping stays in a :class:`~evident.privacy.vault.Vault`; ``restore``
puts the original values back into the draft for the clinician.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Literal

from evident.errors import ConfigError
from evident.models.base import Backend
from evident.privacy.detect import Detector, known_values, model_installed
from evident.privacy.gender import infer_genders
from evident.privacy.hooks import Protection
from evident.privacy.leaks import find_leaks, register_phi
from evident.privacy.operators import Surrogator, Transformed, transform
from evident.privacy.vault import Vault
from evident.sources.transcript import role_of
from evident.types import Draft, Source

__all__ = ["POLICY_ENV", "PolicyPrivacy", "PolicyProtection", "protect_source", "rebuild"]

POLICY_ENV = "EVIDENT_PRIVACY"
Policy = Literal["always", "never", "remote-only"]
_POLICIES = ("always", "never", "remote-only")
log = logging.getLogger(__name__)


def protect_source(
    source: Source,
    detector: Detector,
    surrogator: Surrogator,
    known: dict[str, str] | None = None,
) -> Transformed:
    """Detect and replace PHI in a source's text (segments follow via :func:`rebuild`).

    ``known`` holds values found in the other sources of the run (value → type): their
    occurrences here are replaced too.
    """
    return transform(source.text, detector.detect(source.text, known), surrogator)


def run_known(
    sources: Sequence[Source], detector: Detector
) -> tuple[dict[str, str], dict[str, str]]:
    """Every PHI value found in any of the sources (value → type), so that a name found
    in one source is masked in all of them, and the genders of the names they read."""
    known: dict[str, str] = {}
    found = []
    for source in sources:
        spans = detector.detect(source.text)
        known.update(known_values(spans))
        found.append((source.text, spans))
    return known, infer_genders(found)


def _sent_leaks(texts: Sequence[str], originals: dict[str, str]) -> int:
    """Original values (whole, and each word of a name) still present in what is sent."""
    values = dict(originals)
    for value, phi_type in originals.items():
        if phi_type == "NAME":
            values.update({w: "NAME" for w in re.findall(r"[A-Za-z'’-]{3,}", value)})
    return sum(len(find_leaks(t, values)) for t in texts)


def _sent_texts(source: Source) -> tuple[str, ...]:
    """What of a protected source reaches the model: its text, segments and speakers."""
    segs = source.segments
    return (source.text, *(g.text for g in segs), *(g.speaker for g in segs if g.speaker))


def rebuild(source: Source, done: Transformed, redo: Any) -> Source:
    """A copy of ``source`` with the transformed text and segment offsets mapped onto it.

    Args:
        source: The original source.
        done: Its transformed text with the replacement positions.
        redo: Callable transforming a segment's own text, used for segments whose text is
            not a slice of the source text (they are transformed on their own).
    """
    segments = []
    replaced = {r.original.lower(): r.replacement.lower() for r in done.replacements}
    for seg in source.segments:
        start = done.map_offset(seg.start)
        end = max(start, done.map_offset(seg.end, end=True))
        if source.text[seg.start : seg.end] == seg.text:
            text = done.text[start:end]
        else:
            text = redo(seg.text)
        update = {"text": text, "start": start, "end": end}
        if seg.speaker and role_of(seg.speaker) is None:
            # a label that is no role is as written ("John Zyxwv:"): a name, perhaps
            update["speaker"] = replaced.get(seg.speaker) or redo(seg.speaker).lower()
        segments.append(seg.model_copy(update=update))
    return source.model_copy(update={"text": done.text, "segments": tuple(segments)})


class PolicyProtection:
    """Protected sources plus what is needed to restore the draft and to report."""

    def __init__(
        self,
        sources: tuple[Source, ...],
        record: dict[str, Any],
        restore_map: dict[str, str],
        originals: dict[str, str],
        text_protector: Callable[[str], str] | None = None,
    ) -> None:
        self.sources = sources
        self._record = record
        self._restore = restore_map
        self._originals = originals
        self._regex = _alternation(restore_map)
        self._text_protector = text_protector

    def protect_text(self, text: str) -> str:
        """Protect a free text bound for the model (a question) like the sources.

        Its replacements join the restore map, so the draft's mention of them is restored.
        """
        if self._text_protector is None:
            return text
        protected = self._text_protector(text)
        self._regex = _alternation(self._restore)
        return protected

    def restore(self, draft: Draft) -> Draft:
        """Replace surrogates in the draft's statements with the original values."""
        if not self._restore:
            return draft
        leaks = 0
        sections = []
        for sec in draft.sections:
            statements = []
            for st in sec.statements:
                leaks += len(find_leaks(st.text, self._originals))
                statements.append(st.model_copy(update={"text": self.restore_text(st.text)}))
            sections.append(sec.model_copy(update={"statements": tuple(statements)}))
        self._record["leaks_in_output"] = leaks
        meta = {k: self.restore_text(v) if isinstance(v, str) else v for k, v in draft.meta.items()}
        return draft.model_copy(update={"sections": tuple(sections), "meta": meta})

    def restore_text(self, text: str) -> str:
        """Replace every known surrogate in ``text`` with its original."""
        if self._regex is None:
            return text
        return self._regex.sub(lambda m: self._restore.get(m.group().lower(), m.group()), text)

    def record(self) -> dict[str, Any]:
        """Policy, whether sources were protected, and counts per PHI type (no values)."""
        return dict(self._record)

    @property
    def originals(self) -> dict[str, str]:
        """Original PHI value → type, for :func:`~evident.privacy.leaks.find_leaks` on
        audit records and logs (keep it inside the trust boundary)."""
        return dict(self._originals)


def _word_pairs(new: str, old: str) -> list[tuple[str, str]]:
    a, b = re.findall(r"[A-Za-z'’]{2,}", new), re.findall(r"[A-Za-z'’]{2,}", old)
    return list(zip(a, b, strict=True)) if len(a) == len(b) else []


def _alternation(mapping: dict[str, str]) -> re.Pattern[str] | None:
    if not mapping:
        return None
    keys = sorted(mapping, key=len, reverse=True)
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.IGNORECASE
    )


class PolicyPrivacy:
    """The default privacy hook of the pipeline.

    Attributes:
        policy: ``remote-only``, ``always`` or ``never``.
        detector: The PHI detector: by default the rules and the statistical recall layer
            (spaCy NER) when its model is installed, the rules alone otherwise: what
            reaches a remote model favours recall (see docs/privacy.md).
        vault: Where surrogate mappings are kept (persisted when it has a directory).
    """

    def __init__(
        self,
        policy: str | None = None,
        *,
        detector: Detector | None = None,
        vault: Vault | None = None,
    ) -> None:
        chosen = (policy or os.environ.get(POLICY_ENV) or "remote-only").strip().lower()
        if chosen not in _POLICIES:
            raise ConfigError(
                f"{POLICY_ENV} must be one of {', '.join(_POLICIES)}, got '{chosen[:20]}'"
            )
        self.policy: Policy = chosen  # type: ignore[assignment]
        self.detector = detector or Detector.create(ner=model_installed())
        self.vault = vault or Vault.from_env()

    def applies_to(self, backend: Backend) -> bool:
        """Whether this backend gets protected sources under the policy."""
        if self.policy == "never":
            return False
        return self.policy == "always" or not bool(getattr(backend, "local", False))

    def protect(self, sources: Sequence[Source], backend: Backend) -> Protection:
        """Protect the sources for this backend (or pass them through, as policy says)."""
        base = {"policy": self.policy, "backend_local": bool(getattr(backend, "local", False))}
        if not self.applies_to(backend):
            return PolicyProtection(tuple(sources), {**base, "protected": False}, {}, {})
        counts: Counter[str] = Counter()
        restore: dict[str, str] = {}
        originals: dict[str, str] = {}

        def note(done: Transformed, patient: str) -> None:
            for r in done.replacements:
                counts[r.type] += 1
                originals[r.original] = r.type
                if r.type != "AGE":  # "90+" is not reversible, and need not be
                    restore.setdefault(r.replacement.lower(), r.original)
                    self.vault.add(patient, r.replacement, r.original, r.type)
                if r.type == "NAME":  # "Mr. Blackwood" in the output: restore word by word
                    for new, old in _word_pairs(r.replacement, r.original):
                        restore.setdefault(new.lower(), old)

        out = []
        patient = "default"
        known, genders = run_known(sources, self.detector)
        for source in sources:
            patient = source.meta.get("patient") or source.meta.get("patient_key") or "default"
            if self.vault.directory is not None:
                self.vault.load(patient)
            surrogator = Surrogator(self.vault.hmac_key, patient, genders=genders)
            done = protect_source(source, self.detector, surrogator, known)

            def redo(text: str, s: Surrogator = surrogator) -> str:
                return transform(text, self.detector.detect(text, known), s).text

            out.append(rebuild(source, done, redo))
            note(done, patient)
            if self.vault.directory is not None and self.vault.secret:
                self.vault.save(patient)
        register_phi(originals)

        def protect_text(text: str, patient: str = patient) -> str:
            # Free text of the request (a question) belongs to the last source's patient.
            surrogator = Surrogator(self.vault.hmac_key, patient, genders=genders)
            done = transform(text, self.detector.detect(text, known), surrogator)
            note(done, patient)
            register_phi(originals)
            record.update(counts=dict(sorted(counts.items())), spans=sum(counts.values()))
            return done.text

        record = {
            **base,
            "protected": True,
            "mode": "surrogate",
            "counts": dict(sorted(counts.items())),
            "spans": sum(counts.values()),
            # The leak check runs on what is sent: original values left in the sources.
            "leaks_in_input": _sent_leaks(
                [t for src in out for t in _sent_texts(src)],
                originals,
            ),
        }
        log.info("privacy: protected %d sources, %d PHI spans", len(out), record["spans"])
        return PolicyProtection(tuple(out), record, restore, originals, protect_text)
