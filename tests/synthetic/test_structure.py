"""The target's structures: exact budget, types kept, conditional dependence learned."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from evident.errors import ConfigError, InputError
from evident.synthetic import synthesize
from evident.synthetic.spec import TableSpec
from tests.synthetic.conftest import SPEC


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer estimation steps: the tables here are tiny, and the cases test structure."""
    from evident.synthetic import structure

    monkeypatch.setattr(structure, "ESTIMATION_ITERS", 500)
    monkeypatch.setattr(structure, "SELECTION_ITERS", 200)


def _spent(model: Any) -> float:
    """ρ read off the measurements' noise (unit sensitivity) plus the selection steps."""
    gauss = sum(1.0 / (2.0 * m.stddev**2) for m in model.measurements)
    return gauss + sum(e["rho"] for e in model.ledger if e["step"] == "selection")


@pytest.mark.parametrize(
    ("design", "epsilon", "delta", "steps"),
    [
        ("tan", 1.0, 1e-6, ["one_way", "target_pairs", "selection", "triples"]),
        ("pairs", 1.0, 1e-6, ["one_way", "selection", "tree_and_target_pairs"]),
    ],
)
def test_budget_spent_is_the_budget_asked(
    design: str, epsilon: float, delta: float, steps: list[str]
) -> None:
    import numpy as np
    from mbi import Dataset, Domain
    from snsynth.utils import cdp_rho

    from evident.synthetic.structure import target_mst

    rng = np.random.default_rng(1)
    domain = Domain(["col0", "col1", "col2", "col3"], [3, 2, 4, 2])
    data = Dataset(rng.integers(0, 2, size=(300, 4)), domain=domain)
    model = target_mst(3, design)(epsilon=epsilon, delta=delta)  # type: ignore[arg-type]
    with warnings.catch_warnings():  # mbi prefers numpy arrays to MST's DataFrames
        warnings.filterwarnings("ignore", category=UserWarning, module="mbi")
        model.MST(data, epsilon, delta)
    asked = cdp_rho(epsilon, delta)
    assert [e["step"] for e in model.ledger] == steps
    assert sum(e["rho"] for e in model.ledger) == pytest.approx(asked, rel=1e-9)
    assert _spent(model) == pytest.approx(asked, rel=1e-9)


@pytest.mark.parametrize("weight", [1.0, 2.0, 4.0])
def test_target_pairs_are_measured_with_less_noise(weight: float) -> None:
    import numpy as np
    from mbi import Dataset, Domain

    from evident.synthetic.structure import target_mst

    rng = np.random.default_rng(0)
    cols = rng.integers(0, 2, size=(500, 3))
    cols[:, 1] = cols[:, 0]  # c0 = c1: the tree always takes that edge, away from the target
    data = Dataset(cols, domain=Domain(["c0", "c1", "c2"], [2, 2, 2]))
    model = target_mst(2, "pairs", weight)(epsilon=50.0, delta=1e-6)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="mbi")
        model.MST(data, 50.0, 1e-6)
    pairs = {m.clique: m.stddev for m in model.measurements if len(m.clique) == 2}
    assert ("c0", "c1") in pairs
    tree = pairs[("c0", "c1")]
    target = [sd for clique, sd in pairs.items() if "c2" in clique]
    assert len(target) == 2
    assert all(sd == pytest.approx(tree / weight) for sd in target)


@pytest.mark.parametrize("structure", ["tan", "pairs"])
def test_output_keeps_the_input_columns_and_types(table: Any, structure: str) -> None:
    out, budget = synthesize(
        table,
        TableSpec.model_validate(SPEC),
        epsilon=2.0,
        seed=5,
        target="readmitted",
        structure=structure,  # type: ignore[arg-type]
        target_model="none",
    )
    assert list(out.columns) == [c for c in table.columns if c != "patient_id"]
    assert len(out) == len(table)
    assert str(out.stay_days.dtype) == "Int64"
    assert out.stay_days.dropna().between(1, 15).all()
    assert out.glucose.dtype.kind == "f"
    assert set(out.readmitted) <= {"no", "yes"}
    report = budget.as_dict()
    assert report["structure"] == structure
    assert sum(e["share"] for e in report["ledger"]) == pytest.approx(1.0)
    assert report["preprocessing_share"] == 0.0


def _xor_table(n: int = 3000, seed: int = 0) -> Any:
    """``y`` is ``a`` xor ``b``: a and b are independent, and dependent given y."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 2, n), rng.integers(0, 2, n)
    flip = rng.random(n) < 0.05
    cols = {"a": a, "b": b, "noise1": rng.integers(0, 3, n), "noise2": rng.integers(0, 3, n)}
    frame = pd.DataFrame({k: v.astype(str) for k, v in cols.items()})
    frame["y"] = np.where((a ^ b) ^ flip, "yes", "no")
    return frame


_XOR_SPEC = {
    "columns": {
        "a": {"type": "categorical", "categories": ["0", "1"]},
        "b": {"type": "categorical", "categories": ["0", "1"]},
        "noise1": {"type": "categorical", "categories": ["0", "1", "2"]},
        "noise2": {"type": "categorical", "categories": ["0", "1", "2"]},
        "y": {"type": "categorical", "categories": ["no", "yes"]},
    }
}


@pytest.mark.parametrize(("structure", "learns_xor"), [("tan", True), ("pairs", False)])
def test_tan_learns_a_dependence_that_exists_only_given_the_target(
    structure: str, learns_xor: bool
) -> None:
    frame = _xor_table()
    out, _ = synthesize(
        frame,
        TableSpec.model_validate(_XOR_SPEC),
        epsilon=5.0,
        seed=1,
        target="y",
        structure=structure,  # type: ignore[arg-type]
        target_model="none",
    )
    xor = (out.a.astype(int) ^ out.b.astype(int)).map({1: "yes", 0: "no"})
    agreement = float((xor == out.y).mean())
    assert (agreement > 0.85) is learns_xor


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"structure": "star"}, ConfigError, "structure must be one of"),
        (
            {"structure": "tan", "target_model": "logistic"},
            ConfigError,
            "--structure applies to --target-model none",
        ),
        ({"target_model": "forest"}, ConfigError, "target model must be one of"),
        (
            {"target_share": 1.2, "target_model": "logistic"},
            ConfigError,
            "would leave nothing or spend more than the budget",
        ),
        (
            {"target_share": 0.0, "target_model": "logistic"},
            ConfigError,
            "would leave nothing or spend more than the budget",
        ),
        ({"synthesizer": "aim"}, ConfigError, "--target needs the MST"),
        ({"target": "patient_id"}, ConfigError, "--target needs the MST"),
    ],
)
def test_bad_target_settings(
    table: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    args = {"epsilon": 1.0, "target": "readmitted", **kwargs}
    with pytest.raises(error, match=message) as info:
        synthesize(table, TableSpec.model_validate(SPEC), **args)
    assert "\n" not in str(info.value)


def test_a_leaking_spec_is_refused_with_a_target(table: Any) -> None:
    raw = {"columns": {**SPEC["columns"], "patient_id": {"type": "categorical"}}}
    raw["columns"]["patient_id"]["categories"] = sorted(set(table.patient_id))
    with pytest.raises(InputError, match="patient_id") as info:
        synthesize(table, TableSpec.model_validate(raw), epsilon=1.0, target="readmitted")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("synthesizer", ["aim"])
def test_no_continuous_columns(table: Any, synthesizer: str) -> None:
    """smartnoise-synth #575: AIM failed on tables with no continuous column."""
    cols = {k: v for k, v in SPEC["columns"].items() if k not in ("stay_days", "glucose")}
    out, budget = synthesize(
        table[list(cols)],
        TableSpec.model_validate({"columns": cols}),
        epsilon=2.0,
        seed=3,
        synthesizer=synthesizer,  # type: ignore[arg-type]
    )
    assert list(out.columns) == ["age_band", "sex", "readmitted"]
    assert budget.mechanism == synthesizer
    assert budget.preprocessing_epsilon == 0.0


def _hub_table(n: int, seed: int) -> Any:
    """``a`` and ``b`` follow ``h`` and are independent given it; ``c`` follows nothing."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    h = rng.integers(0, 3, n)
    a = np.where(rng.random(n) < 0.6, h, rng.integers(0, 3, n))
    b = np.where(rng.random(n) < 0.6, h, rng.integers(0, 3, n))
    c = rng.integers(0, 2, n)
    return pd.DataFrame({k: v.astype(str) for k, v in {"h": h, "a": a, "b": b, "c": c}.items()})


def _conditional_mi(frame: Any, x: str, y: str, given: str | None) -> float:
    """I(x; y | given) in nats, from the frame's counts."""
    import numpy as np
    import pandas as pd

    groups = [frame] if given is None else [g for _, g in frame.groupby(given)]
    out = 0.0
    for g in groups:
        p = pd.crosstab(g[x], g[y]).to_numpy(dtype=float)
        p /= p.sum()
        e = np.outer(p.sum(axis=1), p.sum(axis=0))
        nz = p > 0
        out += len(g) / len(frame) * float((p[nz] * np.log(p[nz] / e[nz])).sum())
    return out


@pytest.mark.parametrize(("synthesizer", "target"), [("mst", None), ("mst", "h")])
def test_sampled_rows_add_no_dependence_the_model_lacks(
    synthesizer: str, target: str | None
) -> None:
    """mbi 1.1.0's default sampler draws each column at quantiles ordered by row index
    inside groups of equal parents, which tied a and b given h with 0.66 nats (0.001 in
    the data) and c to h with 0.09: MST samples independently instead. (AIM too: see
    test_aim_samples_add_no_dependence_the_model_lacks.)"""
    cats = {"h": ["0", "1", "2"], "a": ["0", "1", "2"], "b": ["0", "1", "2"], "c": ["0", "1"]}
    spec = {"columns": {k: {"type": "categorical", "categories": v} for k, v in cats.items()}}
    frame = _hub_table(4000, 2)
    out, _ = synthesize(
        frame,
        TableSpec.model_validate(spec),
        epsilon=50.0,
        seed=1,
        target=target,
        synthesizer=synthesizer,  # type: ignore[arg-type]
        target_model="none",  # a drawn h would tie a and b given it (explaining away)
    )
    for x, y, given in (("a", "b", "h"), ("c", "h", None)):
        assert _conditional_mi(frame, x, y, given) < 0.005
        assert _conditional_mi(out, x, y, given) < 0.01, (x, y, given)


def _hub_aim(self: Any, data: Any, workload: Any) -> None:
    """A stand-in for AIM's fit: a model of exact (h, a), (h, b) and (c) marginals.

    AIM's own choices are random (OpenDP noise, unseedable), and on a table this narrow it
    often measures a and b jointly, which hides the sampler's tie; this model keeps a and
    b independent given h and c independent of everything, whatever the draw.
    """
    from mbi import LinearMeasurement, estimation

    cols = list(data.domain.attrs)  # col0..col3: h, a, b, c
    cliques = [(cols[0], cols[1]), (cols[0], cols[2]), (cols[3],)]
    log = [LinearMeasurement(data.project(cl).datavector(), cl, 1.0) for cl in cliques]
    self.synthesizer = estimation.mirror_descent(
        data.domain, log, known_total=float(data.records), iters=300
    )


def test_aim_samples_add_no_dependence_the_model_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The AIM path of ``synthesize`` samples rows independently too: with mbi's default
    ``round`` sampler (what snsynth's AIM ``sample`` calls), a and b rise together with the
    row index inside groups of equal h, and shared 0.09 nats given h that the model lacks."""
    from snsynth.aim.aim import AIMSynthesizer

    monkeypatch.setattr(AIMSynthesizer, "AIM", _hub_aim)
    cats = {"h": ["0", "1", "2"], "a": ["0", "1", "2"], "b": ["0", "1", "2"], "c": ["0", "1"]}
    spec = {"columns": {k: {"type": "categorical", "categories": v} for k, v in cats.items()}}
    frame = _hub_table(3000, 2)
    out, budget = synthesize(
        frame, TableSpec.model_validate(spec), epsilon=1.0, seed=1, synthesizer="aim"
    )
    assert budget.mechanism == "aim" and len(out) == len(frame)
    for x, y, given in (("a", "b", "h"), ("c", "h", None)):
        assert _conditional_mi(frame, x, y, given) < 0.005
        assert _conditional_mi(out, x, y, given) < 0.01, (x, y, given)
    # The model's own dependences come through: a and b follow h.
    assert _conditional_mi(out, "a", "h", None) > 0.1
