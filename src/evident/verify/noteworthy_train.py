"""Training the noteworthy-turn model (``evident train omissions``) from the development
half only.

Each development-half encounter's reference note is verified against its dialogue (no
omission search); a turn (:func:`evident.verify.noteworthy.turns`) is noteworthy when a
supported sentence of the note cites it or the question it answers. A logistic regression
(:func:`evident.verify._logistic.fit_logistic`, deterministic) is fitted on every turn;
the probability cutoff and the draft coverage under which a noteworthy turn is an
omission are given (chosen with ``evident bench omissions --half dev``) and stored with
the weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from evident.errorgen import half
from evident.verify.bench import Encounter, parse
from evident.verify.check import verify
from evident.verify.index import SourceIndex
from evident.verify.noteworthy import FEATURES, NoteworthyWeights, turns
from evident.verify.omissions import question_speakers
from evident.verify.options import VerifyOptions

__all__ = ["auroc", "fit", "records"]


def records(encounters: Iterable[Encounter]) -> list[tuple[tuple[float, ...], bool]]:
    """(features, noteworthy) for every turn of the development-half encounters; a
    test-half encounter is skipped before its text is read."""
    opts = VerifyOptions(omissions=False)
    out: list[tuple[tuple[float, ...], bool]] = []
    for enc in encounters:
        if half(enc.id) != "dev":
            continue
        src, draft = parse(enc)
        report = verify(draft, [src], options=opts)
        cited = {s for v in report.verdicts if v.label == "supported" for s in v.evidence}
        for turn in turns(SourceIndex([src]), question_speakers()):
            out.append((turn.features, turn.segment in cited or turn.question in cited))
    return out


def fit(
    rows: Sequence[tuple[tuple[float, ...], bool]],
    *,
    cutoff: float,
    coverage: float,
    l2: float = 1.0,
    meta: dict | None = None,
) -> NoteworthyWeights:
    """Fit the model on ``rows`` and store the operating point with it.

    Raises:
        ValueError: Only one label is present.
    """
    from evident.verify._logistic import fit_logistic, rounded

    try:
        mean, scale, _, w = fit_logistic([x for x, _ in rows], [float(y) for _, y in rows], l2)
    except ValueError:
        raise ValueError("training needs noteworthy turns and others") from None
    return NoteworthyWeights(
        version=1,
        features=FEATURES,
        **rounded(mean, scale, w),
        cutoff=cutoff,
        coverage=coverage,
        meta=meta or {},
    )


def auroc(rows: Sequence[tuple[tuple[float, ...], bool]], weights: NoteworthyWeights) -> float:
    """Area under the ROC curve of the model's probability for the rows' labels (ties
    count half)."""
    scored = [(weights.probability(x), y) for x, y in rows]
    pos = [p for p, y in scored if y]
    neg = [p for p, y in scored if not y]
    if not pos or not neg:
        return float("nan")
    neg.sort()
    from bisect import bisect_left, bisect_right

    wins = sum(
        bisect_left(neg, p) + 0.5 * (bisect_right(neg, p) - bisect_left(neg, p)) for p in pos
    )
    return wins / (len(pos) * len(neg))
