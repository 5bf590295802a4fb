"""Checks on the values the API takes: text, task options, section specs.

Every check raises ``ValueError`` with a message that names the rule, never the value
(it may be patient text); pydantic turns it into a 422 problem naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MAX_OPTIONS",
    "OPTION_NAME",
    "SECTIONS",
    "check_options",
    "check_text",
]

# A section scheme (soap, apso, aci) or a comma-separated list of section names: letters,
# digits, spaces, '&', '_' and '-'; no dots or slashes.
SECTIONS = r"^[A-Za-z][A-Za-z0-9 _&-]{0,40}(,[ ]?[A-Za-z][A-Za-z0-9 _&-]{0,40}){0,11}$"
OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
MAX_OPTIONS = 20
MAX_OPTION_TEXT = 500
_INT_LIMIT = 2**31
# Options a task reads as numbers: (minimum, maximum, whole numbers only).
NUMERIC: dict[str, tuple[float, float, bool]] = {
    "temperature": (0.0, 2.0, False),
    "top_p": (0.0, 1.0, False),
    "max_tokens": (1, 32_768, True),
    "seed": (0, _INT_LIMIT - 1, True),
    "max_sentences": (1, 100, True),
    "max_age_years": (0, 200, False),
}
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: str, *, allow_nul: bool = True) -> str:
    """Refuse lone surrogates (not encodable text) and, unless allowed, NUL characters."""
    if _SURROGATE.search(value):
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)")
    if not allow_nul and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def check_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Validate task options: bounded names and values, finite numbers in range.

    Raises:
        ValueError: Naming the option (its name passed the name rule) and the rule.
    """
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"at most {MAX_OPTIONS} options")
    out: dict[str, Any] = {}
    for name, value in options.items():
        if not OPTION_NAME.match(name):
            raise ValueError("option names are 1-40 lowercase letters, digits or '_'")
        out[name] = _check_option(name, value)
    return out


def _check_option(name: str, value: Any) -> Any:
    if name == "sections":
        if not isinstance(value, str) or not re.fullmatch(SECTIONS, value):
            raise ValueError("option 'sections' must be a section scheme or list of names")
        return value
    if name in NUMERIC:
        low, high, whole = NUMERIC[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"option '{name}' must be a number")
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"option '{name}' must be a finite number from {low:g} to {high:g}")
        if whole and value != int(value):
            raise ValueError(f"option '{name}' must be a whole number")
        return int(value) if whole else float(value)
    if isinstance(value, str):
        if len(value) > MAX_OPTION_TEXT:
            raise ValueError(f"option '{name}' is over {MAX_OPTION_TEXT} characters")
        return check_text(value, allow_nul=False)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"option '{name}' must be a finite number")
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        raise ValueError(f"option '{name}' is out of range")
    return value
