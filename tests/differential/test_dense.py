"""The embeddings bridge with a small word-hashing encoder written for the tests."""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

import numpy as np
import pytest

from evident.tasks.differential import dense, read_case, run_offline
from evident.tasks.differential.dense import Profiles, profile_text, profile_vectors, write_vectors
from evident.tasks.differential.engine import rank
from evident.tasks.differential.table import Table

from .conftest import condition

# The fake encoder maps words to buckets; lay words share the bucket of the clinical
# word they stand for, which is what the real encoder learns from data.
_SAME = {"tummy": "abdominal", "belly": "abdominal", "breathless": "dyspnea"}


class WordEncoder:
    """Bag of hashed words, unit length: similar wording, similar vectors."""

    calls = 0

    def encode(self, texts: list[str], **_: Any) -> Any:
        WordEncoder.calls += len(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                out[row, zlib.crc32(_SAME.get(word, word).encode()) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-8)


@pytest.fixture()
def small() -> Table:
    return Table.of(
        [
            condition("Gastritis", {"abdominal pain": 0.6, "nausea": 0.4, "pain": 0.2}),
            condition("Tension headache", {"headache": 0.6, "neck pain": 0.4, "pain": 0.2}),
            condition("Asthma", {"wheezing": 0.6, "dyspnea": 0.5, "cough": 0.3}),
        ]
    )


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"a": 0.1, "b": 0.9}, "X: b, a"),
        ({"b": 0.5, "a": 0.5}, "X: a, b"),
        (
            {f"t{i:02d}": 1.0 - i / 100 for i in range(20)},
            "X: " + ", ".join(f"t{i:02d}" for i in range(15)),
        ),
    ],
)
def test_profile_text_lists_the_strongest_findings(
    findings: dict[str, float], expected: str
) -> None:
    assert profile_text(condition("X", findings)) == expected


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("My tummy hurts after meals and I feel sick.", "Gastritis"),
        ("Breathless with wheezing at night.", "Asthma"),
        ("Headache and a stiff neck.", "Tension headache"),
    ],
)
def test_similarity_links_lay_words(small: Table, text: str, best: str) -> None:
    sims = Profiles(small, WordEncoder()).similarity(text)
    assert small.conditions[int(np.argmax(sims))].name == best


def test_similarity_reorders_only_conditions_with_a_shared_finding(small: Table) -> None:
    case = read_case("Pain in my tummy, I feel sick.")
    sims = Profiles(small, WordEncoder()).similarity(case.text)
    lexical = [small.conditions[s.index].name for s in rank(case, small)]
    bridged = rank(case, small, similarity=sims)
    assert {small.conditions[s.index].name for s in bridged} == set(lexical)
    assert small.conditions[bridged[0].index].name == "Gastritis"
    plain = {s.index: s.score for s in rank(case, small)}
    assert all(s.score != plain[s.index] for s in bridged)


def test_vectors_round_trip_int8(small: Table) -> None:
    raw = write_vectors(small, WordEncoder())
    with np.load(io.BytesIO(raw)) as data:
        q, scale = data["q"], data["scale"]
        assert q.dtype == np.int8 and q.shape == (3, 64)
        approx = q.astype(np.float32) * scale[:, None]
    exact = profile_vectors(small.conditions, WordEncoder())
    assert np.abs(approx - exact).max() < 0.01


@pytest.mark.parametrize(
    ("name", "findings"),
    [("Gastritis", {"abdominal pain": 0.6}), ("Zeta", {"headache": 0.5, "nausea": 0.5})],
)
def test_profile_vectors_sum_the_profile_and_the_name(
    name: str, findings: dict[str, float]
) -> None:
    cond = condition(name, findings)
    enc = WordEncoder()
    vec = profile_vectors([cond], enc)[0]
    both = enc.encode([profile_text(cond)])[0] + enc.encode([name])[0]
    assert np.linalg.norm(vec) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(vec, both / np.linalg.norm(both), atol=1e-6)
    assert (
        float(vec @ enc.encode([name])[0])
        > float(enc.encode([profile_text(cond)])[0] @ enc.encode([name])[0]) - 1e-6
    )


def test_shipped_vectors_are_reused_and_extra_conditions_encoded(
    small: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = write_vectors(Table.of(list(small.conditions[:2])), WordEncoder())
    with np.load(io.BytesIO(raw)) as data:
        mat = data["q"].astype(np.float32) * data["scale"][:, None]
        digest = str(data["digest"])
    monkeypatch.setattr(dense, "_shipped", lambda: (digest, mat))
    WordEncoder.calls = 0
    profiles = Profiles(small, WordEncoder())
    assert WordEncoder.calls == 2  # only the third condition was encoded (profile, name)
    assert profiles.matrix.shape == (3, 64)


def test_run_offline_with_embeddings_keeps_quotes_exact(
    small: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense, "_encoder", WordEncoder)
    monkeypatch.setattr(dense, "_shipped", lambda: None)
    monkeypatch.setattr(dense, "shipped_adapter", lambda: None)  # learnt for MiniLM
    case = read_case("Pain in my tummy and nausea. No cough.")
    diff = run_offline(case, small, 3, embeddings=True)
    assert diff.differential[0].diagnosis == "Gastritis"
    cites = [c for cand in diff.differential for c in [*cand.supporting, *cand.opposing]]
    assert cites and all(c.quote in case.text for c in cites)
