"""RFC 7807 problem details for every error the API returns.

Bodies never echo request input: validation errors name the field and the rule broken,
not the value (a transcript is PHI).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

__all__ = ["PROBLEM_TYPE", "instance_of", "problem_body", "problem_response", "validation_errors"]

PROBLEM_TYPE = "https://evident.dev/problems/"
MEDIA_TYPE = "application/problem+json"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def instance_of(scope: Any) -> str:
    """The ``instance`` of a problem: the route template (``/api/runs/{run_id}``), never
    the request path itself, whose parts the client chose; empty when no route matched."""
    route = scope.get("route") if hasattr(scope, "get") else None
    template = getattr(route, "path", None)
    return template if isinstance(template, str) else ""


def problem_body(
    status: int, detail: str, *, kind: str | None = None, instance: str = "", **extra: Any
) -> dict[str, Any]:
    """Build a problem-details object.

    Args:
        status: HTTP status code.
        detail: One line for a human; never PHI.
        kind: Short machine name appended to the type URI (defaults to the status phrase).
        instance: The request path.
        **extra: Extension members (``errors`` for validation failures).

    Returns:
        The JSON object.
    """
    title = _title(status)
    slug = kind or title.lower().replace(" ", "-")
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    instance: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Any:
    """A Starlette response carrying a problem-details body."""
    from starlette.responses import Response

    body = problem_body(status, detail, kind=kind, instance=instance, **extra)
    return Response(json.dumps(body), status_code=status, media_type=MEDIA_TYPE, headers=headers)


_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")  # \Z: "$" also matches before a final newline
# Fields whose keys are the client's own (a dict): a key may be anything, so not shown.
_KEYED = frozenset({"options"})


def _location(err: Any) -> str:
    """The field path of an error, with any part the client chose (an unknown key, a
    dict key) shown as ``*``: the key itself could be patient text."""
    parts = [p for p in err.get("loc", ()) if p != "body"]
    shown: list[str] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(part, int):
            shown.append(str(part))
        elif (
            not _NAME.match(str(part))
            or (last and err.get("type") == "extra_forbidden")
            or (shown and shown[-1] in _KEYED)
        ):
            shown.append("*")
        else:
            shown.append(str(part))
    return ".".join(shown)


def validation_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic/FastAPI errors reduced to location, type and message (no input values)."""
    out = []
    for err in errors:
        loc = _location(err) or "body"
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            msg = "request body is not valid JSON"
        out.append({"field": loc, "type": str(err.get("type", "invalid")), "message": msg})
    return out
