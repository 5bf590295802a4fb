"""How good and how private a synthetic table is, against the real one.

- **Fidelity**: SDMetrics' quality report (column shapes: how alike each column's
  distribution is; column-pair trends: how alike the pairwise correlations and
  contingency tables are), 0–100%.
- **Utility**: train on synthetic, test on a real holdout (TSTR), against train on real,
  test on the same holdout (TRTR): AUROC of a gradient-boosted classifier for a binary
  target. A small gap means models built on the synthetic data work on real patients.
- **Privacy**: distance to the closest real record (DCR) of synthetic rows, against the
  same distance of real holdout rows (people the generator never saw). A ratio of
  medians near or above 1 means synthetic rows are no closer to the real people than new
  real people are; exact copies of real rows are counted apart. And an attack: the
  linkability risk of :mod:`evident.synthetic.attack`.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from evident.errors import ConfigError, InputError
from evident.synthetic.attack import MEANING as LINK_MEANING
from evident.synthetic.attack import linkability
from evident.synthetic.dates import as_days
from evident.synthetic.spec import NUMERIC_TYPES

__all__ = ["dcr", "evaluate", "fidelity", "split_holdout", "utility"]

logger = logging.getLogger(__name__)

MEANING = {
    "fidelity": "SDMetrics quality (0-100%): how alike the columns and column pairs are",
    "utility": "AUROC on real holdout of a model trained on synthetic (TSTR) vs on real (TRTR)",
    "privacy": "median distance of synthetic rows to the closest real row, over the same for "
    "real holdout rows: >= 0.9 means no closer than unseen real people",
    "linkability": LINK_MEANING,
    "not measured": "what this report leaves out, and the input each part needs",
}


#: Why a report has no column-pair score (SDMetrics 0.32 scores only associated pairs).
PAIRS_UNSCORED = (
    "column-pair trends not scored: no pair of real columns is associated above SDMetrics'"
    " thresholds (correlation 0.5, Cramer's V 0.3), so quality is the column shapes alone"
)


def _numeric_columns(frame: Any, spec: Any | None) -> list[str]:
    import pandas as pd

    if spec is not None:
        return [n for n, c in spec.columns.items() if c.type in NUMERIC_TYPES]
    out = []
    for name in frame.columns:
        values = pd.to_numeric(frame[name], errors="coerce")
        if values.notna().mean() > 0.99 and frame[name].nunique() > 20:
            out.append(str(name))
    return out


def _prepare(
    frames: list[Any], numeric: list[str], dates: frozenset[str] = frozenset()
) -> list[Any]:
    """The frames' common columns: numbers (dates as days since 1970) or text."""
    import pandas as pd

    common = [c for c in frames[0].columns if all(c in f.columns for f in frames[1:])]
    out = []
    for f in frames:
        g = f[common].copy()
        for c in common:
            if c in dates:
                g[c] = as_days(g[c])
            else:
                g[c] = pd.to_numeric(g[c], errors="coerce") if c in numeric else g[c].astype(str)
        out.append(g)
    return out


def fidelity(real: Any, synthetic: Any, numeric: list[str]) -> dict[str, Any]:
    """SDMetrics' quality report: overall score and its two properties (percentages)."""
    with warnings.catch_warnings():
        # SDMetrics 0.32 announces a multi-table successor; the single-table report is
        # the one that scores one table and is kept here until it goes.
        warnings.simplefilter("ignore", FutureWarning)
        try:
            from sdmetrics.reports.single_table import QualityReport
        except ImportError:
            raise ConfigError("SDMetrics is not installed: pip install 'evident[synth]'") from None
    metadata = {
        "columns": {
            c: {"sdtype": "numerical" if c in numeric else "categorical"} for c in real.columns
        }
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = QualityReport()
        report.generate(real, synthetic, metadata, verbose=False)
    props = report.get_properties()
    shapes = report.get_details("Column Shapes")
    pairs = report.get_details("Column Pair Trends")
    scored = pairs["Score"].notna()
    if "Meets Threshold?" in pairs.columns:
        scored &= pairs["Meets Threshold?"].astype("boolean").fillna(False)
    out = {
        "quality": round(100 * float(report.get_score()), 2),
        "properties": {str(r.Property): round(100 * float(r.Score), 2) for r in props.itertuples()},
        "column_shapes": {str(r.Column): round(float(r.Score), 4) for r in shapes.itertuples()},
        "pairs_scored": int(scored.sum()),
        "pairs": len(pairs),
    }
    if len(pairs) and not out["pairs_scored"]:
        out["note"] = PAIRS_UNSCORED
    return out


def _xy(frame: Any, target: str, positive: str, numeric: list[str]) -> tuple[Any, Any]:
    x = frame.drop(columns=[target])
    y = (frame[target].astype(str) == positive).astype(int).to_numpy()
    return x, y


def utility(
    real: Any,
    synthetic: Any,
    holdout: Any,
    target: str,
    positive: str,
    numeric: list[str],
    seed: int,
) -> dict[str, Any]:
    """TSTR and TRTR AUROC on the real holdout (gradient boosting, categorical-aware)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import OrdinalEncoder
    from threadpoolctl import threadpool_limits

    if target not in real.columns:
        raise InputError(f"target column '{target}' is not in the tables")
    xs = {}
    for name, frame in (("real", real), ("synthetic", synthetic), ("holdout", holdout)):
        xs[name] = _xy(frame, target, positive, numeric)
    cats = [c for c in xs["real"][0].columns if c not in numeric]
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    enc.fit(xs["real"][0][cats].astype(str))

    def matrix(x: Any) -> Any:
        num = x[[c for c in x.columns if c in numeric]].to_numpy(dtype=float)
        return np.hstack([enc.transform(x[cats].astype(str)), num])

    mask = [True] * len(cats) + [False] * (len(xs["real"][0].columns) - len(cats))
    hx, hy = matrix(xs["holdout"][0]), xs["holdout"][1]
    if hy.min() == hy.max():
        raise InputError(f"the holdout has only one class of '{target}'")
    out: dict[str, Any] = {"target": f"{target} == {positive}", "holdout_rows": len(hy)}
    for name in ("real", "synthetic"):
        x, y = xs[name]
        if y.min() == y.max():
            out[name] = None
            continue
        model = HistGradientBoostingClassifier(
            categorical_features=np.array(mask), max_iter=150, random_state=seed
        )
        # One thread: OpenMP threads spinning against a busy machine cost far more than
        # they give on a table of this size.
        with threadpool_limits(1):
            model.fit(matrix(x), y)
            proba = model.predict_proba(hx)[:, 1]
        out[name] = round(float(roc_auc_score(hy, proba)), 4)
    out["trtr_auroc"], out["tstr_auroc"] = out.pop("real"), out.pop("synthetic")
    if out["trtr_auroc"] is not None and out["tstr_auroc"] is not None:
        out["gap"] = round(out["trtr_auroc"] - out["tstr_auroc"], 4)
    return out


def dcr(
    real: Any, synthetic: Any, holdout: Any, numeric: list[str], sample: int, seed: int
) -> dict[str, Any]:
    """Distances to the closest real record: synthetic rows against real holdout rows."""
    import numpy as np
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import OneHotEncoder

    rng = np.random.default_rng(seed)

    def take(frame: Any, n: int) -> Any:
        return frame.iloc[rng.choice(len(frame), size=min(n, len(frame)), replace=False)]

    ref, syn, hold = take(real, 4 * sample), take(synthetic, sample), take(holdout, sample)
    cats = [c for c in real.columns if c not in numeric]
    onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(ref[cats].astype(str))
    lo = ref[numeric].min() if numeric else None
    span = (ref[numeric].max() - lo).replace(0, 1) if numeric else None

    def matrix(x: Any) -> Any:
        parts = [onehot.transform(x[cats].astype(str))]
        if numeric:
            parts.append(((x[numeric] - lo) / span).fillna(0).clip(0, 1).to_numpy(dtype=float))
        return np.hstack(parts)

    nn = NearestNeighbors(n_neighbors=1).fit(matrix(ref))
    d_syn = nn.kneighbors(matrix(syn))[0][:, 0]
    d_hold = nn.kneighbors(matrix(hold))[0][:, 0]
    med_syn, med_hold = float(np.median(d_syn)), float(np.median(d_hold))
    return {
        "synthetic_median": round(med_syn, 4),
        "holdout_median": round(med_hold, 4),
        "ratio": round(med_syn / med_hold, 4) if med_hold else None,
        "synthetic_exact_copies": round(float(np.mean(d_syn == 0)), 4),
        "holdout_exact_copies": round(float(np.mean(d_hold == 0)), 4),
        "rows_compared": len(d_syn),
    }


def split_holdout(frame: Any, by: str | None, share: float, seed: int) -> tuple[Any, Any]:
    """Split a table into training and holdout parts, by a group column (patients).

    Raises:
        InputError: The group column is missing, or the share is outside (0, 1).
    """
    import hashlib

    import numpy as np

    if not 0 < share < 1:
        raise InputError("the holdout share must be between 0 and 1")
    if by is not None and by not in frame.columns:
        raise InputError(f"column '{by}' is not in the table")
    keys = frame[by].astype(str) if by else frame.index.astype(str)
    cut = int(share * 10_000)

    def bucket(key: str) -> int:
        return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16) % 10_000

    # A Series (by a column) or an Index (by row) maps to its own kind: compare as an array.
    held = np.asarray(keys.map(bucket)) < cut
    return frame[~held], frame[held]


def _check_columns(real: Any, synthetic: Any) -> None:
    """Refuse tables that cannot be one's synthetic copy of the other.

    The synthetic table may lack the real one's identifier and dropped columns, not
    have columns of its own.
    """
    if not any(c in real.columns for c in synthetic.columns):
        raise InputError("the synthetic table shares no column with the real table")
    extra = [c for c in synthetic.columns if c not in real.columns]
    if extra:
        raise InputError(f"the synthetic table has column '{extra[0]}', which the real table lacks")


def evaluate(
    real: Any,
    synthetic: Any,
    holdout: Any | None,
    *,
    target: str | None = None,
    positive: str | None = None,
    spec: Any | None = None,
    sample: int = 5000,
    seed: int = 0,
) -> dict[str, Any]:
    """Fidelity, utility (with a target and a holdout) and privacy (with a holdout).

    Args:
        real: The real table the synthesizer was trained on.
        synthetic: The synthetic table.
        holdout: Real rows the synthesizer never saw (for utility and privacy).
        target: The binary target column for utility; ``positive`` its positive value.
        spec: The column spec (which columns are numeric); inferred when None.
        sample: Rows compared for fidelity (x4) and privacy; keeps the report quick.
        seed: Sampling seed.
    """
    _check_columns(real, synthetic)
    numeric = _numeric_columns(real, spec)
    if spec is not None:  # real rows read through the same public groupings
        from evident.synthetic.spec import apply_groupings

        real = apply_groupings(real, spec)
        holdout = apply_groupings(holdout, spec) if holdout is not None else None
    frames = [real, synthetic] + ([holdout] if holdout is not None else [])
    dates = (
        frozenset(n for n, c in spec.columns.items() if c.type == "date") if spec else frozenset()
    )
    prepared = _prepare(frames, numeric, dates)
    real_p, syn_p = prepared[0], prepared[1]
    numeric = [c for c in numeric if c in real_p.columns]
    fid_real = real_p.sample(min(len(real_p), 4 * sample), random_state=seed)
    fid_syn = syn_p.sample(min(len(syn_p), 4 * sample), random_state=seed)
    out: dict[str, Any] = {
        "meaning": MEANING,
        "rows": {"real": len(real), "synthetic": len(synthetic)},
    }
    out["fidelity"] = fidelity(fid_real, fid_syn, numeric)
    out["not_measured"] = _not_measured(holdout is not None, target)
    if holdout is not None:
        hold_p = prepared[2]
        out["rows"]["holdout"] = len(holdout)
        if target:
            pos = positive if positive is not None else str(real_p[target].mode().iloc[0])
            out["utility"] = utility(real_p, syn_p, hold_p, target, pos, numeric, seed)
        out["privacy"] = dcr(real_p, syn_p, hold_p, numeric, sample, seed)
        out["linkability"] = linkability(
            real_p, syn_p, hold_p, numeric, n_attacks=max(50, sample // 10), seed=seed
        )
    return out


def _not_measured(holdout: bool, target: str | None) -> list[str]:
    """What the report leaves out for want of an input, one line each."""
    if not holdout:
        return [
            "utility and privacy: need --holdout (real rows the synthesizer never saw)"
            + ("" if target else " and --target for utility")
        ]
    return [] if target else ["utility: needs --target (a binary column)"]
