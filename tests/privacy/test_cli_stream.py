"""The deid CLI (offsets into the original, bad input) and streaming equivalence."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.privacy import Detector, Redactor, Surrogator, deidentify_stream, transform
from evident.sources import DEFAULT_MAX_BYTES, MAX_BYTES_ENV

NOTE = (
    "Patient: HALLORAN, MARGARET   MRN: 00482913\n"
    "Seen by Dr. Irene Barrowman on March 14th, 2023. Call 555-123-4567.\n"
    "Lives at 1234 N. Oak Street, Springfield, IL 62704.\n"
)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_offsets_point_into_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    code, out, _ = _run(capsys, "deid", str(path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"text", "spans"}
    assert {s["type"] for s in data["spans"]} >= {"NAME", "MRN", "DATE", "PHONE", "ZIP"}
    for span in data["spans"]:
        assert NOTE[span["start"] : span["end"]] == span["text"]
        assert set(span) == {"start", "end", "type", "text", "score"}
    assert "Irene" not in data["text"] and "[NAME]" in data["text"]


def test_cli_surrogate_mode_is_consistent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIDENT_PRIVACY_KEY", "test-secret")
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    _, first, _ = _run(capsys, "deid", str(path), "--mode", "surrogate", "--patient", "p9")
    _, second, _ = _run(capsys, "deid", str(path), "--mode", "surrogate", "--patient", "p9")
    assert first == second and "Irene" not in first and "[NAME]" not in first


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"abc\x00\x01def", "binary"),
        (b"caf\xe9 au lait\n", "not valid UTF-8"),
    ],
)
def test_cli_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    code, _, err = _run(capsys, "deid", str(path))
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def _whole_and_chunked(text: str, operator_factory: object) -> tuple[str, str, list, list]:
    detector = Detector()
    whole_spans = detector.detect(text)
    assert callable(operator_factory)
    whole = transform(text, whole_spans, operator_factory()).text
    pieces = list(
        deidentify_stream(
            io.StringIO(text, newline=""), detector, operator_factory(), chunk_chars=200
        )
    )
    chunked = "".join(p for p, _ in pieces)
    spans = [s for _, found in pieces for s in found]
    return whole, chunked, whole_spans, spans


def test_streaming_equals_whole_text() -> None:
    lines = []
    for i in range(60):
        lines.append(
            f"Visit {i}: Dr. Irene Barrowman saw John Smith on 03/{i % 28 + 1:02d}/2023.\n"
        )
        lines.append("Address: 12 Main Street,\n")  # an address whose city is on the next line
        lines.append(f"Springfield, IL 627{i % 90 + 10}. MRN {1000000 + i}. Call 555-123-4567.\n")
    text = "".join(lines)
    assert len(text) > 20 * 200  # many chunks
    for factory in (Redactor, lambda: Surrogator(b"k" * 32, "p1")):
        whole, chunked, whole_spans, spans = _whole_and_chunked(text, factory)
        assert chunked == whole
        assert [(s.start, s.end, s.type) for s in spans] == [
            (s.start, s.end, s.type) for s in whole_spans
        ]


def test_streaming_handles_span_across_chunk_edge() -> None:
    text = "x" * 190 + "\nCall 555-123-\n4567 now.\n" + "y" * 50 + "\n"
    detector = Detector()
    pieces = list(deidentify_stream(io.StringIO(text), detector, Redactor(), chunk_chars=200))
    assert "".join(p for p, _ in pieces) == transform(text, detector.detect(text), Redactor()).text


@pytest.mark.parametrize("chunk", [64, 200, 1 << 16])
def test_streaming_carries_found_values_forward(chunk: int) -> None:
    text = "Ms. Quenneville returns.\n" + "Knee is better.\n" * 30 + "quenneville's knee ok.\n"
    pieces = deidentify_stream(
        io.StringIO(text), Detector(), Redactor(), chunk_chars=chunk, context_lines=1
    )
    out = "".join(p for p, _ in pieces)
    assert "uenneville" not in out.lower() and out.count("[NAME]") == 2


@pytest.mark.parametrize(
    ("flags", "found"),
    [
        (["--ner", "--ner-model", "en_core_web_sm"], True),
        (["--no-ner", "--ner-model", "en_core_web_sm"], False),
        (["--no-ner"], False),
    ],
)
def test_cli_ner_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], found: bool
) -> None:
    path = tmp_path / "n.txt"
    path.write_text("He met Ana Lucia Ferreira in Kalamazoo last year.\n", encoding="utf-8")
    assert main(["deid", str(path), *flags, "--format", "json"]) == 0
    spans = json.loads(capsys.readouterr().out)["spans"]
    assert ("Ana Lucia Ferreira" in [s["text"] for s in spans]) is found


def test_cli_model_choices_are_the_detectors() -> None:
    from evident.cli.main import cli
    from evident.privacy.detect import NER_MODELS

    options = {p.name: p for p in cli.commands["deid"].params}
    assert tuple(options["ner_model"].type.choices) == NER_MODELS  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"Knee pain, no fever.\n" * 5000 + b"caf\xe9 au lait\n", 5001),
        (b"x" * 100_000 + b"\xff\n", 1),
        (b"ok\n" * 3 + b"\xe2\x82\n", 4),  # a character cut short at the end of the file
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_bad_bytes_late_in_file_print_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, line: int, fmt: str
) -> None:
    path = tmp_path / "late.txt"
    path.write_bytes(content)
    code, out, err = _run(capsys, "deid", str(path), "--no-ner", "--format", fmt)
    assert code == 2 and out == ""
    assert f"not valid UTF-8 (line {line})" in err and err.count("\n") == 1


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_cli_reads_utf16_with_a_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    path = tmp_path / "note16.txt"
    path.write_bytes(bom + NOTE.encode(encoding))
    code, out, _ = _run(capsys, "deid", str(path), "--no-ner", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "Irene" not in data["text"] and data["spans"]
    for span in data["spans"]:
        assert NOTE[span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize(
    ("size", "limit", "refused"),
    [
        (1000, "1000", False),  # at the limit: read
        (1001, "1000", True),  # one byte over: refused
        (DEFAULT_MAX_BYTES + 1, None, True),  # the default limit of every command
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_refuses_oversize_input_before_reading_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    size: int,
    limit: str | None,
    refused: bool,
    fmt: str,
) -> None:
    if limit is None:
        monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    else:
        monkeypatch.setenv(MAX_BYTES_ENV, limit)
    line = b"Seen by Dr. Zyxwv Quillon, no fever.\n"
    path = tmp_path / "big.txt"
    if size > 10_000:  # NUL bytes: had it been read, it would be refused as binary
        with path.open("wb") as fh:
            fh.truncate(size)
    else:
        path.write_bytes((line * (size // len(line) + 1))[: size - 1] + b"\n")
    code, out, err = _run(capsys, "deid", str(path), "--no-ner", "--format", fmt)
    if not refused:
        assert code == 0 and "[NAME]" in out
        return
    assert code == 2 and out == ""
    bound = limit or str(DEFAULT_MAX_BYTES)
    assert f"'big.txt' is {size} bytes, over the limit of {bound}" in err
    assert MAX_BYTES_ENV in err and err.count("\n") == 1 and "Zyxwv" not in err


_LINE = "Seen by Dr. Zyxwv Quillon, no fever.\n"


@pytest.mark.parametrize(
    ("lines", "limit", "code", "expected"),
    [
        (2, None, 0, "Seen by Dr. [NAME], no fever.\n" * 2),
        (400, None, 0, "Seen by Dr. [NAME], no fever.\n" * 400),  # past the sniffed start
        (400, "1000", 2, "'stdin' is over the limit of 1000 bytes"),
    ],
)
def test_cli_reads_a_pipe_once_and_bounds_it(
    lines: int, limit: str | None, code: int, expected: str
) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != MAX_BYTES_ENV}
    if limit is not None:
        env[MAX_BYTES_ENV] = limit
    done = subprocess.run(
        [sys.executable, "-m", "evident", "deid", "/dev/stdin", "--no-ner"],
        input=_LINE * lines,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    if code == 0:
        assert done.stdout == expected
        return
    assert expected in done.stderr and done.stderr.count("\n") == 1
    assert "Zyxwv" not in done.stderr + done.stdout
