"""VerifyOptions: validation and the verifier suffix it records."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from evident.verify.options import VerifyOptions


@pytest.mark.parametrize(
    ("kwargs", "suffix"),
    [
        ({}, ""),
        ({"support_threshold": 0.3}, "+threshold:0.3"),
        ({"embeddings": True}, "+dense"),
        ({"entailer": "llm:openai:gpt-4o"}, "+entail:llm:openai:gpt-4o"),
        ({"entailer": "support"}, ""),  # the default
        ({"entailer": "lexical"}, "+entail:lexical"),
        ({"support_threshold": 0.4}, "+threshold:0.4"),  # given, even at the default cutoff
        ({"polarity": False, "omissions": False}, "+no-polarity"),
        ({"substitution": True}, "+substitution"),
        ({"embeddings": True, "support_threshold": 0.5}, "+dense+threshold:0.5"),
    ],
)
def test_describe(kwargs: dict[str, Any], suffix: str) -> None:
    assert VerifyOptions(**kwargs).describe() == suffix


def test_defaults_name_the_support_model_at_its_own_cutoff() -> None:
    opts = VerifyOptions()
    assert (opts.entailer, opts.support_threshold) == ("support", None)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"support_threshold": 0.0},
        {"support_threshold": 1.5},
        {"entailer": "  "},
        {"max_omissions": -1},
        {"judge": "x"},
    ],
)
def test_invalid(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        VerifyOptions(**kwargs)


def test_frozen() -> None:
    opts = VerifyOptions()
    with pytest.raises(ValidationError):
        opts.entailer = "llm:x"  # type: ignore[misc]
