"""MEDEC scoring, prompt rendering, the offline engine and the report's SVG."""

from __future__ import annotations

import pytest

from evident.errors import ConfigError
from evident.evals.items import EvalItem
from evident.evals.offline import offline_answer
from evident.evals.prompts import build_messages, fill, load_prompt, prompt_for
from evident.evals.report import Reference, bar_chart_svg
from evident.evals.score import extract_medec, score_output

MEDEC = EvalItem(
    "m1",
    "medec",
    "text",
    {"A": "contains a medical error", "B": "contains no error"},
    "A",
    kind="medec",
    sentences=((0, "First."), (1, "Second.")),
    error_sentence_id=1,
)


@pytest.mark.parametrize(
    ("raw", "flag", "sid", "method"),
    [
        ('{"error_flag": 1, "error_sentence_id": 1, "corrected_sentence": "x"}', True, 1, "json"),
        ('{"error_flag": "0", "error_sentence_id": 4}', False, -1, "json"),
        ('{"error_flag": true, "error_sentence_id": "sentence 3"}', True, 3, "json"),
        ('{"error_flag": "yes"}', True, None, "json"),
        ('Reasoning. {"error_flag": 1, "error_sentence_id": 2}', True, 2, "json"),
        ("CORRECT", False, -1, "prose"),
        ("7 The patient is given drug eta.", True, 7, "prose"),
        ('{"error_flag": "perhaps"}', None, None, "none"),
        ("I am not sure.", None, None, "none"),
        ("", None, None, "empty"),
    ],
)
def test_extract_medec(raw, flag, sid, method):
    assert extract_medec(raw) == (flag, sid, method)


@pytest.mark.parametrize(
    ("raw", "correct", "sentence_correct"),
    [
        ('{"error_flag": 1, "error_sentence_id": 1}', True, True),
        ('{"error_flag": 1, "error_sentence_id": 0}', True, False),
        ('{"error_flag": 0, "error_sentence_id": -1}', False, False),
        ("nonsense", False, False),
    ],
)
def test_score_medec(raw, correct, sentence_correct):
    scored = score_output(MEDEC, raw)
    assert (scored.correct, scored.sentence_correct) == (correct, sentence_correct)


def test_fill_expands_once_and_keeps_json_braces():
    template = 'Q: {question}\nReply {"answer_choice": "X"} {unknown}'
    out = fill(template, {"question": "Is {options} literal?", "options": "NO"})
    assert out == 'Q: Is {options} literal?\nReply {"answer_choice": "X"} {unknown}'


def test_prompts_are_versioned_and_include_context():
    item = EvalItem("p", "t", "Does it help?", {"A": "yes", "B": "no"}, "A", context=("Ctx one.",))
    prompt, output_type = prompt_for(item, "cot")
    assert prompt.version == "mcq-cot/1" and output_type.__name__ == "CoTAnswer"
    system, user = build_messages(item, prompt)
    assert system.role == "system" and "step_by_step_thinking" in system.content
    assert "[1] Ctx one." in user.content and "A. yes\nB. no" in user.content
    assert prompt_for(MEDEC, "zero-shot")[0].version == "medec-zero-shot/1"
    assert "1 Second." in build_messages(MEDEC, prompt_for(MEDEC, "zero-shot")[0])[1].content


@pytest.mark.parametrize("name", ["nosuch", "../prompts/mcq-cot"])
def test_unknown_prompt(name):
    with pytest.raises(ConfigError):
        load_prompt(name)


def test_unknown_mode():
    with pytest.raises(ConfigError):
        prompt_for(MEDEC, "few-shot")


YNM = {"A": "yes", "B": "no", "C": "maybe"}


@pytest.mark.parametrize(
    ("question", "context", "options", "letter"),
    [
        ("Does drug zed lower the score?", ("Drug zed lowered the score markedly.",), YNM, "A"),
        (
            "Does drug zed lower the score?",
            ("Drug zed did not lower the score and showed no significant effect.",),
            YNM,
            "B",
        ),
        (
            "Does drug zed lower the score?",
            ("Drug zed may lower the score, but the evidence is unclear.",),
            YNM,
            "C",
        ),
        (
            "Which drug treats zed?",
            ("Zed is treated with glimmerine.",),
            {"A": "aspirin", "B": "glimmerine"},
            "B",
        ),
        (
            "Which drug treats zed?",
            ("Nothing relevant here.",),
            {"A": "aspirin", "B": "glimmerine"},
            None,
        ),
        ("Which drug treats zed?", (), {"A": "aspirin", "B": "glimmerine"}, None),
    ],
)
def test_offline_engine(question, context, options, letter):
    answer = offline_answer(EvalItem("o", "t", question, options, "A", context=context))
    assert answer.letter == letter
    assert answer.abstained == (letter is None)
    assert "offline-lexical" in answer.raw


def test_bar_chart_svg_draws_bars_whiskers_and_references():
    svg = bar_chart_svg(
        [("model <a>", 0.5, 0.4, 0.6), ("other", 0.25, 0.2, 0.3)],
        [Reference(label="human", value=78.0)],
        "title & more",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 2 and "stroke-dasharray" in svg
    assert "model &lt;a&gt;" in svg and "title &amp; more" in svg and "human: 78.00%" in svg
