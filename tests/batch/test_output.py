"""The output log keeps every finished item, resumes, and ends sorted without duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.batch import OutputLog
from evident.errors import InputError


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_sorted_and_deduplicated(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    log = OutputLog(out, resume=False)
    assert log.append({"id": "b", "ok": True, "result": 1})
    assert log.append({"id": "a", "ok": True, "result": 2})
    assert not log.append({"id": "b", "ok": True, "result": 3})
    assert log.partial.exists()
    assert log.finish() == 2
    assert [r["id"] for r in _lines(out)] == ["a", "b"]
    assert _lines(out)[1]["result"] == 1
    assert not log.partial.exists()


@pytest.mark.parametrize(
    ("final", "partial", "done"),
    [
        ([{"id": "a"}], "", {"a"}),
        ([], '{"id": "c", "ok": true}\n{"id": "d", "ok"', {"c"}),  # a line cut by a crash
        ([{"id": "a"}], '{"id": "b", "ok": true}\n', {"a", "b"}),
    ],
)
def test_resume_reads_output_and_partial_log(
    tmp_path: Path, final: list[dict[str, str]], partial: str, done: set[str]
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in final), encoding="utf-8")
    out.with_name("out.jsonl.partial").write_text(partial, encoding="utf-8")
    assert set(OutputLog(out, resume=True).done) == done


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
        assert OutputLog(out, resume=False).done == outcome
        return
    with pytest.raises(InputError, match=outcome):
        OutputLog(out, resume=False)
    assert out.with_name("out.jsonl.partial").read_text(encoding="utf-8") == partial


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (b'{"id": "a"}\n{"id": "b", "text": "caf\xc3', {"a"}),  # cut inside a character
        (b'{"id": "a"}\n\xff\xfe John Zyxwv\n{"id": "b"}\n', "line 2 is not JSON"),
    ],
)
def test_resume_reads_bytes(tmp_path: Path, content: bytes, outcome: set[str] | str) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(content)
    if isinstance(outcome, set):
        assert set(OutputLog(out, resume=True).done) == outcome
        return
    with pytest.raises(InputError, match=outcome) as caught:
        OutputLog(out, resume=True)
    assert "Zyxwv" not in str(caught.value)


def test_an_unwritable_output_fails_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write the output"):
        OutputLog(tmp_path / "file" / "out.jsonl", resume=False)


def test_corrupt_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a"}\nnot json\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2 is not JSON"):
        OutputLog(out, resume=True)
