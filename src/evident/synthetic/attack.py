"""An attack-based privacy risk: linkability (Giomi et al. 2022, anonymeter).

The attacker holds two disjoint sets of a real person's columns (say, demographics from
one source and treatment from another) and tries to link them through the synthetic
table: for each half, the synthetic rows closest to the person; the attack succeeds when
the two halves lead to the same synthetic row. Run on rows the synthesizer was trained
on and on control rows it never saw: success on the control rows is what the synthetic
data's general patterns give anyone, so only the excess over it is risk,
``(attack - control) / (1 - control)``, with 95% Wilson bounds.

anonymeter itself is not used: its release 1.1.0 needs numpy < 1.27. The distance is
anonymeter's Gower-like one (numbers scaled by their range, categories 0 or 1), and ties
are broken at random, independently for each half, so that equal rows do not link by
index order.
"""

from __future__ import annotations

from typing import Any

from evident.evals.stats import wilson

__all__ = ["MEANING", "linkability"]

MEANING = (
    "linkability risk: how much more often a trained-on person's two column halves lead "
    "to the same synthetic row than an unseen person's (0 = none, 1 = always)"
)


def _encoder(reference: Any, columns: list[str], numeric: list[str]) -> Any:
    """Rows as (codes, scaled numbers): categories by the reference's codes, numbers by range."""
    import numpy as np

    cats = [c for c in columns if c not in numeric]
    nums = [c for c in columns if c in numeric]
    index = {c: {v: i for i, v in enumerate(sorted(set(reference[c].astype(str))))} for c in cats}
    lo = {c: float(np.nanmin(reference[c].to_numpy(dtype=float))) for c in nums}
    span = {c: (float(np.nanmax(reference[c].to_numpy(dtype=float))) - lo[c]) or 1.0 for c in nums}

    def encode(frame: Any) -> tuple[Any, Any]:
        codes = np.stack(
            [frame[c].astype(str).map(index[c]).fillna(-1).to_numpy(dtype=int) for c in cats]
            or [np.zeros(len(frame), dtype=int)],
            axis=1,
        )
        scaled = np.stack(
            [
                np.nan_to_num((frame[c].to_numpy(dtype=float) - lo[c]) / span[c], nan=-1.0)
                for c in nums
            ]
            or [np.zeros(len(frame))],
            axis=1,
        )
        return codes, scaled

    return encode


def _nearest(query: tuple[Any, Any], pool: tuple[Any, Any], k: int, rng: Any) -> Any:
    """Indices of the k pool rows closest to each query row (ties broken at random)."""
    import numpy as np

    out = []
    width = query[0].shape[1] + query[1].shape[1]
    jitter = rng.random(len(pool[0])) * 1e-6
    for start in range(0, len(query[0]), 64):
        qc, qn = query[0][start : start + 64], query[1][start : start + 64]
        d = (qc[:, None, :] != pool[0][None, :, :]).sum(axis=2).astype(float)
        d += np.abs(qn[:, None, :] - pool[1][None, :, :]).sum(axis=2)
        d = d / width + jitter
        out.append(np.argpartition(d, k - 1, axis=1)[:, :k])
    return np.concatenate(out)


def linkability(
    real: Any,
    synthetic: Any,
    control: Any,
    numeric: list[str],
    *,
    n_attacks: int = 500,
    k: int = 1,
    seed: int = 0,
) -> dict[str, Any]:
    """The linkability attack's success on training rows and on control rows, and the risk.

    Args:
        real: The rows the synthesizer was trained on (the attacked people).
        synthetic: The synthetic table.
        control: Real rows the synthesizer never saw.
        numeric: Columns compared as numbers; the others as categories.
        n_attacks: Target rows drawn from ``real`` and from ``control``.
        k: Synthetic neighbours kept per half; a link is a shared neighbour.
        seed: Seed of the row draw, the column split and the tie-breaking.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    columns = [c for c in real.columns if c in synthetic.columns and c in control.columns]
    order = [columns[i] for i in rng.permutation(len(columns))]
    halves = [sorted(order[: len(order) // 2]), sorted(order[len(order) // 2 :])]
    rates = {}
    for name, frame in (("attack", real), ("control", control)):
        rows = frame.iloc[rng.choice(len(frame), size=min(n_attacks, len(frame)), replace=False)]
        found = []
        for half in halves:
            enc = _encoder(synthetic, half, [c for c in numeric if c in half])
            found.append(_nearest(enc(rows), enc(synthetic), k, rng))
        hits = sum(bool(set(a) & set(b)) for a, b in zip(found[0], found[1], strict=True))
        rates[name] = (hits, len(rows))
    (ah, an), (ch, cn) = rates["attack"], rates["control"]
    attack, control_rate = ah / an, ch / cn
    a_lo, a_hi = wilson(ah, an)
    c_lo, c_hi = wilson(ch, cn)

    def risk(a: float, c: float) -> float:
        return max(0.0, (a - c) / (1 - c)) if c < 1 else 0.0

    return {
        "attack_rate": round(attack, 4),
        "control_rate": round(control_rate, 4),
        "baseline_rate": round(min(1.0, k * k / max(1, len(synthetic))), 6),
        "risk": round(risk(attack, control_rate), 4),
        "risk_ci": [round(risk(a_lo, c_hi), 4), round(risk(a_hi, c_lo), 4)],
        "n_attacks": an,
        "columns": halves,
    }
