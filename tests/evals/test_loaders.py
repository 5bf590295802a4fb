"""Benchmark loaders on synthetic fixtures and malformed files."""

from __future__ import annotations

import json

import pytest

from evident.errors import InputError
from evident.evals.loaders import load_benchmark, load_medec, load_mirage, load_pubmedqa


def test_load_mirage(fixtures):
    items = load_mirage(fixtures / "mirage_small.json", "medqa")
    assert [it.id for it in items][:2] == ["q1", "q2"]
    assert items[0].options["A"] == "Topical cream"
    assert items[0].answer == "A" and items[0].context == ()


def test_load_pubmedqa_with_contexts(fixtures):
    items = load_pubmedqa(fixtures / "pubmedqa_context.json")
    assert [it.answer for it in items] == ["A", "B", "C"]
    assert len(items[0].context) == 2
    assert dict(items[0].options) == {"A": "yes", "B": "no", "C": "maybe"}


def test_load_medec(fixtures):
    items = load_medec(fixtures / "medec_small.csv")
    assert [it.answer for it in items] == ["A", "B"]
    assert items[0].error_sentence_id == 1 and items[1].error_sentence_id == -1
    assert items[0].sentences[1] == (1, "He is given drug zeta.")
    assert items[0].meta["corrected_sentence"] == "He is given drug eta."


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("medqa", {"mmlu": {}}, "no dataset 'medqa'"),
        (
            "medqa",
            {"medqa": {"x": {"question": "q", "options": {"A": "a"}, "answer": "B"}}},
            "answer not in options",
        ),
        (
            "medqa",
            {"medqa": {"x": {"question": 3, "options": {"A": "a"}, "answer": "A"}}},
            "lacks question",
        ),
        ("medqa", {"medqa": {"x": "text"}}, "is not an object"),
        (
            "pubmedqa-context",
            {"1": {"QUESTION": "q", "CONTEXTS": [], "final_decision": "perhaps"}},
            "not yes/no/maybe",
        ),
        ("pubmedqa-context", {"1": {"QUESTION": "q"}}, "lacks QUESTION or CONTEXTS"),
        ("nosuch", {}, "unknown benchmark"),
    ],
)
def test_bad_benchmark_files(tmp_path, name, payload, message):
    path = tmp_path / "b.json"
    path.write_text(json.dumps(payload))
    with pytest.raises(InputError, match=message):
        load_benchmark(name, path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Text ID,Text\nx,y\n", "missing columns"),
        (
            "Text ID,Text,Sentences,Error Flag,Error Sentence ID\nx,t,0 t,2,-1\n",
            "line 2: Error Flag",
        ),
        (
            "Text ID,Text,Sentences,Error Flag,Error Sentence ID\nx,t,0 t,1,abc\n",
            "bad Error Sentence ID",
        ),
        ("Text ID,Text,Sentences,Error Flag,Error Sentence ID\n", "no rows"),
    ],
)
def test_bad_medec_files(tmp_path, content, message):
    path = tmp_path / "m.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_medec(path)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_benchmark("medqa", tmp_path / "absent.json")


_MEDEC_HEAD = b"Text ID,Text,Sentences,Error Flag,Error Sentence ID\n"


@pytest.mark.parametrize(
    ("name", "content", "outcome"),
    [
        # Spreadsheets and Windows editors save UTF-8 with a byte-order mark.
        ("medec", b"\xef\xbb\xbf" + _MEDEC_HEAD + b"x,t,0 t,0,-1\n", 1),
        (
            "medqa",
            b'\xef\xbb\xbf{"medqa": {"q1": {"question": "q?", "options": '
            b'{"A": "a", "B": "b"}, "answer": "A"}}}',
            1,
        ),
        ("medec", _MEDEC_HEAD + b"x,caf\xe9 John Zyxwv,0 t,0,-1\n", "not UTF-8"),
        ("medec", _MEDEC_HEAD[:-1] + b"\xff\n", "not UTF-8"),
        ("medqa", b'{"medqa": {"q1": "caf\xe9 John Zyxwv"}}', "not UTF-8"),
        ("medqa", b'{"medqa": {"q1": {"question": "John Zyxwv', "invalid JSON"),
    ],
)
def test_file_encodings(tmp_path, name, content, outcome):
    path = tmp_path / ("m.csv" if name == "medec" else "b.json")
    path.write_bytes(content)
    if isinstance(outcome, int):
        assert len(load_benchmark(name, path)) == outcome
        return
    with pytest.raises(InputError, match=outcome) as caught:
        load_benchmark(name, path)
    assert "Zyxwv" not in str(caught.value)
