"""The bridge's adapter: a linear map learnt from MedQuAD (``evident train differential-bridge``).

The bridge (:mod:`.dense`) compares a frozen sentence encoding of the case with each
condition's vector (its name and strongest findings). A case tells symptoms in sentences;
a condition's vector is a name and a list of terms. MedQuAD answers "What are the
symptoms of X?" (and "What is X?") in sentences for thousands of conditions, so it gives
pairs of the two sides without any vignette: a passage describing a condition, with the
condition's names masked, and that condition's vector. The adapter is a square matrix
``W`` fitted on those pairs so that ``unit(W @ enc(passage))`` is near the condition's
vector among all of them (a softmax over the table, regularised towards the identity);
the bridge then applies it to the case's encoding. The regularisation is chosen on
conditions left out of the fit (folds by condition), never on vignettes.

The matrix ships as ``resources/bridge_adapter.npz`` (float16), validated when loaded.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from evident.errors import ConfigError
from evident.tasks.differential.table import Table

__all__ = [
    "ADAPTER_FILE",
    "Adapter",
    "FitReport",
    "fit_adapter",
    "mask_names",
    "read_adapter",
    "shipped_adapter",
    "symptom_passages",
    "train_adapter",
    "write_adapter",
]

log = logging.getLogger(__name__)

ADAPTER_FILE = "bridge_adapter.npz"
_VERSION = 1
_QTYPES = ("symptoms", "information")
MASK = "this condition"


@dataclass(frozen=True)
class Adapter:
    """A square map applied to a case's encoding before the bridge's cosine similarity.

    Attributes:
        matrix: ``d x d`` float32 array; rows are multiplied by it (``vec @ matrix``).
        l2: The regularisation it was fitted with.
        heldout_top10: Share of passages of left-out conditions whose condition is among
            the 10 nearest vectors after the map (the figure the ``l2`` was chosen on).
    """

    matrix: Any
    l2: float
    heldout_top10: float

    def apply(self, vecs: Any) -> Any:
        """``vecs`` (rows) mapped and scaled back to unit length.

        Raises:
            ConfigError: The vectors are not as wide as the adapter (another encoder).
        """
        import numpy as np

        arr = np.asarray(vecs, dtype=np.float32)
        if arr.shape[-1] != self.matrix.shape[0]:
            raise ConfigError(
                f"the bridge adapter is {self.matrix.shape[0]} wide, the encoder gives "
                f"{arr.shape[-1]}: rebuild it with 'evident train differential-bridge'"
            )
        out = arr @ self.matrix
        return out / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-8)


def mask_names(text: str, names: Sequence[str]) -> str:
    """``text`` with every whole-word mention of ``names`` (any case) replaced by a mask.

    Longer names go first, so ``acute otitis media`` is masked whole, not around ``otitis
    media``. Names shorter than two characters are left alone.
    """
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", MASK, text, flags=re.I)
    return text


def _chunks(text: str, max_chars: int, keep: int) -> list[str]:
    """The first ``keep`` runs of whole sentences of at most about ``max_chars``."""
    out: list[str] = []
    chunk = ""
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        if chunk and len(chunk) + len(sentence) > max_chars:
            out.append(chunk)
            if len(out) == keep:
                return out
            chunk = ""
        chunk = f"{chunk} {sentence}".strip()
    return [*out, chunk] if chunk and len(out) < keep else out


def symptom_passages(
    rows: Sequence[dict[str, str]],
    table: Table,
    key: Callable[[str], str],
    max_chars: int = 500,
    per_answer: int = 1,
) -> list[tuple[int, str]]:
    """(condition index, masked passage) for the symptom and overview answers of ``table``.

    Args:
        rows: MedQuAD rows (``focus, qtype, answer``).
        table: The table whose conditions the passages are matched to (by name).
        key: The normalised table name of a row's focus (as the table builder keys it).
        max_chars: About how long a passage is (whole sentences).
        per_answer: Passages kept from the start of each answer.
    """
    index: dict[str, int] = {}
    for i, cond in enumerate(table.conditions):
        for name in (*cond.names, cond.name.lower()):
            index.setdefault(name, i)
    out = []
    for row in rows:
        hit = index.get(key(row["focus"])) if row["qtype"] in _QTYPES else None
        if hit is None:
            continue
        cond = table.conditions[hit]
        parens = re.findall(r"\(([^()]+)\)", row["focus"])
        names = [row["focus"], re.sub(r"\([^()]*\)", "", row["focus"]), cond.name, *cond.names]
        text = mask_names(row["answer"], names + parens)
        out += [(hit, chunk) for chunk in _chunks(text, max_chars, per_answer)]
    return out


@dataclass(frozen=True)
class FitReport:
    """How each regularisation did on the left-out conditions' passages.

    Attributes:
        heldout_top10: ``{l2: share of left-out passages whose condition is among the
            10 nearest}``; ``None`` is the identity (no adapter).
        chosen: The ``l2`` kept.
    """

    heldout_top10: dict[float | None, float]
    chosen: float


def _unit(a: Any) -> Any:
    import numpy as np

    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-8)


def _softmax_fit(x: Any, y: Any, targets: Any, l2: float, steps: int, tau: float, seed: int) -> Any:
    """``W`` minimising softmax cross-entropy of ``tau * unit(x W) . targets`` (Adam)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    d = x.shape[1]
    eye = np.eye(d, dtype=np.float32)
    w, m, v = eye.copy(), np.zeros_like(eye), np.zeros_like(eye)
    batch = min(1024, len(x))
    for t in range(1, steps + 1):
        b = rng.choice(len(x), batch, replace=False)
        z = x[b] @ w
        norm = np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-8)
        u = z / norm
        logits = tau * u @ targets.T
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(batch), y[b]] -= 1.0
        gu = tau * (p @ targets) / batch
        gz = (gu - u * (gu * u).sum(axis=1, keepdims=True)) / norm
        g = x[b].T @ gz + 2.0 * l2 * (w - eye)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 1e-3 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def _top10(x: Any, y: Any, targets: Any, w: Any | None) -> float:
    import numpy as np

    if not len(x):
        return 0.0
    sims = _unit(x if w is None else x @ w) @ targets.T
    k = min(10, targets.shape[0])
    near = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return float((near == y[:, None]).any(axis=1).mean())


def fit_adapter(
    x: Any,
    y: Sequence[int],
    targets: Any,
    keys: Sequence[str],
    l2s: Sequence[float] = (0.01, 0.1, 1.0),
    steps: int = 300,
    tau: float = 20.0,
    seed: int = 0,
) -> tuple[Adapter, FitReport]:
    """Fit the adapter on passage encodings ``x`` of conditions ``y`` (rows of ``targets``).

    A fifth of the conditions (by a hash of ``keys[y]``, their names) is left out to
    choose ``l2`` among ``l2s``; the kept value is refitted on every passage.
    """
    import numpy as np

    xs = np.asarray(x, dtype=np.float32)
    ys = np.asarray(y, dtype=int)
    tg = np.asarray(targets, dtype=np.float32)
    out = np.array([int(hashlib.sha256(keys[i].encode()).hexdigest(), 16) % 5 == 0 for i in ys])
    scores: dict[float | None, float] = {None: round(_top10(xs[out], ys[out], tg, None), 4)}
    for l2 in l2s:
        w = _softmax_fit(xs[~out], ys[~out], tg, l2, steps, tau, seed)
        scores[l2] = round(_top10(xs[out], ys[out], tg, w), 4)
    chosen = max(l2s, key=lambda a: (scores[a], a))
    w = _softmax_fit(xs, ys, tg, chosen, steps, tau, seed)
    report = FitReport(scores, chosen)
    return Adapter(w.astype(np.float32), chosen, scores[chosen]), report


def write_adapter(adapter: Adapter) -> bytes:
    """The adapter as npz bytes (float16 matrix; deterministic for a given matrix)."""
    import numpy as np

    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        version=np.array(_VERSION),
        matrix=np.asarray(adapter.matrix, dtype=np.float16),
        l2=np.array(adapter.l2, dtype=np.float64),
        heldout_top10=np.array(adapter.heldout_top10, dtype=np.float64),
    )
    return buf.getvalue()


def read_adapter(raw: bytes, where: str = ADAPTER_FILE, dim: int | None = None) -> Adapter:
    """Parse and validate adapter bytes.

    Raises:
        ConfigError: Not an adapter file, another version, a matrix that is not square
            (or not ``dim`` wide), or values that are not finite.
    """
    import numpy as np

    try:
        with np.load(io.BytesIO(raw)) as data:
            version = int(data["version"])
            matrix = data["matrix"].astype(np.float32)
            l2, top10 = float(data["l2"]), float(data["heldout_top10"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"'{where}' is not a bridge adapter: {type(exc).__name__}") from None
    if version != _VERSION:
        raise ConfigError(f"'{where}': adapter version {version}, expected {_VERSION}")
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ConfigError(f"'{where}': the adapter matrix is not square {matrix.shape}")
    if dim is not None and matrix.shape[0] != dim:
        raise ConfigError(f"'{where}': the adapter is {matrix.shape[0]} wide, not {dim}")
    if not np.isfinite(matrix).all():
        raise ConfigError(f"'{where}': the adapter has values that are not finite")
    return Adapter(matrix, l2, top10)


@cache
def shipped_adapter() -> Adapter | None:
    """The shipped adapter, or None when the package has none."""
    path = resources.files("evident.tasks.differential") / "resources" / ADAPTER_FILE
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return read_adapter(raw)


def _encoded(
    texts: Sequence[str],
    encoder: Any | None,
    cache_file: Path | None,
    progress: Callable[[Iterable[Any]], Iterable[Any]],
) -> Any:
    """Unit encodings of ``texts``, read from ``cache_file`` when made from the same texts."""
    import numpy as np

    from evident.tasks.differential.dense import _encoder, encode_profiles

    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode() + b"\0")
    digest = h.hexdigest()[:16]
    if cache_file is not None and cache_file.is_file():
        try:
            with np.load(cache_file) as data:
                if str(data["digest"]) == digest:
                    return data["x"].astype(np.float32)
        except (OSError, ValueError, KeyError):
            log.info("the passage cache is unreadable; encoding again")
    enc = encoder or _encoder()
    parts = [encode_profiles(texts[k : k + 256], enc) for k in progress(range(0, len(texts), 256))]
    x = np.vstack(parts) if parts else np.zeros((0, 384), dtype=np.float32)
    if cache_file is not None:
        with cache_file.open("wb") as fh:
            np.savez(fh, x=x, digest=np.array(digest))
    return x


def train_adapter(
    medquad: Path,
    table: Table,
    encoder: Any | None = None,
    cache_file: Path | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda it: it,
    **fit: Any,
) -> tuple[Adapter, FitReport, int]:
    """Fit the adapter from a MedQuAD file for ``table``: (adapter, report, passages).

    The targets are the bridge's condition vectors (:class:`.dense.Profiles` without an
    adapter: the shipped vectors when they belong to ``table``).

    Raises:
        InputError: The MedQuAD file cannot be read.
    """
    from evident.tasks.differential.build import focus_key, read_medquad
    from evident.tasks.differential.dense import Profiles

    passages = symptom_passages(read_medquad(medquad), table, focus_key)
    x = _encoded([t for _, t in passages], encoder, cache_file, progress)
    targets = Profiles(table, encoder, adapter=None).matrix
    keys = [c.name for c in table.conditions]
    adapter, report = fit_adapter(x, [i for i, _ in passages], targets, keys, **fit)
    return adapter, report, len(passages)
