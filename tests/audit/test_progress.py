"""Long commands show a bar with a total on a terminal and nothing otherwise."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from evident.cli.main import main


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _args(kind: str, tmp_path: Path) -> list[str]:
    if kind == "bench audit":
        return ["bench", "audit", "--limit", "5"]
    path = tmp_path / "notes.txt"
    path.write_text("Patient John Smith was seen on 03/04/2021.\n" * 200, encoding="utf-8")
    return ["deid", str(path)]


@pytest.mark.parametrize(
    ("kind", "tty", "shown"),
    [
        ("bench audit", True, "0/5"),
        ("bench audit", False, ""),
        ("deid", True, "deid"),
        ("deid", False, ""),
    ],
)
def test_progress_only_on_a_terminal(tmp_path, monkeypatch, capsys, kind, tty, shown) -> None:
    err = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(_args(kind, tmp_path)) == 0
    capsys.readouterr()
    if shown:
        assert shown in err.getvalue()
    else:
        assert err.getvalue() == ""
