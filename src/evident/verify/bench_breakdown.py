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
threshold. Test-half encounters are dropped before anything is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from evident.types import Section, Statement
from evident.verify.bench import Encounter, parse
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import SUPPORT_THRESHOLD, VerifyOptions
from evident.verify.support_model import FEATURES, alignment

__all__ = ["Breakdown", "breakdown", "wording_class"]

_TOP3, _WINDOW, _ALL = (FEATURES.index(f) for f in ("cov_top3", "cov_window", "cov_all"))


@dataclass
class Breakdown:
    """Counts of flagged clean statements."""

    encounters: int = 0
    clinical: int = 0
    by_decider: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)


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
    from evident.verify.support_train import dev_only

    opts = options.model_copy(update={"omissions": False})
    out = Breakdown()
    for e in dev_only(encounters):
        out.encounters += 1
        src, draft = parse(e)
        index = SourceIndex([src])
        for st in draft.statements:
            one = Statement(id="p1", text=st.text, section=st.section)
            sections = (Section(name=st.section, statements=(one,)),)
            v = verify(draft.model_copy(update={"sections": sections}), [src], options=opts)
            verdict = v.verdicts[0]
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
    return out
