"""The package imports and the CLI answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from evident.cli.main import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "0.1.0" in capsys.readouterr().out


def test_unknown_model_is_one_line_error(capsys, tmp_path):
    from evident.errors import ConfigError
    from evident.models import load_backend

    try:
        load_backend("nosuch:thing")
    except ConfigError as exc:
        assert "nosuch" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ConfigError")


def test_output_piped_into_a_reader_that_stops_early_is_no_error():
    import subprocess
    import sys

    cmd = f'"{sys.executable}" -m evident demo | head -n 1'
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Evident demo")
    assert "BrokenPipeError" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["audit", "export", "-o", "{tmp}/no/such/folder/x.jsonl"], "No such file or directory"),
        (
            ["eval", "run", "--benchmark", "medqa", "--data", "{data}", "--out", "{tmp}/file"],
            "Not a directory",
        ),
    ],
)
def test_unwritable_paths_are_one_line_errors(argv, message, tmp_path, capsys, monkeypatch):
    from evident.audit import open_store

    db = tmp_path / "audit.sqlite3"
    open_store(str(db)).close()
    monkeypatch.setenv("EVIDENT_DB_URL", str(db))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    data = Path(__file__).parent / "evals" / "fixtures" / "mirage_small.json"
    args = [a.format(tmp=tmp_path, data=data) for a in argv]
    assert main([*args, "--no-progress"] if "eval" in args else args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"evident: error: {message}") and err.count("\n") == 1
