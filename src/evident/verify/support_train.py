"""Training the support model (``evident train entailer``) from the development half only.

Records come from :mod:`evident.errorgen` run over the development-half encounters alone
(the corpus of swapped-in drugs, findings and invented sentences is built from their notes
too, so no test-half text reaches training): every note sentence with content words is a
positive (the reference note, supported), every perturbed statement of the training
family and every invented sentence a negative. Answer flips are left out (the statement
is unchanged; the source is). With ``checkers=True`` each statement is also run through
``verify`` with a fixed-score spy entailer, which tells whether the checkers leave it to
the entailer and from which score the decision table (its blend with the soft checkers)
supports it. A logistic regression over :func:`alignment` features is fitted with
balanced classes and an L2 penalty by Newton's method (deterministic: the same data give
the same weights); its bias is then shifted so that the chosen share of the training
clean sentences the score decides falls below their cutoffs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evident.errorgen import half
from evident.types import Section, Segment, Statement
from evident.verify.bench import Encounter
from evident.verify.entail import Entailment
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import SUPPORT_THRESHOLD, VerifyOptions
from evident.verify.support_model import FEATURES, SourceTerms, SupportWeights, alignment

if TYPE_CHECKING:
    from evident.verify.bench_general import Prepared

__all__ = ["Record", "Split", "dev_only", "entailer_cutoff", "evaluate", "fit", "records"]


@dataclass(frozen=True)
class Record:
    """One training statement: its encounter, family and type, label and features."""

    encounter: str
    family: str  # "" for a clean sentence, "corpus" for an invented one
    type: str  # "clean" or the error type
    sentence: int  # the note sentence it is (clean) or was made from (-1: invented)
    supported: bool
    features: tuple[float, ...]
    opened: bool = True  # the checkers leave it to the entailer (see :func:`records`)
    cutoff: float = SUPPORT_THRESHOLD  # the entailer score from which the decision
    # table supports it: 0 where the checkers carry it, 2 where they cap it


@dataclass(frozen=True)
class Split:
    """Detection of one error set and the clean flag rate, for a scorer."""

    detected: float
    n_items: int
    clean_flagged: float
    n_clean: int


def dev_only(encounters: Iterable[Encounter]) -> list[Encounter]:
    """The development-half encounters; the test half never enters training."""
    return [e for e in encounters if half(e.id) == "dev"]


def records(
    encounters: Sequence[Encounter], per_type: int, seed: int, *, checkers: bool = False
) -> list[Record]:
    """Clean and perturbed records of the development-half encounters among ``encounters``.

    Args:
        encounters: Any encounters; test-half ones are dropped before anything is read.
        per_type: Items per type, family and encounter (as the benchmark).
        seed: Generator seed (as the benchmark's ``--seed``).
        checkers: Run ``verify`` on every statement and record whether the entailer's
            score can change its verdict (``opened``: the checkers found no conflict and
            no missing hard fact, and their agreements neither cap nor carry it) and the
            score from which the decision table supports it (``cutoff``: the soft
            checkers' agreements are blended with the score); otherwise every record is
            open with the plain threshold.
    """
    from evident.verify.bench_general import prepare

    out: list[Record] = []
    for _, prepared in prepare(dev_only(encounters), per_type, seed):
        eid = prepared.encounter.id
        index = SourceIndex([prepared.source])
        terms = SourceTerms.of(index)
        rows = [(st.text, st.section, "", "clean", i) for i, st in enumerate(prepared.sentences)]
        rows += [
            (it.text, _section(prepared, it.index), it.family, it.type, it.index)
            for it in prepared.items
            if it.type != "answer_flip"
        ]
        for text, section, family, kind, sentence in rows:
            x = _features(text, index, terms)
            if x is None:
                continue
            opened, cut = (
                entailer_cutoff(prepared, text, section) if checkers else (True, SUPPORT_THRESHOLD)
            )
            out.append(Record(eid, family, kind, sentence, kind == "clean", x, opened, cut))
    return out


def _section(prepared: Prepared, sentence: int) -> str:
    return prepared.sentences[sentence].section if sentence >= 0 else ""


class _Spy:
    """An entailer that answers one fixed score and notes whether it was asked."""

    name = "spy"

    def __init__(self, score: float) -> None:
        self.score = score
        self.called = False

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        self.called = True
        return Entailment("neutral", self.score, (), "", self.name, decisive=False)


def entailer_cutoff(prepared: Prepared, text: str, section: str) -> tuple[bool, float]:
    """Whether the checkers leave the statement to the entailer (clinical, no conflict,
    no missing hard fact), and the entailer score from which the decision table then
    supports it: 0 where the soft checkers' agreements carry it whatever the score, 2
    where none of its facts is found (the score is capped).

    Args:
        prepared: The encounter (its source and draft).
        text: The statement.
        section: Its section.
    """
    from evident.verify.check import verify

    st = Statement(id="p1", text=text, section=section)
    draft = prepared.draft.model_copy(
        update={"sections": (Section(name=section, statements=(st,)),)}
    )
    opts = VerifyOptions(omissions=False, support_threshold=SUPPORT_THRESHOLD)
    ends = []
    for score in (0.0, 1.0):
        spy = _Spy(score)
        verdict = verify(draft, [prepared.source], options=opts, entailer=spy).verdicts[0]
        if not spy.called:
            return False, 2.0
        ends.append(verdict)
    low, high = ends
    if low.label == high.label or high.score <= low.score:
        return True, 0.0 if low.label == "supported" else 2.0
    return True, (SUPPORT_THRESHOLD - low.score) / (high.score - low.score)


def _features(text: str, index: SourceIndex, terms: SourceTerms) -> tuple[float, ...] | None:
    an = analyze(text)
    if not any(not t.startswith("#") for t in an.terms):
        return None
    positions = [p for p, _ in index.search(an.terms, k=5)]
    return alignment(text, index, positions, terms) if positions else None


def fit(
    rows: Sequence[Record], *, clean_flag_rate: float, l2: float = 1.0, meta: dict | None = None
) -> SupportWeights:
    """Fit the logistic regression on ``rows`` and set its operating point.

    Args:
        rows: Training records (both labels needed).
        clean_flag_rate: Share of the training clean sentences the model leaves below
            their cutoff (the support threshold, blended with the checkers).
        l2: Penalty on the standardised weights.
        meta: Provenance written with the weights.
    """
    import numpy as np

    from evident.verify._logistic import fit_logistic, rounded

    y = [1.0 if r.supported else 0.0 for r in rows]
    try:
        mean, scale, z, w = fit_logistic([r.features for r in rows], y, l2)
    except ValueError:
        raise ValueError("training needs both supported and perturbed statements") from None
    # flagged where sigmoid(z + shift) < cutoff, i.e. shift < logit(cutoff) - z
    calib = np.array([r.supported and 0 < r.cutoff <= 1 for r in rows])
    if not calib.any():
        raise ValueError("calibration needs clean statements the entailer decides")
    cut = np.clip(np.array([r.cutoff for r in rows], dtype=float)[calib], 1e-4, 1 - 1e-4)
    margin = np.log(cut / (1 - cut)) - z[calib] @ w
    bias = float(w[0]) + float(np.quantile(margin, 1 - clean_flag_rate))
    return SupportWeights(
        version=1,
        features=FEATURES,
        **rounded(mean, scale, w, bias),
        cutoff=SUPPORT_THRESHOLD,
        meta=meta or {},
    )


def evaluate(
    rows: Sequence[Record], weights: SupportWeights, family: str
) -> dict[str, dict[str, Split]]:
    """Detection of ``family``'s items (per type and ``all``) and the clean flag rate for
    the lexical coverage score, for coverage by a window of neighbouring turns and for the
    model, each against the records' cutoffs (so that a statement the checkers carry or
    cap counts as the decision table would label it), and for the lexical score shifted
    to flag as many clean sentences as the model does.

    As in the benchmark, an item counts for a scorer only when that scorer supports the
    sentence it was made from (an invented sentence always counts).
    """
    model = [weights.probability(r.features) - r.cutoff for r in rows]
    lexical = [r.features[0] - r.cutoff for r in rows]
    window = [r.features[2] - r.cutoff for r in rows]  # the structural alternative
    clean = [i for i, r in enumerate(rows) if r.supported]
    model_flags = sum(model[i] < 0 for i in clean)
    ranked = sorted(lexical[i] for i in clean)
    matched = ranked[min(len(ranked) - 1, model_flags)] if ranked else 0.0
    scorers = {
        "lexical": (lexical, 0.0),
        "lexical@same-clean-rate": (lexical, matched),
        "window": (window, 0.0),
        "support": (model, 0.0),
    }
    return {name: _splits(rows, scores, cut, family) for name, (scores, cut) in scorers.items()}


def _splits(
    rows: Sequence[Record], scores: Sequence[float], cut: float, family: str
) -> dict[str, Split]:
    ok = {
        (r.encounter, r.sentence)
        for r, s in zip(rows, scores, strict=True)
        if r.supported and s >= cut
    }
    clean = [s for r, s in zip(rows, scores, strict=True) if r.supported]
    flagged = sum(s < cut for s in clean) / max(1, len(clean))
    items = [
        (r, s)
        for r, s in zip(rows, scores, strict=True)
        if not r.supported
        and r.family == family
        and (r.sentence < 0 or (r.encounter, r.sentence) in ok)
    ]
    out: dict[str, Split] = {}
    types = sorted({r.type for r in rows if not r.supported and r.family == family})
    for t in ("all", *types):
        sub = [s for r, s in items if t == "all" or r.type == t]
        det = sum(s < cut for s in sub) / max(1, len(sub))
        out[t] = Split(det, len(sub), flagged, len(clean))
    return out
