"""The output log keeps every finished item, resumes, and ends sorted without duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.batch import BatchKey, Item, OutputLog
from evident.errors import InputError

_KEY = BatchKey.of(
    "deid", [Item(i, (("text", f"{i}.txt", i.encode()),)) for i in "abcdx"], None, ()
)


def _row(item_id: str, **fields: object) -> dict[str, object]:
    """A line this batch (``_KEY``) wrote for ``item_id``."""
    return _KEY.stamp({"id": item_id, "ok": True, **fields})


def _text(*rows: dict[str, object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_sorted_and_deduplicated(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    log = OutputLog(out, key=_KEY, resume=False)
    assert log.append({"id": "b", "ok": True, "result": 1})
    assert log.append({"id": "a", "ok": True, "result": 2})
    assert not log.append({"id": "b", "ok": True, "result": 3})
    assert log.partial.exists()
    assert log.finish() == 2
    assert [r["id"] for r in _lines(out)] == ["a", "b"]
    assert _lines(out)[1] == _row("b", result=1)  # stamped with the batch's key
    assert not log.partial.exists()


@pytest.mark.parametrize(
    ("final", "partial", "done"),
    [
        ([_row("a")], "", {"a"}),
        ([], _text(_row("c")) + '{"id": "d", "ok"', {"c"}),  # a line cut by a crash
        ([_row("a")], _text(_row("b")), {"a", "b"}),
    ],
)
def test_resume_reads_output_and_partial_log(
    tmp_path: Path, final: list[dict[str, object]], partial: str, done: set[str]
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(_text(*final), encoding="utf-8")
    out.with_name("out.jsonl.partial").write_text(partial, encoding="utf-8")
    assert set(OutputLog(out, key=_KEY, resume=True).done) == done


@pytest.mark.parametrize(
    ("partial", "outcome"),
    [
        (None, {}),
        ("", {}),
        # Finished items of an interrupted batch are never discarded without --resume.
        ('{"id": "x"}\n', "run again with --resume"),
    ],
)
def test_no_resume_starts_afresh_but_keeps_finished_items(
    tmp_path: Path, partial: str | None, outcome: dict[str, object] | str
) -> None:
    out = tmp_path / "out.jsonl"
    if partial is not None:
        out.with_name("out.jsonl.partial").write_text(partial, encoding="utf-8")
    if isinstance(outcome, dict):
        assert OutputLog(out, key=_KEY, resume=False).done == outcome
        return
    with pytest.raises(InputError, match=outcome):
        OutputLog(out, key=_KEY, resume=False)
    assert out.with_name("out.jsonl.partial").read_text(encoding="utf-8") == partial


@pytest.mark.parametrize(
    ("final", "overwrite", "outcome"),
    [
        (None, False, {}),
        ("", False, {}),  # an empty file holds nothing to lose
        (_text(_row("a")), True, {}),
        # A finished batch's output is never replaced without --overwrite.
        (_text(_row("a")), False, "--resume to add what it lacks, --overwrite to replace it"),
    ],
)
def test_no_resume_keeps_a_finished_output_unless_told(
    tmp_path: Path, final: str | None, overwrite: bool, outcome: dict[str, object] | str
) -> None:
    out = tmp_path / "out.jsonl"
    if final is not None:
        out.write_text(final, encoding="utf-8")
    if isinstance(outcome, dict):
        log = OutputLog(out, key=_KEY, resume=False, overwrite=overwrite)
        assert log.done == outcome
        log.append({"id": "b", "ok": True})
        log.finish()
        assert [r["id"] for r in _lines(out)] == ["b"]
        return
    with pytest.raises(InputError, match=outcome):
        OutputLog(out, key=_KEY, resume=False, overwrite=overwrite)
    assert out.read_text(encoding="utf-8") == final
    assert not out.with_name("out.jsonl.partial").exists()


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (_text(_row("a")).encode() + b'{"id": "b", "text": "caf\xc3', {"a"}),  # cut in a char
        (_text(_row("a")).encode() + b'\xff\xfe John Zyxwv\n{"id": "b"}\n', "line 2 is not JSON"),
    ],
)
def test_resume_reads_bytes(tmp_path: Path, content: bytes, outcome: set[str] | str) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(content)
    if isinstance(outcome, set):
        assert set(OutputLog(out, key=_KEY, resume=True).done) == outcome
        return
    with pytest.raises(InputError, match=outcome) as caught:
        OutputLog(out, key=_KEY, resume=True)
    assert "Zyxwv" not in str(caught.value)


def test_an_unwritable_output_fails_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write the output"):
        OutputLog(tmp_path / "file" / "out.jsonl", key=_KEY, resume=False)


def test_corrupt_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(_text(_row("a")) + "not json\n" + _text(_row("b")), encoding="utf-8")
    with pytest.raises(InputError, match="line 2 is not JSON"):
        OutputLog(out, key=_KEY, resume=True)


@pytest.mark.parametrize(
    ("where", "line", "message"),
    [
        ("partial", _row("c"), None),
        (
            "partial",
            _row("c") | {"task": "scribe"},
            "line 2 is a result of 'scribe', not of 'deid'",
        ),
        ("output", _row("c") | {"task": "Zyxwv"}, "line 2 is a result of another task,"),
        ("partial", _row("c") | {"input_sha256": "0" * 64}, "line 2: its item's input has"),
        ("output", _row("c") | {"options_sha256": "0" * 64}, "line 2 ran with other options"),
        ("partial", _row("c") | {"id": "zz"}, "line 2 is an item that is not in the input"),
        ("output", {"id": "c", "ok": True}, "line 2 records no task, options or input"),
        ("partial", ["c"], "line 2 is not a batch output line"),
    ],
)
def test_resume_refuses_lines_of_another_batch(
    tmp_path: Path, where: str, line: object, message: str | None
) -> None:
    out = tmp_path / "out.jsonl"
    target = out if where == "output" else out.with_name("out.jsonl.partial")
    target.write_text(_text(_row("a")) + json.dumps(line) + "\n", encoding="utf-8")
    before = target.read_bytes()
    if message is None:
        assert set(OutputLog(out, key=_KEY, resume=True).done) == {"a", "c"}
        return
    with pytest.raises(InputError, match=message) as caught:
        OutputLog(out, key=_KEY, resume=True)
    assert f"'{target.name}' " in str(caught.value) and "Zyxwv" not in str(caught.value)
    assert target.read_bytes() == before
