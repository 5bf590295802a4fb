"""Answer extraction: the published MIRAGE convention and the robust extractor."""

from __future__ import annotations

import pytest

from evident.evals.extract import extract_choice, find_json_objects, mirage_choice, raw_text

ABCD = {"A": "Topical cream", "B": "Oral pill", "C": "Surgery", "D": "Observation"}
YNM = {"A": "yes", "B": "no", "C": "maybe"}


@pytest.mark.parametrize(
    ("raw", "options", "letter", "method"),
    [
        ('{"answer_choice": "B"}', ABCD, "B", "json"),
        ('{"step_by_step_thinking": "x", "answer_choice": "C. Surgery"}', ABCD, "C", "json"),
        ('{"answer": "(D)"}', ABCD, "D", "json"),
        ('{"answer_choice": 2}', ABCD, None, "none"),
        ('```json\n{"answer_choice": "A"}\n```', ABCD, "A", "json"),
        ('Sure. {"answer_choice": "Option B"} Hope this helps.', ABCD, "B", "json"),
        ('{"answer_choice": "Surgery"}', ABCD, "C", "json"),
        ('{"answer_choice": "no"}', YNM, "B", "json"),
        ('{"answer_choice": "C and D"}', ABCD, None, "none"),
        ('{"step_by_step_thinking": "long", "answer_choice": "D. Observ', ABCD, "D", "json-text"),
        ("The answer is (B).", ABCD, "B", "prose"),
        ("Reasoning... Final answer: C", ABCD, "C", "prose"),
        ("So the answer choice is: A. Topical cream", ABCD, "A", "prose"),
        ("I would choose D because it is safest.", ABCD, "D", "prose"),
        ("(B) is the correct option", ABCD, "B", "prose"),
        ("Thinking first.\n\n**C**", ABCD, "C", "prose"),
        ("Observation", ABCD, "D", "option-text"),
        ("maybe", YNM, "C", "option-text"),
        ("A patient like this needs care.", ABCD, None, "none"),
        ("yes or no, hard to say", YNM, None, "none"),
        ("", ABCD, None, "empty"),
        ("   \n", ABCD, None, "empty"),
        ([], ABCD, None, "empty"),
        (['{"answer_choice": "A"}', '{"answer_choice": "B"}'], ABCD, "A", "json"),
        (None, ABCD, None, "empty"),
        ("The answer is E.", ABCD, None, "none"),
        ("{not json at all", ABCD, None, "none"),
    ],
)
def test_extract_choice(raw, options, letter, method):
    found = extract_choice(raw, options)
    assert (found.letter, found.method) == (letter, method)


@pytest.mark.parametrize(
    ("raw", "letter", "found"),
    [
        ('{"answer_choice": "B"}', "B", True),
        ('{"answer_choice": "C or D"}', "C", True),
        ('{"answer_choice": "D and A"}', "D", True),
        ('{"answer_choice": "B/C"}', "B", True),
        ('{"answer_choice": "A, then B"}', "A", True),
        ('{"answer_choice": "the best is option D"}', "D", True),
        ('{"answer_choice": "Choice: C"}', "C", True),
        ('{"answer_choice": "B. Oral pill"}', "B", True),
        ('{"answer_choice": "None of the above"}', "A", False),
        ('{"answer_choice": "930"}', "A", False),
        ("the answer is C", "C", True),
        ("the answer is (C)", "A", False),
        ([], "A", False),
        ("", "A", False),
        (['{"answer_choice": "D"}'], "D", True),
    ],
)
def test_mirage_convention(raw, letter, found):
    assert mirage_choice(raw) == (letter, found)


def test_mirage_reads_only_after_last_answer_choice_marker():
    raw = '{"answer_choice": "B"} and later {"answer_choice": "C"}'
    assert mirage_choice(raw) == ("C", True)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ('{"a": 1}', 1),
        ('x {"a": 1} y {"b": 2}', 2),
        ('```\n{"a": 1}\n```', 1),
        ("[1, 2]", 0),
        ("{broken", 0),
    ],
)
def test_find_json_objects(text, count):
    assert len(find_json_objects(text)) == count


def test_raw_text_serialises_other_values():
    assert raw_text({"answer_choice": "A"}) == '{"answer_choice": "A"}'
