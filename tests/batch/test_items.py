"""Batch input: folders and JSONL into items, with one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.batch import read_items
from evident.errors import InputError


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("task", "files", "ids", "roles"),
    [
        ("deid", {"b.txt": "x", "a.txt": "y"}, ["a", "b"], ("text",)),
        ("deid", {"n1.note.txt": "x", ".hidden": "z"}, ["n1.note"], ("text",)),
        (
            "verify",
            {"e1.source.txt": "s", "e1.draft.txt": "d", "e0.draft.md": "d", "e0.source.txt": "s"},
            ["e0", "e1"],
            ("source", "draft"),
        ),
    ],
)
def test_folder(
    tmp_path: Path, task: str, files: dict[str, str], ids: list[str], roles: tuple[str, ...]
) -> None:
    items = read_items(_write(tmp_path / "in", files), task)
    assert [i.id for i in items] == ids
    assert all(tuple(r for r, _, _ in i.files) == roles for i in items)


@pytest.mark.parametrize(
    ("task", "rows", "ids"),
    [
        ("deid", [{"id": "b", "text": "x"}, {"id": 7, "text": "y"}], ["7", "b"]),
        ("verify", [{"id": "e", "source": "s", "draft": "d"}], ["e"]),
        ("scribe", [{"id": "p", "path": "f.txt"}], ["p"]),
    ],
)
def test_jsonl(tmp_path: Path, task: str, rows: list[dict[str, object]], ids: list[str]) -> None:
    (tmp_path / "f.txt").write_text("[doctor] hello", encoding="utf-8")
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert [i.id for i in read_items(path, task)] == ids


@pytest.mark.parametrize(
    ("task", "lines", "message"),
    [
        ("deid", ['{"id": "a", "text": "x"}', '{"id": "a", "text": "y"}'], "duplicate item id"),
        ("deid", ["{not json"], "line 1: not valid JSON"),
        ("deid", ['["a"]'], "expected a JSON object"),
        ("deid", ['{"text": "x"}'], "'id' must be"),
        ("deid", ['{"id": "../etc", "text": "x"}'], "without /"),
        ("deid", ['{"id": true, "text": "x"}'], "'id' must be"),
        ("verify", ['{"id": "a", "source": "x"}'], "needs 'draft'"),
        ("deid", [], "no items"),
        ("nope", ['{"id": "a", "text": "x"}'], "unknown batch task"),
    ],
)
def test_bad_jsonl(tmp_path: Path, task: str, lines: list[str], message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_items(path, task)


def test_bad_inputs_name_no_content(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has no draft file"):
        read_items(_write(tmp_path / "v", {"e1.source.txt": "Jane Roe"}), "verify")
    with pytest.raises(InputError, match="does not exist"):
        read_items(tmp_path / "missing", "deid")
    big = tmp_path / "big"
    big.mkdir()
    (big / "x.txt").write_bytes(b"a" * (10 * 1024 * 1024 + 1))
    with pytest.raises(InputError, match="over"):
        read_items(big, "deid")


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (b'\xef\xbb\xbf{"id": "a", "text": "x"}\n', ["a"]),  # a spreadsheet's byte-order mark
        (b'{"id": "a", "text": "x"}\r\n\r\n{"id": "b", "text": "y"}\r\n', ["a", "b"]),
        (b'{"id": "a", "text": "x", "extra": 1}\n', ["a"]),
        (
            b'{"id": "a", "text": "x"}\n{"id": "b", "text": "John Zyxwv \xff"}\n',
            "line 2: not UTF-8",
        ),
        (b'{"id": "a", "text": "caf\xe9 John Zyxwv"}\n', "line 1: not UTF-8"),
        (b'{"id": "a", "text": "x"}\n{"id": "b", "text": John Zyxwv\n', "line 2: not valid JSON"),
    ],
)
def test_jsonl_bytes(tmp_path: Path, content: bytes, outcome: list[str] | str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    if isinstance(outcome, list):
        assert [i.id for i in read_items(path, "deid")] == outcome
        return
    with pytest.raises(InputError, match=outcome) as caught:
        read_items(path, "deid")
    assert "Zyxwv" not in str(caught.value)
