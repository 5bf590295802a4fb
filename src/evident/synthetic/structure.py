"""Which marginals MST measures when a target column is named, and what each costs.

MST (McKenna et al. 2021) measures every column's 1-way marginal, selects a maximum
spanning tree of 2-way marginals privately, measures those, and fits a graphical model.
A rare target then hangs from a single edge, and a classifier trained on the synthetic
rows finds little to learn. Two structures for ``--target``:

- ``pairs``: MST's tree plus the target paired with every other column (a public choice
  of workload), the target's pairs weighted twice the tree's.
- ``tan``: tree-augmented naive Bayes. The target is paired with every column, then a
  spanning tree *among the predictors* is chosen privately on how far each predictor
  pair, jointly with the target, is from what the naive-Bayes model (the target's pairs
  alone) predicts — the conditional dependence a classifier needs — and each edge is
  measured as a 3-way marginal with the target.

Every step's zCDP ρ is written to a ledger (``model.ledger``): the Gaussian measurements
spend Σ wᵢ² / (2σ²) with unit-norm weights, the exponential-mechanism steps εₛ² / 8 each,
and the entries add up to the ρ of the (ε, δ) asked for.
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

__all__ = ["DESIGNS", "TAN_SHARES", "TARGET_WEIGHT", "Design", "secure_choice", "target_mst"]

Design = Literal["pairs", "tan"]
DESIGNS: tuple[Design, ...] = ("pairs", "tan")
TARGET_WEIGHT = 2.0
# ρ shares of the tan design: 1-way marginals, the target's pairs, the tree's selection,
# the tree's edges as 3-way marginals with the target.
TAN_SHARES = {"one_way": 0.2, "target_pairs": 0.2, "selection": 0.2, "triples": 0.4}
ESTIMATION_ITERS = 5000
SELECTION_ITERS = 1000


def secure_choice(probas: Any) -> int:
    """An index drawn with the given probabilities from the OS's cryptographic source.

    The exponential mechanism's draw must not come from a generator seeded with the
    public ``--seed`` (nor from the global Mersenne Twister): whoever knew its state
    would know which candidate each score would win, and the selection would leak.
    """
    import secrets

    import numpy as np

    cum = np.cumsum(np.asarray(probas, dtype=float))
    u = secrets.randbits(53) / float(1 << 53) * cum[-1]
    return int(min(np.searchsorted(cum, u, side="right"), len(cum) - 1))


def _counts(data: Any, cols: tuple[str, ...]) -> Any:
    """The exact contingency table of ``cols`` (flattened counts)."""
    import numpy as np

    dims = data.domain.project(list(cols)).shape
    columns = data.to_dict()
    index = np.ravel_multi_index(tuple(np.asarray(columns[c]) for c in cols), dims)
    return np.bincount(index, minlength=int(np.prod(dims))).astype(float)


def _naive_bayes_triple(est: Any, t: str, a: str, b: str) -> Any:
    """P(t, a, b) under a ⊥ b | t, from the star model's (t, a) and (t, b) marginals."""
    import numpy as np

    ta = np.asarray(est.project([t, a]).datavector(flatten=False), dtype=float)
    tb = np.asarray(est.project([t, b]).datavector(flatten=False), dtype=float)
    tt = np.maximum(ta.sum(axis=1), 1e-9)
    return (ta[:, :, None] * tb[:, None, :] / tt[:, None, None]).ravel()


def target_mst(
    target_index: int | None,
    design: Design = "pairs",
    weight: float = TARGET_WEIGHT,
    share: float = 1.0,
) -> Any:
    """An MSTSynthesizer class measuring the ``design`` around column ``target_index``.

    With ``target_index`` None it is MST itself (1-way marginals, the tree's private
    selection and its pairs, ρ/3 each) with a ledger. ``share`` is the part of the (ε, δ)'s
    ρ it spends (the rest goes to another mechanism, such as the target model).
    """
    import numpy as np
    from disjoint_set import DisjointSet
    from mbi import LinearMeasurement, estimation, marginal_oracles
    from snsynth.mst.mst import MSTSynthesizer
    from snsynth.utils import cdp_rho, gaussian_noise

    def fit(domain: Any, log: list[Any], total: int, iters: int) -> Any:
        return estimation.mirror_descent(
            domain,
            log,
            known_total=float(total),
            iters=iters,
            marginal_oracle=marginal_oracles.message_passing_stable,
        )

    class TargetMST(MSTSynthesizer):
        ledger: list[dict[str, Any]]
        measurements: list[Any]
        rho: float

        def exponential_mechanism(
            self, q: Any, eps: float, sensitivity: float, prng: Any = None, monotonic: bool = False
        ) -> int:
            """MST's exponential mechanism, drawn by :func:`secure_choice` (``prng`` unused)."""
            from scipy.special import logsumexp

            scores = (1.0 if monotonic else 0.5) * eps / sensitivity * np.asarray(q)
            return secure_choice(np.exp(scores - logsumexp(scores)))

        def sample(self, samples: int | None = None) -> Any:
            """Rows drawn independently from the fitted model (post-processing).

            mbi 1.1.0's default ``round`` method draws each column within groups of equal
            parent values at quantiles ordered by row index, so every column rises with the
            row index inside its groups: columns the model makes independent come out tied
            to each other (tested in test_structure.py). ``sample`` draws each row's value
            at its own uniform.
            """
            rows = self.num_rows if samples is None else samples
            data = self.synthesizer.synthetic_data(rows=rows, method="sample")
            decompressed = self.undo_compress_fn(data)
            tuples = [tuple(t[1:]) for t in decompressed.df.itertuples()]
            return self._transformer.inverse_transform(tuples)

        def _measure(
            self, data: Any, cliques: list[Any], rho: float, weights: Any, step: str
        ) -> Any:
            w = np.asarray(weights, dtype=float)
            w = w / np.linalg.norm(w)
            sigma = float(np.sqrt(1.0 / (2.0 * rho)))
            out = []
            for proj, wgt in zip(cliques, w, strict=True):
                x = _counts(data, tuple(proj))
                y = x + np.array(gaussian_noise(sigma / wgt, x.size))
                out.append(LinearMeasurement(y, tuple(proj), sigma / wgt))
            spent = float(np.sum(w**2)) / (2.0 * sigma**2)
            self.ledger.append({"step": step, "rho": spent, "measurements": len(cliques)})
            return out

        def _tree(self, data: Any, scores: dict[Any, float], rho: float, step: str) -> list[Any]:
            """A spanning tree over the scored pairs' columns, one exponential draw per edge."""
            nodes = sorted({c for e in scores for c in e}, key=data.domain.attrs.index)
            steps = len(nodes) - 1
            eps = float(np.sqrt(8.0 * rho / steps))
            ds: Any = DisjointSet()
            tree: list[Any] = []
            candidates = list(scores)
            for _ in range(steps):
                candidates = [e for e in candidates if not ds.connected(*e)]
                q = np.array([scores[e] for e in candidates])
                e = candidates[self.exponential_mechanism(q, eps, sensitivity=1.0)]
                tree.append(e)
                ds.union(*e)
            self.ledger.append({"step": step, "rho": steps * eps**2 / 8.0, "measurements": steps})
            return tree

        def MST(self, data: Any, epsilon: float, delta: float) -> None:
            self.rho = float(cdp_rho(epsilon, delta))
            rho = share * self.rho
            self.ledger = []
            t = data.domain.attrs[target_index] if target_index is not None else None
            others = [c for c in data.domain.attrs if c != t]
            total = data.records
            shares = TAN_SHARES if design == "tan" else {"one_way": 1 / 3}
            ones = [(c,) for c in data.domain.attrs]
            log1 = self._measure(data, ones, shares["one_way"] * rho, [1.0] * len(ones), "one_way")
            data, log1, self.undo_compress_fn = self.compress_domain(data, log1)
            star = [(t, c) for c in others] if t is not None else []
            if design == "pairs":
                # The model of the 1-way measurements alone is independent: a pair's
                # estimate is the outer product of its columns' marginals.
                est = fit(data.domain, log1, total, SELECTION_ITERS)
                p = {c: np.asarray(est.project(list(c)).datavector(), dtype=float) for c in ones}
                scores = {}
                for a, b in itertools.combinations(data.domain.attrs, 2):
                    xhat = np.outer(p[a,], p[b,]).ravel() / total
                    scores[a, b] = float(np.abs(_counts(data, (a, b)) - xhat).sum())
                tree = self._tree(data, scores, rho / 3, "selection")
                have = {frozenset(e) for e in tree}
                pairs = list(tree) + [e for e in star if frozenset(e) not in have]
                weights = [weight if t in e else 1.0 for e in pairs]
                log = log1 + self._measure(data, pairs, rho / 3, weights, "tree_and_target_pairs")
            else:
                assert t is not None, "tan needs a target"
                log2 = self._measure(
                    data, star, shares["target_pairs"] * rho, [1.0] * len(star), "target_pairs"
                )
                est = fit(data.domain, log1 + log2, total, SELECTION_ITERS)
                scores = {}
                for a, b in itertools.combinations(others, 2):
                    xhat = _naive_bayes_triple(est, t, a, b)
                    scores[a, b] = float(np.abs(_counts(data, (t, a, b)) - xhat).sum())
                tree = self._tree(data, scores, shares["selection"] * rho, "selection")
                triples = [(t, a, b) for a, b in tree]
                log3 = self._measure(
                    data, triples, shares["triples"] * rho, [1.0] * len(triples), "triples"
                )
                log = log1 + log2 + log3
            self.measurements = log  # kept so the accounting can be checked against them
            self.synthesizer = fit(data.domain, log, total, ESTIMATION_ITERS)

    return TargetMST
