"""JSON extraction, validation and the strict-schema check shared by the backends."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict

from evident.models.base import Message
from evident.models.structured import (
    InvalidOutput,
    extract_json,
    repair_messages,
    schema_instruction,
    strict_compatible,
    validate_output,
)
from tests.models.conftest import Answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ("  [1, 2]  ", [1, 2]),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('```\n{"a": 1}\n```', {"a": 1}),
        ('Here is the note:\n```json\n{"a": [1]}\n```\nDone.', {"a": [1]}),
        ('Sure! {"a": "b"} Hope that helps.', {"a": "b"}),
        ('<think>maybe {"a": 0}?</think>{"a": 2}', {"a": 2}),
        ('prose with {braces} first, then {"a": 3}', {"a": 3}),
        ('```json\n{broken\n```\n{"a": 4}', {"a": 4}),
        ('{"a": "line one\nline two"}', {"a": "line one\nline two"}),  # raw newline in a string
        ('{"a": "x\ty\x1c"}', {"a": "x\ty\x1c"}),  # raw control characters (llama.cpp)
        ('Answer: {"a": "p\nq"} end', {"a": "p\nq"}),
    ],
)
def test_extract_json(text, expected):
    assert extract_json(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "no json here", "{unclosed", "<think>{}</think>"])
def test_extract_json_fails_without_json(text):
    with pytest.raises(InvalidOutput):
        extract_json(text)


def test_validation_errors_name_fields_not_content():
    secret = "Patient Jane Roe"
    with pytest.raises(InvalidOutput) as info:
        validate_output(f'{{"answer": "{secret}", "confidence": "high"}}', Answer)
    assert "confidence" in info.value.summary
    assert secret not in info.value.summary
    assert secret not in info.value.detail


def test_validation_counts_all_errors():
    with pytest.raises(InvalidOutput, match=r"2 error\(s\)"):
        validate_output('{"extra": 1, "confidence": 2}', Answer)


def test_valid_output():
    value = validate_output('```json\n{"answer": "ok", "confidence": 9}\n```', Answer)
    assert value == Answer(answer="ok", confidence=9)


def test_repair_messages_append_the_bad_answer_and_the_errors():
    base = (Message("system", "s"), Message("user", "u"))
    error = InvalidOutput("summary", "Your JSON did not validate: confidence: Field required")
    out = repair_messages(base, "BAD", error, Answer)
    assert out[:2] == base
    assert out[2] == Message("assistant", "BAD")
    assert out[3].role == "user"
    assert "confidence: Field required" in out[3].content
    assert '"confidence"' in out[3].content  # the schema is restated


class Loose(BaseModel):
    answer: str = "x"


class Nested(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inner: Answer
    kind: Literal["a", "b"]


@pytest.mark.parametrize(("model", "strict"), [(Answer, True), (Loose, False), (Nested, True)])
def test_strict_compatible(model, strict):
    assert strict_compatible(model.model_json_schema()) is strict


def test_schema_instruction_contains_the_schema():
    text = schema_instruction(Answer)
    assert "JSON" in text
    assert '"confidence"' in text
