"""Structured output shared by the backends: schema prompt, JSON extraction, validation.

Every backend turns a model's text into a validated ``output_type`` the same way:
:func:`extract_json` finds the JSON value in the text (code fences, leading prose and
``<think>`` blocks are tolerated), :func:`validate_output` checks it with pydantic, and
on failure :func:`repair_messages` builds the one repair turn. Error messages built
here name locations and pydantic's error kinds, never the model's text (it may echo PHI).
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from evident.models.base import Message

__all__ = [
    "InvalidOutput",
    "extract_json",
    "output_schema",
    "repair_messages",
    "schema_instruction",
    "strict_compatible",
    "validate_output",
]

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_MAX_ERRORS_SHOWN = 5
# strict=False accepts raw control characters (a literal newline or tab) inside strings:
# models write multi-line values that way, and llama.cpp's JSON grammar allows them.
_DECODER = json.JSONDecoder(strict=False)


class InvalidOutput(Exception):
    """The model's text is not valid output.

    Attributes:
        summary: One line safe to log or raise (no model text).
        detail: What to tell the model in the repair turn.
    """

    def __init__(self, summary: str, detail: str) -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail


def output_schema(output_type: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a pydantic output type."""
    return output_type.model_json_schema()


def schema_instruction(output_type: type[BaseModel]) -> str:
    """The instruction that asks for JSON matching the output type's schema."""
    schema = json.dumps(output_schema(output_type), separators=(",", ":"))
    return (
        "Answer with one JSON object only (no prose, no code fences) that validates "
        f"against this JSON schema:\n{schema}"
    )


def strict_compatible(schema: Any) -> bool:
    """True when a schema already meets OpenAI's strict structured-output rules.

    Strict mode needs every object to list all its properties as required and to forbid
    additional properties; a pydantic model with defaults or without ``extra="forbid"``
    does not, and is then sent with ``strict: false``.
    """
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            props = schema.get("properties", {})
            if schema.get("additionalProperties", True) is not False:
                return False
            if set(schema.get("required", [])) != set(props):
                return False
        return all(strict_compatible(v) for v in schema.values())
    if isinstance(schema, list):
        return all(strict_compatible(v) for v in schema)
    return True


def extract_json(text: str) -> Any:
    """Find and parse the JSON value in a model's answer.

    Tries, in order: the whole text, the content of each code fence, and every ``{`` or
    ``[`` from which a complete JSON value parses (the first that does wins), so leading
    or trailing prose does not matter. Unescaped control characters (a literal newline)
    inside strings are accepted.

    Raises:
        InvalidOutput: No JSON value was found.
    """
    text = _THINK.sub("", text).strip()
    if not text:
        raise InvalidOutput("the model returned an empty answer", "Your answer was empty.")
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError:
        pass
    for block in _FENCE.findall(text):
        try:
            return _DECODER.decode(block.strip())
        except json.JSONDecodeError:
            continue
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = _DECODER.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        return value
    raise InvalidOutput(
        "the model's answer contains no parseable JSON",
        "Your answer did not contain a parseable JSON object.",
    )


def validate_output(text: str, output_type: type[T]) -> T:
    """Parse and validate a model's answer.

    Raises:
        InvalidOutput: Not JSON, or the JSON does not validate against ``output_type``.
    """
    value = extract_json(text)
    try:
        return output_type.model_validate(value)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False, include_context=False)
        shown = [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in errors[:_MAX_ERRORS_SHOWN]
        ]
        more = f" (+{len(errors) - len(shown)} more)" if len(errors) > len(shown) else ""
        listing = "; ".join(shown) + more
        summary = (
            f"output does not match schema {output_type.__name__}: "
            f"{len(errors)} error(s): {listing}"
        )
        detail = "Your JSON did not validate against the schema:\n- " + "\n- ".join(shown)
        raise InvalidOutput(summary, detail + more) from None


def repair_messages(
    messages: tuple[Message, ...], raw: str, error: InvalidOutput, output_type: type[BaseModel]
) -> tuple[Message, ...]:
    """The conversation for the one repair attempt: the bad answer and what was wrong."""
    request = (
        f"{error.detail}\n\nReply again with only the corrected JSON object.\n"
        f"{schema_instruction(output_type)}"
    )
    return (*messages, Message("assistant", raw), Message("user", request))
