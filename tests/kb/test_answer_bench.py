"""`evident bench kb answers`: the cited sentence per question, and hand judgments scored."""

from __future__ import annotations

import json

import pytest

from evident.cli.main import main
from evident.tasks.evidence_qa.bench import AnswerCase, _spread, score_judgments

# Invented records in the two data sets' shapes (no dataset text).
PUBMEDQA = {
    str(90000 + i): {
        "QUESTION": f"Does glimmerine dose {i} reduce zentor relapse?",
        "CONTEXTS": [
            f"The aim of this study was to assess whether glimmerine dose {i} reduces "
            "zentor relapse.",
            f"Glimmerine dose {i} reduced zentor relapse by half (p = 0.01).",
        ],
        "LABELS": ["BACKGROUND", "RESULTS"],
    }
    for i in range(12)
}
MEDQUAD = [
    {
        "source": "test",
        "url": f"https://example.org/zentor-{i}",
        "focus": f"Zentor type {i}",
        "qtype": "causes",
        "question": f"What causes zentor type {i} ?",
        "answer": f"What causes zentor type {i}? Zentor type {i} is caused by a parasite.",
    }
    for i in range(12)
]


@pytest.fixture
def data(tmp_path):
    pubmedqa = tmp_path / "pqa.json"
    pubmedqa.write_text(json.dumps(PUBMEDQA))
    medquad = tmp_path / "mq.jsonl"
    medquad.write_text("\n".join(json.dumps(r) for r in MEDQUAD) + "\n")
    return pubmedqa, medquad


def test_bench_prints_cited_sentences_and_scores_judgments(data, tmp_path, capsys):
    pubmedqa, medquad = data
    args = ["bench", "kb", "answers", "--pubmedqa", str(pubmedqa), "--medquad", str(medquad)]
    args += ["--n", "4", "--split", "test", "--format", "json"]
    assert main(args) == 0
    cases = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(cases) == 4 and {c["dataset"] for c in cases} == {"pubmedqa", "medquad"}
    for c in cases:  # the findings and causes are cited, not the aims and headings
        assert "reduced" in c["sentence"] or "caused by" in c["sentence"], c
    marks = {c["key"]: i % 2 == 0 for i, c in enumerate(cases)}
    (tmp_path / "j.json").write_text(json.dumps(marks))
    assert main([*args[:-2], "--judgments", str(tmp_path / "j.json")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "accepted 2 of 4 judged (4 cases)"


@pytest.mark.parametrize("n", [3, 5, 10])
def test_samples_are_disjoint(n):
    items = [(str(i), "q") for i in range(100)]
    picks = [set(_spread(items, n, sample)) for sample in range(3)]
    assert all(len(p) == n for p in picks)
    assert not (picks[0] & picks[1]) and not (picks[1] & picks[2])


@pytest.mark.parametrize(
    ("sentence", "mark", "accepted"),
    [("An answer.", True, 1), ("An answer.", False, 0), ("", True, 0)],
)
def test_an_abstention_is_never_accepted(sentence, mark, accepted):
    case = AnswerCase("q1", "medquad", "Q?", sentence, "p1" if sentence else "")
    assert score_judgments([case], {case.key: mark}) == (accepted, 1)


def test_the_bench_needs_a_data_set(capsys):
    assert main(["bench", "kb", "answers"]) == 2
