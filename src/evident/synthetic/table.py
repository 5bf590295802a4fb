"""Differentially private synthesis of one table on smartnoise-synth (MST, AIM, MWEM).

Every kept column becomes codes over its *public* domain before the synthesizer sees it:
categories by their declared list, numbers by their declared bounds cut into equal bins
(clamped; an extra code for missing values where the column is nullable). The
synthesizer's transformer is fitted on that public domain, not on the data, so no budget
goes to preprocessing and none is spent silently (smartnoise-synth issues #480, #485):
the whole ε goes to the mechanism. Sampled codes come back as the input's types: a
category as its text, a number drawn uniformly inside its bin (integers as integers,
continuous values to the spec's ``decimals``, dates as whole days written YYYY-MM-DD).
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import secrets
import time
import warnings
from dataclasses import asdict, dataclass
from typing import Any, Literal

from evident.errors import ConfigError, InputError
from evident.synthetic.dates import iso_dates, parse_days
from evident.synthetic.groupings import grouping
from evident.synthetic.spec import ColumnSpec, TableSpec, check_spec
from evident.synthetic.structure import DESIGNS, TARGET_WEIGHT, Design, target_mst

__all__ = [
    "TARGET_MODELS",
    "Budget",
    "Synthesizer",
    "TargetModel",
    "check_mwem",
    "decode",
    "encode",
    "synthesize",
]

logger = logging.getLogger(__name__)

Synthesizer = Literal["mst", "aim", "mwem"]
MAX_ROWS_OUT = 10_000_000
#: MWEM fits the whole joint histogram: about 2 ms of CPU per cell on the 2-core VM
#: (13,056 cells: 21 s; 208,896 cells: 429 s), so a table over this many cells would
#: run for minutes to hours with nothing to show.
MWEM_MAX_CELLS = 100_000
MWEM_CPU_S_PER_CELL = 0.002
TargetModel = Literal["none", "logistic", "bayes"]
TARGET_MODELS: tuple[TargetModel, ...] = ("none", "logistic", "bayes")
# ρ shares with --target-model logistic: the predictors' MST, the private choice of the
# model's columns, and the model's weights (chosen on the development split; the figures are in
# docs/benchmarks.md at git 48ac5cc), and the model's public settings.
LOGISTIC_SHARES = {"mst": 0.5, "selection": 0.1, "weights": 0.4}
LOGISTIC_C = 0.001
LOGISTIC_COLUMNS = 8
# Columns of the naive-Bayes target model (chosen on the development split; the figures are in
# docs/benchmarks.md at git 48ac5cc): each one more noisy table in every row's posterior.
BAYES_COLUMNS = 5


@dataclass(frozen=True)
class Budget:
    """What a synthesis spent and did (written to the report and the audit trail)."""

    epsilon: float
    delta: float
    mechanism: str
    target: str | None
    structure: Design | None
    target_weight: float | None
    target_model: TargetModel | None
    target_model_c: float | None
    target_model_columns: tuple[str, ...]
    rho: float | None
    ledger: tuple[tuple[str, float, int], ...]
    preprocessing_epsilon: float
    preprocessing_share: float
    rows_in: int
    rows_out: int
    columns_kept: tuple[str, ...]
    identifiers_dropped: tuple[str, ...]
    columns_dropped: tuple[str, ...]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = asdict(self)
        for key in (
            "columns_kept",
            "identifiers_dropped",
            "columns_dropped",
            "target_model_columns",
        ):
            out[key] = list(out[key])
        out["ledger"] = [
            {
                "step": step,
                "rho": rho,
                "share": rho / self.rho if self.rho else None,
                "measurements": k,
            }
            for step, rho, k in self.ledger
        ]
        if self.rho:
            out["composition"] = (
                "zCDP: the steps' rho add up to rho, which gives (epsilon, delta) "
                "by the conversion of Canonne, Kamath & Steinke 2020 (OpenDP)"
            )
        return out


def _cardinality(col: ColumnSpec) -> int:
    if col.type == "categorical":
        return len(col.categories or ())
    return col.bins + (1 if col.nullable else 0)


def _numbers(series: Any, date: bool, name: str) -> Any:
    """A numeric or date column's cells as floats (days for dates), NaN where empty."""
    import pandas as pd

    if date:
        values, bad = parse_days(series)
    else:  # read as text, a missing number is an empty cell
        series = series.where(series.astype("string").str.strip() != "", None)
        values = pd.to_numeric(series, errors="coerce")
        bad = values.isna() & series.notna()
    if bad.any():
        kind = "dates written YYYY-MM-DD" if date else "numbers"
        raise InputError(f"column '{name}' has values that are not {kind}")
    return values


def check_mwem(spec: TableSpec) -> None:
    """Refuse MWEM for a joint histogram over :data:`MWEM_MAX_CELLS` cells.

    Raises:
        ConfigError: The cell count and the CPU it would take, with what to use instead.
    """
    cells = math.prod(_cardinality(c) for c in spec.columns.values() if c.kept)
    if cells > MWEM_MAX_CELLS:
        raise ConfigError(
            f"MWEM holds the whole joint histogram ({cells:,} cells here, over "
            f"{MWEM_MAX_CELLS:,}, about {cells * MWEM_CPU_S_PER_CELL / 60:,.0f} minutes "
            "of CPU): use --synthesizer mst or aim for a table this wide, or fewer bins"
        )


def encode(frame: Any, spec: TableSpec) -> Any:
    """The kept columns as integer codes over their public domains (a DataFrame).

    Raises:
        InputError: A value outside its column's declared domain, or a missing value in
            a column not declared nullable (names the column, never the value).
    """
    import numpy as np
    import pandas as pd

    out = {}
    for name, col in spec.columns.items():
        if not col.kept:
            continue
        series = frame[name]
        if col.type == "categorical":
            if col.grouping is not None:
                series = grouping(col.grouping).apply(series)
            index = {c: i for i, c in enumerate(col.categories or ())}
            codes = series.astype("string").map(index)
            if codes.isna().any():
                raise InputError(f"column '{name}' has values outside its declared categories")
            out[name] = codes.astype("int64")
            continue
        values = _numbers(series, col.type == "date", name)
        if values.isna().any() and not col.nullable:
            raise InputError(f"column '{name}' has missing values: declare it 'nullable: true'")
        # Values outside the declared bounds are clamped into the first or last bin.
        inner = np.asarray(col.cut_points()[1:-1])
        codes = np.searchsorted(inner, np.nan_to_num(values.to_numpy(dtype=float)), side="right")
        codes[values.isna().to_numpy()] = col.bins
        out[name] = pd.Series(codes.astype("int64"), index=frame.index)
    return pd.DataFrame(out)


def decode(codes: Any, spec: TableSpec, seed: int) -> Any:
    """Sampled codes back into the input's types (numbers drawn inside their bins)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    out = {}
    for name, col in spec.columns.items():
        if not col.kept:
            continue
        c = codes[name].to_numpy(dtype="int64")
        if col.type == "categorical":
            cats = np.array(col.categories, dtype=object)
            out[name] = pd.Series(cats[np.clip(c, 0, len(cats) - 1)])
            continue
        edges = np.asarray(col.cut_points())
        missing = c >= col.bins
        left, right = edges[np.clip(c, 0, col.bins - 1)], edges[np.clip(c, 0, col.bins - 1) + 1]
        if col.type in ("integer", "date"):
            first = np.ceil(left - 1e-9)
            last = np.maximum(first, np.ceil(right - 1e-9) - 1)
            values = rng.integers(first.astype("int64"), last.astype("int64") + 1)
            series = pd.Series(values, dtype="Int64")
        else:
            drawn = left + rng.random(len(c)) * (right - left)
            if col.decimals is not None:  # written as precisely as the input, inside bounds
                drawn = np.clip(np.round(drawn, col.decimals), edges[0], edges[-1])
            series = pd.Series(drawn, dtype="float64")
        series[missing] = np.nan if col.type == "continuous" else pd.NA
        out[name] = iso_dates(series) if col.type == "date" else series
    return pd.DataFrame(out)


def _transformer(spec: TableSpec, skip: str | None = None) -> Any:
    """A smartnoise TableTransformer fitted on the public domain (not on the data)."""
    import pandas as pd
    from snsynth.transform import LabelTransformer, TableTransformer

    kept = [(n, c) for n, c in spec.columns.items() if c.kept and n != skip]
    width = max(_cardinality(c) for _, c in kept)
    public = pd.DataFrame({n: [i % _cardinality(c) for i in range(width)] for n, c in kept})
    tt = TableTransformer([LabelTransformer(nullable=False) for _ in kept])
    tt.fit(public)
    return tt


def _sample(model: Any, synthesizer: Synthesizer, rows: int) -> Any:
    """Rows from the fitted model, each drawn independently of the others.

    AIM's own ``sample`` uses mbi 1.1.0's rounding sampler, which ties columns the model
    keeps independent (see :class:`evident.synthetic.structure.target_mst`'s ``sample``).
    """
    if synthesizer != "aim":
        return model.sample(rows)
    data = model.synthesizer.synthetic_data(rows=rows, method="sample")
    names = [f"col{i}" for i in range(model._transformer.output_width)]
    return model._transformer.inverse_transform([tuple(t[1:]) for t in data.df[names].itertuples()])


def _draw_target(
    codes: Any,
    sampled: Any,
    spec: TableSpec,
    target: str,
    rho: float,
    kind: TargetModel,
    c: float,
    seed: int,
) -> tuple[Any, list[tuple[str, float, int]], tuple[str, ...]]:
    """Targets for the sampled rows from a DP model of the real rows (ρ-zCDP in all)."""
    from evident.synthetic.bayes import fit_naive_bayes
    from evident.synthetic.conditional import fit_logistic, select_columns

    pred = [c for c in codes.columns if c != target]
    card = [_cardinality(spec.columns[c]) for c in pred]
    classes = _cardinality(spec.columns[target])
    x, y = codes[pred].to_numpy(), codes[target].to_numpy()
    share = LOGISTIC_SHARES["selection"] / (
        LOGISTIC_SHARES["selection"] + LOGISTIC_SHARES["weights"]
    )
    m = min(BAYES_COLUMNS if kind == "bayes" else LOGISTIC_COLUMNS, len(pred))
    cols = select_columns(x, y, card, classes, m, share * rho)
    chosen = [card[i] for i in cols]
    released: Any
    if kind == "bayes":
        released = fit_naive_bayes(x[:, cols], y, chosen, classes, (1 - share) * rho)
        steps = [
            ("target_model_selection", share * rho, m),
            ("target_model_tables", (1 - share) * rho, len(cols)),
        ]
    else:
        released = fit_logistic(x[:, cols], y, chosen, classes, c, (1 - share) * rho)
        steps = [
            ("target_model_selection", share * rho, m),
            ("target_model_weights", (1 - share) * rho, int(released.weights.size)),
        ]
    drawn = released.sample(sampled[[pred[i] for i in cols]].to_numpy(), seed)
    return drawn, steps, tuple(pred[i] for i in cols)


def synthesize(
    frame: Any,
    spec: TableSpec,
    *,
    epsilon: float,
    delta: float | None = None,
    rows: int | None = None,
    synthesizer: Synthesizer = "mst",
    seed: int = 0,
    target: str | None = None,
    structure: Design = "pairs",
    target_model: TargetModel = "bayes",
    target_share: float = LOGISTIC_SHARES["selection"] + LOGISTIC_SHARES["weights"],
    target_c: float = LOGISTIC_C,
) -> tuple[Any, Budget]:
    """Synthesise ``rows`` rows of the kept columns with ``epsilon``-DP.

    Args:
        frame: The real table (a pandas DataFrame; all columns as text is fine).
        spec: Its column spec (see :mod:`evident.synthetic.spec`).
        epsilon: The privacy budget, all of it for the mechanism.
        delta: δ; None uses 1 / (n · √n). MWEM is pure ε-DP (δ = 0).
        rows: Rows to sample; None samples as many as the input has.
        synthesizer: ``mst`` (default), ``aim`` or ``mwem``.
        seed: Seed of the sampling and of the draws inside bins.
        target: A column models will predict (MST only): measured jointly with every
            other column, at no extra budget (see :mod:`evident.synthetic.structure`).
        structure: With a target, ``pairs`` (default: MST's tree and the target's
            pairs) or ``tan`` (a tree among the predictors chosen on their dependence given
            the target, measured as 3-way marginals with it); with ``target_model``
            ``none`` only.
        target_model: With a target, ``bayes`` (default) or ``logistic``: MST
            synthesises the other columns and each row's target is drawn from a DP model of
            it: a logistic regression on them (:mod:`evident.synthetic.conditional`), or
            naive Bayes on a few of them (:mod:`evident.synthetic.bayes`; the best on
            the diabetes table, see docs/benchmarks.md); ``none``: the target is one more
            MST column, measured as ``structure`` says.
        target_share: The part of the budget's ρ the target model spends (a fifth
            of it choosing its columns); MST spends the rest.
        target_c: The logistic model's inverse regularisation (public). The noise grows
            with it; the default suits tables of tens of thousands of rows.

    Returns:
        The synthetic table and the budget spent.

    Raises:
        InputError: A spec that would leak, or values outside the declared domain.
        ConfigError: smartnoise-synth is not installed, or bad parameters.
    """
    import numpy as np

    try:
        from snsynth import Synthesizer as _Snsynth
    except ImportError:
        raise ConfigError(
            "smartnoise-synth is not installed: pip install 'evident[synth]'"
        ) from None
    if not 0 < epsilon <= 100:
        raise ConfigError(f"epsilon must be in (0, 100], got {epsilon}")
    n = len(frame)
    if n < 10:
        raise InputError(f"the table has {n} rows: too few to synthesise")
    delta = delta if delta is not None else 1.0 / (n * n**0.5)
    if not 0 < delta < 1:
        raise ConfigError(f"delta must be in (0, 1), got {delta}")
    rows = n if rows is None else rows
    if not 0 < rows <= MAX_ROWS_OUT:
        raise ConfigError(f"rows must be in 1..{MAX_ROWS_OUT}")
    share = {c: frame[c].nunique(dropna=True) / n for c in frame.columns}
    check_spec(spec, [str(c) for c in frame.columns], share)
    if synthesizer == "mwem":
        check_mwem(spec)
    t0 = time.perf_counter()
    codes = encode(frame, spec)
    kept = [n for n, c in spec.columns.items() if c.kept]
    if target is not None and (target not in kept or synthesizer != "mst"):
        raise ConfigError("--target needs the MST synthesizer and a kept column")
    if structure not in DESIGNS:
        raise ConfigError(f"structure must be one of {', '.join(DESIGNS)}")
    if target_model not in TARGET_MODELS:
        raise ConfigError(f"target model must be one of {', '.join(TARGET_MODELS)}")
    drawn = target is not None and target_model != "none"
    logistic = drawn and target_model == "logistic"
    if drawn and not 0 < target_share < 1:
        raise ConfigError(
            f"--target-share {target_share:g} would leave nothing or spend more than the budget: "
            "it must be in (0, 1)"
        )
    if logistic and not 0 < target_c <= 10:
        raise ConfigError(f"--target-c must be in (0, 10], got {target_c:g}")
    if drawn and structure != "pairs":
        raise ConfigError("--structure applies to --target-model none only")
    # The mechanisms' own random choices (AIM's and MWEM's selections) must not follow
    # the public --seed: numpy's global generator is reseeded from the OS for the fit.
    # MST's draws use the OS's cryptographic source, its noise OpenDP's.
    np.random.seed([secrets.randbits(32) for _ in range(4)])
    if synthesizer == "mwem":  # pure ε-DP: no δ
        delta = 0.0
        model = _Snsynth.create(synthesizer, epsilon=float(epsilon), verbose=False)
    elif synthesizer == "mst":
        cls = (
            target_mst(None, share=1.0 - target_share)
            if drawn
            else target_mst(kept.index(target) if target else None, structure)
        )
        model = cls(epsilon=float(epsilon), delta=delta)
    else:
        model = _Snsynth.create(synthesizer, epsilon=float(epsilon), delta=delta, verbose=False)
    fitted = codes.drop(columns=[target]) if drawn else codes
    # AIM prints its progress on stdout, which is the CLI's output: keep it out.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        # mbi warns that it prefers numpy arrays to the DataFrame smartnoise gives it.
        warnings.filterwarnings("ignore", category=UserWarning, module="mbi")
        warnings.filterwarnings("ignore", category=UserWarning, module="snsynth")
        model.fit(
            fitted,
            transformer=_transformer(spec, skip=target if drawn else None),
            preprocessor_eps=0.0,
        )
        np.random.seed(seed)  # sampling from the released model is post-processing
        sampled = _sample(model, synthesizer, rows)
    spent_pre = float(model._transformer.odometer.spent[0])
    import pandas as pd

    sampled = pd.DataFrame(sampled, columns=list(fitted.columns))
    ledger = [
        (e["step"], float(e["rho"]), int(e["measurements"])) for e in getattr(model, "ledger", ())
    ]
    chosen: tuple[str, ...] = ()
    if drawn and target is not None:
        sampled[target], steps, chosen = _draw_target(
            codes, sampled, spec, target, model.rho * target_share, target_model, target_c, seed
        )
        ledger += steps
    rho = getattr(model, "rho", None)
    if rho is not None and sum(r for _, r, _ in ledger) > rho * (1 + 1e-9):
        raise ConfigError("the synthesis would spend more than the budget asked for")
    out = decode(sampled[list(codes.columns)], spec, seed)
    out = out[[c for c in frame.columns if c in out.columns]]  # the input's column order
    budget = Budget(
        epsilon=float(epsilon),
        delta=float(delta),
        mechanism=synthesizer,
        target=target,
        structure=structure if target is not None else None,
        target_weight=(
            TARGET_WEIGHT if target is not None and structure == "pairs" and not drawn else None
        ),
        target_model=(target_model if target is not None else None),
        target_model_c=target_c if logistic else None,
        target_model_columns=chosen,
        rho=rho,
        ledger=tuple(ledger),
        preprocessing_epsilon=spent_pre,
        preprocessing_share=spent_pre / epsilon,
        rows_in=n,
        rows_out=rows,
        columns_kept=tuple(codes.columns),
        identifiers_dropped=tuple(n for n, c in spec.columns.items() if c.type == "identifier"),
        columns_dropped=tuple(n for n, c in spec.columns.items() if c.type == "drop"),
        seconds=round(time.perf_counter() - t0, 2),
    )
    return out, budget
