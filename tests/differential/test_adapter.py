"""The bridge's adapter: passages from MedQuAD-format rows, the fit, the file, the use."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from evident.errors import ConfigError
from evident.tasks.differential import adapter as adapter_mod
from evident.tasks.differential.adapter import (
    MASK,
    Adapter,
    fit_adapter,
    mask_names,
    read_adapter,
    symptom_passages,
    train_adapter,
    write_adapter,
)
from evident.tasks.differential.build import focus_key
from evident.tasks.differential.dense import Profiles, bridge_available
from evident.tasks.differential.table import Table

from ..conftest import require_or_skip
from .conftest import condition
from .test_dense import WordEncoder


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Gastritis causes pain.", ["gastritis"], f"{MASK} causes pain."),
        ("Acute otitis media hurts.", ["otitis media", "acute otitis media"], f"{MASK} hurts."),
        ("GERD or acid reflux (GERD)", ["GERD", "acid reflux"], f"{MASK} or {MASK} ({MASK})"),
        ("Asthmatic children wheeze.", ["asthma"], "Asthmatic children wheeze."),
        ("A and B", ["A", ""], "A and B"),
    ],
)
def test_mask_names(text: str, names: list[str], expected: str) -> None:
    assert mask_names(text, names) == expected


@pytest.fixture()
def tiny() -> Table:
    return Table.of(
        [
            condition("Gastritis", {"abdominal pain": 0.6, "nausea": 0.4}),
            condition("Asthma", {"wheezing": 0.6, "dyspnea": 0.5}, names=("bronchial asthma",)),
        ]
    )


ROWS = [
    {"source": "s", "focus": "Gastritis", "qtype": "symptoms", "answer": "Gastritis brings a "
     "sore tummy. It gets worse after meals. Some feel sick."},
    {"source": "s", "focus": "Bronchial asthma (Asthma)", "qtype": "information",
     "answer": "Asthma makes you breathless. Wheezing at night is common."},
    {"source": "s", "focus": "Gastritis", "qtype": "treatment", "answer": "Antacids help."},
    {"source": "s", "focus": "Unknown thing", "qtype": "symptoms", "answer": "Odd feelings."},
]  # fmt: skip


@pytest.mark.parametrize(
    ("max_chars", "per_answer", "expected"),
    [
        (
            500,
            1,
            [
                (0, f"{MASK} brings a sore tummy. It gets worse after meals. Some feel sick."),
                (1, f"{MASK} makes you breathless. Wheezing at night is common."),
            ],
        ),
        (
            45,
            2,
            [
                (0, f"{MASK} brings a sore tummy."),
                (0, "It gets worse after meals. Some feel sick."),
                (1, f"{MASK} makes you breathless."),
                (1, "Wheezing at night is common."),
            ],
        ),
    ],
)
def test_symptom_passages_mask_and_match_by_name(
    tiny: Table, max_chars: int, per_answer: int, expected: list[tuple[int, str]]
) -> None:
    got = symptom_passages(ROWS, tiny, focus_key, max_chars=max_chars, per_answer=per_answer)
    assert got == expected


def _toy(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Passages whose encodings are their condition's vector seen through a fixed twist."""
    rng = np.random.default_rng(seed)
    conds, dim = 60, 16
    targets = rng.normal(size=(conds, dim))
    targets /= np.linalg.norm(targets, axis=1, keepdims=True)
    twist = np.eye(dim) + 0.9 * rng.normal(size=(dim, dim))
    y = np.repeat(np.arange(conds), 8)
    x = targets[y] @ twist + 0.3 * rng.normal(size=(len(y), dim))
    return x, y, targets, [f"c{i}" for i in range(conds)]


def test_fit_adapter_beats_the_identity_on_left_out_conditions() -> None:
    x, y, targets, keys = _toy()
    adapter, report = fit_adapter(x, y, targets, keys, l2s=(0.001, 10.0), steps=150)
    assert set(report.heldout_top10) == {None, 0.001, 10.0}
    assert report.chosen == 0.001
    assert adapter.heldout_top10 == report.heldout_top10[0.001]
    assert report.heldout_top10[0.001] > report.heldout_top10[None] + 0.2
    assert adapter.matrix.shape == (16, 16)


@pytest.mark.parametrize("dim", [3, 16])
def test_apply_returns_unit_rows(dim: int) -> None:
    rng = np.random.default_rng(1)
    adapter = Adapter(rng.normal(size=(dim, dim)).astype(np.float32), 0.1, 0.5)
    out = adapter.apply(rng.normal(size=(4, dim)))
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_apply_rejects_vectors_of_another_width() -> None:
    adapter = Adapter(np.eye(384, dtype=np.float32), 0.1, 0.5)
    with pytest.raises(ConfigError, match="384 wide, the encoder gives 64"):
        adapter.apply(np.ones((1, 64)))


def _npz(**arrays: object) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


GOOD = {"version": 1, "matrix": np.eye(4), "l2": 0.1, "heldout_top10": 0.5}


@pytest.mark.parametrize(
    ("raw", "dim", "match"),
    [
        (b"not an npz", None, "not a bridge adapter"),
        (_npz(matrix=np.eye(4)), None, "not a bridge adapter"),
        (_npz(**{**GOOD, "version": 2}), None, "version 2"),
        (_npz(**{**GOOD, "matrix": np.ones((4, 3))}), None, "not square"),
        (_npz(**GOOD), 8, "4 wide, not 8"),
        (_npz(**{**GOOD, "matrix": np.full((4, 4), np.nan)}), None, "not finite"),
    ],
)
def test_read_adapter_rejects(raw: bytes, dim: int | None, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        read_adapter(raw, dim=dim)


def test_adapter_file_round_trips_in_float16() -> None:
    rng = np.random.default_rng(2)
    matrix = np.eye(8, dtype=np.float32) + 0.1 * rng.normal(size=(8, 8)).astype(np.float32)
    raw = write_adapter(Adapter(matrix, 0.01, 0.42))
    back = read_adapter(raw, dim=8)
    assert np.abs(back.matrix - matrix).max() < 1e-3
    assert (back.l2, back.heldout_top10) == (0.01, 0.42)
    assert write_adapter(Adapter(matrix, 0.01, 0.42)) == raw


@pytest.mark.parametrize("text", ["My tummy hurts after meals.", "Breathless and wheezing."])
def test_profiles_apply_the_adapter_to_the_case_only(tiny: Table, text: str) -> None:
    rng = np.random.default_rng(3)
    twist = Adapter((np.eye(64) + 0.5 * rng.normal(size=(64, 64))).astype(np.float32), 0.1, 0)
    plain = Profiles(tiny, WordEncoder())
    mapped = Profiles(tiny, WordEncoder(), adapter=twist)
    assert plain.adapter is None  # another encoder: the shipped adapter does not apply
    assert np.allclose(plain.matrix, mapped.matrix)
    vec = twist.apply(WordEncoder().encode([text]))[0]
    assert np.allclose(mapped.similarity(text), plain.matrix @ vec, atol=1e-5)
    same = Profiles(tiny, WordEncoder(), adapter=Adapter(np.eye(64, dtype=np.float32), 0, 0))
    assert np.allclose(same.similarity(text), plain.similarity(text), atol=1e-6)


@pytest.mark.parametrize("stale", [None, b"not an npz"])
def test_train_adapter_reads_medquad_and_caches_the_encodings(
    tiny: Table, tmp_path: Path, stale: bytes | None
) -> None:
    medquad = tmp_path / "medquad.jsonl"
    medquad.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    cache = tmp_path / "enc.npz"
    if stale is not None:
        cache.write_bytes(stale)  # unreadable: encoded again and rewritten
    enc = WordEncoder()
    fit = {"l2s": (0.1,), "steps": 20}
    first, report, n = train_adapter(medquad, tiny, enc, cache, **fit)
    calls = WordEncoder.calls
    again, _, _ = train_adapter(medquad, tiny, enc, cache, **fit)
    assert n == 2 and cache.is_file()
    assert WordEncoder.calls - calls == 4  # profiles and names again; passages cached
    assert np.allclose(first.matrix, again.matrix)
    assert report.chosen == 0.1


def test_train_bridge_command_writes_a_valid_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from evident.cli.main import cli
    from evident.tasks.differential.adapter import FitReport

    fitted = Adapter(np.eye(384, dtype=np.float32), 0.1, 0.5)
    report = FitReport({None: 0.25, 0.1: 0.5}, 0.1)
    monkeypatch.setattr(adapter_mod, "train_adapter", lambda *a, **k: (fitted, report, 7))
    out = tmp_path / "adapter.npz"
    args = ["train", "differential-bridge", "--medquad", str(tmp_path / "m.jsonl")]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "identity: left-out conditions' passages, condition in top 10 25.0%" in result.output
    assert "7 passages; l2 0.1" in result.output
    assert read_adapter(out.read_bytes(), dim=384).l2 == 0.1


def test_the_shipped_adapter_is_valid() -> None:
    adapter_mod.shipped_adapter.cache_clear()
    shipped = adapter_mod.shipped_adapter()
    assert shipped is not None
    assert shipped.matrix.shape == (384, 384)
    assert 0.0 < shipped.heldout_top10 <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("My stomach burns after I eat and I feel like throwing up.", "Gastritis"),
        ("I get out of breath and wheeze at night.", "Asthma"),
    ],
)
def test_the_real_encoder_with_the_shipped_adapter(tiny: Table, text: str, best: str) -> None:
    require_or_skip(bridge_available(), "EVIDENT_REQUIRE_EMBEDDINGS", "embeddings extra missing")
    adapter_mod.shipped_adapter.cache_clear()
    profiles = Profiles(tiny)
    assert profiles.adapter is adapter_mod.shipped_adapter()
    sims = profiles.similarity(text)
    assert tiny.conditions[int(np.argmax(sims))].name == best
