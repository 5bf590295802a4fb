"""RFC 7807 problem details for every error the API returns.

Bodies never echo request input: validation errors name the field and the rule broken,
not the value (a transcript is PHI).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

__all__ = ["PROBLEM_TYPE", "problem_body", "problem_response", "validation_errors"]

PROBLEM_TYPE = "https://evident.dev/problems/"
MEDIA_TYPE = "application/problem+json"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


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


def validation_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic/FastAPI errors reduced to location, type and message (no input values)."""
    out = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            msg = "request body is not valid JSON"
        out.append({"field": loc, "type": str(err.get("type", "invalid")), "message": msg})
    return out
