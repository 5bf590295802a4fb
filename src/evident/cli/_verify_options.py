"""The verify options every command that verifies takes (verify, scribe, ask, serve)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from evident.errors import ConfigError

if TYPE_CHECKING:  # the verify package loads its lexicons: imported when a command runs
    from evident.verify.options import VerifyOptions

__all__ = ["build_verify_options", "verify_options"]

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = (
    click.option(
        "--entailer",
        default=None,
        metavar="SPEC",
        help="What decides statements the checkers judge on wording alone: 'support' "
        "(the learned support model) [default], 'lexical' (wording coverage), "
        "'llm:<model spec>' (e.g. llm:openai:gpt-4o) or a plugin name.",
    ),
    click.option(
        "--support-threshold",
        type=click.FloatRange(0.0, 1.0, min_open=True),
        default=None,
        help="The entailer's score cutoff: the score a statement needs to be supported "
        "(a probability for 'support', a coverage share for 'lexical') [default: the "
        "entailer's own, 0.4 for both]. Lower flags less paraphrase and misses more "
        "confabulation (trade-off measured in docs/benchmarks.md).",
    ),
    click.option("--no-omissions", is_flag=True, help="Skip the omission search."),
    click.option(
        "--max-omissions",
        type=click.IntRange(0, 1000),
        default=None,
        help="Most omissions reported [default 25].",
    ),
    click.option(
        "--embeddings",
        is_flag=True,
        help="Add dense-retrieval candidates (needs the 'embeddings' extra; slower).",
    ),
    click.option("--no-polarity", is_flag=True, help="Skip the structural polarity checker."),
    click.option(
        "--substitution",
        is_flag=True,
        help="Run the substitution checker (a word swapped for another in its slot; off "
        "by default, see docs/verify.md).",
    ),
    click.option(
        "--no-antonyms",
        is_flag=True,
        help="Skip the antonym checker (a WordNet antonym of what the source says).",
    ),
)


def verify_options(func: F) -> F:
    """Add the verify options to a click command (read them with
    :func:`build_verify_options`)."""
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def build_verify_options(kwargs: dict[str, Any]) -> VerifyOptions:
    """Pop the verify options out of a command's keyword arguments.

    Raises:
        ConfigError: An invalid value (one line).
    """
    from pydantic import ValidationError

    from evident.verify.options import VerifyOptions

    threshold = kwargs.pop("support_threshold", None)
    max_omissions = kwargs.pop("max_omissions", None)
    entailer = kwargs.pop("entailer", None)
    values: dict[str, Any] = {
        "omissions": not kwargs.pop("no_omissions", False),
        "embeddings": kwargs.pop("embeddings", False),
        "polarity": not kwargs.pop("no_polarity", False),
        "substitution": kwargs.pop("substitution", False),
        "antonyms": not kwargs.pop("no_antonyms", False),
    }
    if entailer is not None:
        values["entailer"] = entailer
    if threshold is not None:
        values["support_threshold"] = threshold
    if max_omissions is not None:
        values["max_omissions"] = max_omissions
    try:
        return VerifyOptions(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"--{err['loc'][0]}: {err['msg']}".replace("_", "-")) from None
