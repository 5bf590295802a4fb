"""Why clean statements are flagged: a count by decider and reason (development half only).

Every clinical sentence of a development-half reference note is verified alone against
its own dialogue, as in ``evident bench verify-general``; each ``unsupported`` or
``contradicted`` one is counted by its ``decided_by`` and, when the entailer decided it,
by why its wording did not carry it:

- ``a named fact not found``: the verdict's reason is a soft checker's missing fact
  (finding, anatomy, history...); where none of the statement's facts is found the
  wording score is capped below the threshold, else it was blended too low;
- ``spread over neighbouring turns``: the top candidates do not cover it but a window of
  two turns around them does;
- ``words elsewhere in the dialogue``: only the whole dialogue covers it;
- ``the dialogue lacks the words``: not even the whole dialogue covers it (a paraphrase
  in other words, or content the dialogue does not have).

Coverage is the lexical entailer's (content words weighted by rarity) at the support
threshold. Each entailer-decided one is also counted by its *route* (:func:`route`):
whether the entailer's score decided it or the soft checkers capped it whatever the score.

:func:`item_breakdown` does the same for perturbed statements of chosen types that come
back ``supported`` (a swapped finding passing): by route (carried by the soft checkers'
agreements whatever the entailer says, or supported by the entailer's score) and by how
new its new words are (:func:`novelty`: absent from the whole source, found elsewhere in
it, matched by a stem prefix only). Test-half encounters are dropped before anything is
read, and no statement's text is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evident.types import Section, Source, Statement
from evident.verify.bench import Encounter, parse
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import SUPPORT_THRESHOLD, VerifyOptions
from evident.verify.support_model import FEATURES, SourceTerms, alignment

if TYPE_CHECKING:
    from evident.types import Draft, Verdict
    from evident.verify.bench_general import Prepared

__all__ = [
    "Breakdown",
    "ItemBreakdown",
    "breakdown",
    "item_breakdown",
    "novelty",
    "route",
    "wording_class",
]

_TOP3, _WINDOW, _ALL = (FEATURES.index(f) for f in ("cov_top3", "cov_window", "cov_all"))


@dataclass
class Breakdown:
    """Counts of flagged clean statements."""

    encounters: int = 0
    clinical: int = 0
    by_decider: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)


@dataclass
class ItemBreakdown:
    """Counts of perturbed statements whose original sentence is supported, per type."""

    items: Counter[str] = field(default_factory=Counter)
    detected: Counter[str] = field(default_factory=Counter)
    by_route: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_novelty: Counter[tuple[str, str]] = field(default_factory=Counter)


def route(opened: bool, cutoff: float) -> str:
    """What could decide a statement, from
    :func:`~evident.verify.support_train.entailer_cutoff`'s reading of the checkers."""
    if not opened:
        return "a checker: a conflict or a missing hard fact"
    if cutoff <= 0:
        return "carried by the soft checkers' agreements, whatever the score"
    if cutoff > 1:
        return "capped: none of its facts found, whatever the score"
    return "the entailer's score"


def novelty(original: str, text: str, source: SourceTerms) -> str:
    """How new the content words of ``text`` that ``original`` lacks are to the source."""
    old = set(analyze(original).terms)
    new = [t for t in dict.fromkeys(analyze(text).terms) if not t.startswith("#") and t not in old]
    if not new:
        return "no new content word"
    absent = [t for t in new if t not in source.terms and t[:5] not in source.prefixes]
    if not absent:
        found = all(t in source.terms for t in new)
        return "every new word elsewhere in the source" if found else "a stem prefix matches"
    if len(absent) < len(new):
        return "some new words in the source, at least one absent"
    return "every new word absent from the source"


def wording_class(features: Sequence[float], reason: str, threshold: float) -> str:
    """Why the wording did not carry an entailer-decided statement (see module doc)."""
    if reason != "no source segment carries this content":
        return "a named fact not found"
    if features[_TOP3] >= threshold:
        return "covered, but below the threshold after blending"
    if features[_WINDOW] >= threshold:
        return "spread over neighbouring turns"
    if features[_ALL] >= threshold:
        return "words elsewhere in the dialogue"
    return "the dialogue lacks the words"


def breakdown(encounters: Sequence[Encounter], options: VerifyOptions) -> Breakdown:
    """Count the development-half clean statements ``verify`` flags, by decider and reason."""
    from evident.verify.bench_general import Prepared
    from evident.verify.support_train import dev_only, entailer_cutoff

    opts = options.model_copy(update={"omissions": False})
    out = Breakdown()
    for e in dev_only(encounters):
        out.encounters += 1
        src, draft = parse(e)
        index = SourceIndex([src])
        for st in draft.statements:
            verdict = _verdict(src, draft, st.text, st.section, opts)
            if verdict.label == "no_clinical_content":
                continue
            out.clinical += 1
            if verdict.label == "supported":
                continue
            out.by_decider[(verdict.label, verdict.decided_by)] += 1
            if verdict.decided_by.startswith("entail:") and verdict.label == "unsupported":
                positions = [p for p, _ in index.search(analyze(st.text).terms, k=5)]
                x = alignment(st.text, index, positions) if positions else (0.0,) * len(FEATURES)
                cut = opts.support_threshold or SUPPORT_THRESHOLD
                reason = wording_class(x, verdict.reason, cut)
                out.by_reason[reason] += 1
                prepared = Prepared(e, src, draft, (), ())
                out.by_route[route(*entailer_cutoff(prepared, st.text, st.section))] += 1
    return out


def _verdict(src: Source, draft: Draft, text: str, section: str, opts: VerifyOptions) -> Verdict:
    one = Statement(id="p1", text=text, section=section)
    sections = (Section(name=section, statements=(one,)),)
    return verify(draft.model_copy(update={"sections": sections}), [src], options=opts).verdicts[0]


def item_breakdown(
    encounters: Sequence[Encounter],
    options: VerifyOptions,
    types: Sequence[str],
    per_type: int = 2,
    seed: int = 13,
) -> ItemBreakdown:
    """Count the development half's perturbed statements of ``types`` by verdict, and
    those ``supported`` by route and novelty (see module), as the general benchmark
    counts them: only items whose original sentence is supported."""
    from evident.verify.bench_general import prepare
    from evident.verify.support_train import dev_only, entailer_cutoff

    opts = options.model_copy(update={"omissions": False})
    out = ItemBreakdown()
    for _, prepared in prepare(dev_only(encounters), per_type, seed):
        terms = SourceTerms.of(SourceIndex([prepared.source]))
        ok: dict[int, bool] = {}
        for it in prepared.items:
            if it.type not in types or it.index < 0 or it.segment:
                continue
            original = prepared.sentences[it.index]
            if it.index not in ok:
                v = _verdict(prepared.source, prepared.draft, original.text, original.section, opts)
                ok[it.index] = v.label == "supported"
            if not ok[it.index]:
                continue
            out.items[it.type] += 1
            if _passes(prepared, it.text, original.section, opts):
                cut = entailer_cutoff(prepared, it.text, original.section)
                out.by_route[(it.type, route(*cut))] += 1
                out.by_novelty[(it.type, novelty(original.text, it.text, terms))] += 1
            else:
                out.detected[it.type] += 1
    return out


def _passes(prepared: Prepared, text: str, section: str, opts: VerifyOptions) -> bool:
    return _verdict(prepared.source, prepared.draft, text, section, opts).label == "supported"
