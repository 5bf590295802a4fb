"""The embeddings bridge is the default when its extra is installed, lexical otherwise."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from evident.cli.main import cli, main
from evident.errors import ConfigError
from evident.models.offline import OfflineBackend
from evident.sources import load_source
from evident.tasks.differential import DifferentialTask, dense
from evident.tasks.differential.table import Table

CASE = "A 40 year old woman with a sore tummy and nausea after meals for two days."


class FlatProfiles:
    """Profiles that find every condition equally similar and every emergency less
    similar than any condition (no model load)."""

    def __init__(self, table: Table) -> None:
        self.matrix = np.zeros((len(table.conditions), 2), dtype=np.float32)

    def case_vector(self, text: str) -> np.ndarray:
        return np.array([1.0, 0.0], dtype=np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.tile(np.array([-1.0, 0.0], dtype=np.float32), (len(texts), 1))

    def similarity(self, text: str) -> np.ndarray:
        return self.matrix @ self.case_vector(text)


@pytest.fixture()
def fake_bridge(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bridge's plumbing without the encoder (the shipped table has 4,000+ profiles)."""
    monkeypatch.setattr(dense, "profiles_for", FlatProfiles)


def _installed(monkeypatch: pytest.MonkeyPatch, installed: bool) -> None:
    monkeypatch.setattr(dense, "bridge_available", lambda: installed)
    monkeypatch.setattr(dense, "_noticed", [])


@pytest.mark.parametrize(
    ("asked", "installed", "expected", "notice"),
    [
        (None, True, True, False),
        (None, False, False, True),
        (False, True, False, False),
        (False, False, False, False),
        (True, True, True, False),
        (True, False, ConfigError, False),
    ],
)
def test_use_bridge(
    asked: bool | None,
    installed: bool,
    expected: bool | type[Exception],
    notice: bool,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _installed(monkeypatch, installed)
    with caplog.at_level(logging.WARNING, logger=dense.__name__):
        if isinstance(expected, bool):
            assert dense.use_bridge(asked) is expected
            assert dense.use_bridge(asked) is expected
        else:
            with pytest.raises(expected, match=r"pip install 'evident\[embeddings\]'"):
                dense.use_bridge(asked)
    notices = [r for r in caplog.records if r.getMessage() == dense.NOTICE]
    assert len(notices) == (1 if notice else 0)  # once per process, not per case


@pytest.mark.parametrize(
    ("options", "installed", "engine"),
    [
        ({}, True, "offline-table+embeddings/1"),
        ({}, False, "offline-table/1"),
        ({"embeddings": False}, True, "offline-table/1"),
        ({"embeddings": True}, True, "offline-table+embeddings/1"),
    ],
)
def test_task_default_engine(
    options: dict[str, bool],
    installed: bool,
    engine: str,
    monkeypatch: pytest.MonkeyPatch,
    fake_bridge: None,
) -> None:
    _installed(monkeypatch, installed)
    source = load_source(CASE, kind="note", name="case")
    draft, _ = DifferentialTask().draft([source], OfflineBackend(), {"top": 5, **options})
    assert draft.meta["engine"] == engine
    for section in draft.sections:
        assert all(st.text in CASE for st in section.statements)


@pytest.mark.parametrize("value", ["yes", 1, "false"])
def test_task_rejects_a_non_boolean_embeddings_option(value: object) -> None:
    from evident.errors import InputError

    source = load_source(CASE, kind="note", name="case")
    with pytest.raises(InputError, match="embeddings"):
        DifferentialTask().draft([source], OfflineBackend(), {"embeddings": value})


ROW = {
    "correct_diagnosis": "Gastritis",
    "demographics": "40 year old woman",
    "chief_complaints": "Tummy ache",
    "presentation": "Her tummy hurts after meals, with nausea, for two days.",
}


@pytest.mark.parametrize(
    ("flags", "installed", "engines"),
    [
        ([], True, ["offline+embeddings"]),
        ([], False, ["offline"]),
        (["--no-embeddings"], True, ["offline"]),
        (["--with-lexical"], True, ["offline", "offline+embeddings"]),
        (["--with-lexical"], False, ["offline"]),
    ],
)
def test_eval_default_engine(
    flags: list[str],
    installed: bool,
    engines: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_bridge: None,
) -> None:
    _installed(monkeypatch, installed)
    cases = tmp_path / "v.jsonl"
    cases.write_text(json.dumps(ROW) + "\n")
    args = ["eval", "diagnosis", "--cases", str(cases), "--split", "all", "--format", "json"]
    result = CliRunner().invoke(cli, [*args, *flags])
    assert result.exit_code == 0, result.output
    assert [e["engine"] for e in json.loads(result.output)["engines"]] == engines


@pytest.mark.parametrize(
    ("flags", "installed", "exit_code"),
    [([], False, 0), (["--no-embeddings"], False, 0), (["--embeddings"], False, 2)],
)
def test_differential_cli_without_the_extra(
    flags: list[str],
    installed: bool,
    exit_code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _installed(monkeypatch, installed)
    assert main(["differential", CASE, "--format", "json", *flags]) == exit_code
    out, err = capsys.readouterr()
    if exit_code == 0:
        assert json.loads(out)["model"] == "offline"
    else:
        assert err.startswith("evident: error:") and "evident[embeddings]" in err
        assert len(err.strip().splitlines()) == 1
