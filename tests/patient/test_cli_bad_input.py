"""``evident patient-summary`` on messy input: one-line errors that never echo the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.cli.main import main

from .conftest import NOTE, TRANSCRIPT

FAKE_NAME = "John Zyxwv"
CHAT = f"[doctor] Hello {FAKE_NAME}, how is the knee?\n[patient] Still sore.\n"


@pytest.mark.parametrize(
    ("note", "source", "message"),
    [
        (CHAT, None, "looks like a transcript, not a note"),
        (f'{{"sections": [{{"text": "{FAKE_NAME}"}}]}}', None, "is JSON, not a note"),
        (f'[{{"speaker": "doctor", "text": "{FAKE_NAME}"}}]', None, "is JSON, not a note"),
        (f"{FAKE_NAME}\n".encode("latin-1") + b"caf\xe9\n", None, "not UTF-8"),
        ("\u200b \n\x07\n", None, "is empty"),
        (NOTE, f"[doctor] {FAKE_NAME}\x00\n", "binary"),
    ],
)
def test_bad_input_is_one_line_without_the_text(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    note: str | bytes,
    source: str | None,
    message: str,
) -> None:
    args = ["patient-summary", "--note", _write(tmp_path / "n.txt", note), "--no-audit"]
    if source is not None:
        args += ["--source", _write(tmp_path / "t.txt", source)]
    assert main(args) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out == "" and message in err and err.count("\n") == 1
    assert "Zyxwv" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    "note",
    [
        NOTE.upper(),
        NOTE.replace("\n", "\r\n"),
        NOTE.replace("\n", "\r"),
        NOTE.replace("metformin", "met\u200bformin\x1b[0m").replace("knee", "knee 🦵"),
    ],
)
def test_messy_notes_give_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], note: str
) -> None:
    args = ["patient-summary", "--note", _write(tmp_path / "n.txt", note), "--no-audit"]
    args += ["--source", _write(tmp_path / "t.txt", TRANSCRIPT), "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["statements"] and "\x1b" not in json.dumps(data)


def _write(path: Path, content: str | bytes) -> str:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (CHAT, "looks like a transcript, not a note"),
        (f'{{"sections": [{{"text": "{FAKE_NAME}"}}]}}', "is JSON, not a note"),
    ],
)
def test_reply_refuses_what_is_no_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], note: str, message: str
) -> None:
    msg = _write(tmp_path / "m.txt", "Can I take ibuprofen for the knee pain?\n")
    args = ["reply", msg, "--note", _write(tmp_path / "n.txt", note), "--no-audit"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Zyxwv" not in err
