"""Pure ASGI middleware: body size limit, PHI-free access log, headers, error guard."""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from evident.server.problems import MEDIA_TYPE, instance_of, problem_body

__all__ = [
    "AccessLogMiddleware",
    "BodyLimitMiddleware",
    "GuardMiddleware",
    "HeadersMiddleware",
    "JsonBodyMiddleware",
]

access_log = logging.getLogger("evident.server.access")
logger = logging.getLogger(__name__)

# The shape of the run ids the server issues (uuid4 hex): any other id in a path is the
# client's own text, which may be a patient's name, so the access log leaves it out.
_ISSUED_ID = re.compile(r"^[0-9a-f]{32}$")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _send_problem(send: Send, status: int, detail: str, path: str) -> None:
    body = json.dumps(problem_body(status, detail, instance=path)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Answer 413 (problem details) to bodies over ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"request body is over the limit of {self.max_bytes} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await _send_problem(send, 413, detail, instance_of(scope))
                    return
        seen = 0
        started = False
        rejected = False

        async def limited_receive() -> Message:
            # Frameworks turn exceptions raised while reading the body into a 400, so a
            # streamed body over the limit is answered here and the app sees a disconnect.
            nonlocal seen, started, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    rejected = True
                    if not started:
                        started = True
                        await _send_problem(send, 413, detail, instance_of(scope))
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


class JsonBodyMiddleware:
    """Answer 415 to an API request whose body is not declared ``application/json``.

    Otherwise a text/plain or form body (what a cross-site form can send without a
    preflight) reached validation and got a misleading 422.
    """

    METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") in self.METHODS
            and scope.get("path", "").startswith("/api/")
        ):
            headers = dict(scope.get("headers", ()))
            has_body = headers.get(b"content-length", b"0") != b"0" or (
                b"transfer-encoding" in headers
            )
            media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if has_body and media != b"application/json":
                detail = "the request body must be JSON (Content-Type: application/json)"
                await _send_problem(send, 415, detail, instance_of(scope))
                return
        await self.app(scope, receive, send)


class AccessLogMiddleware:
    """Log method, route template, status, duration and run id; never query or body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            # The run id from the path, or the one a route created (request.state.run_id).
            run_id = (scope.get("path_params") or {}).get("run_id") or (
                scope.get("state") or {}
            ).get("run_id", "-")
            access_log.info(
                "%s %s %d %.1fms run=%s",
                scope.get("method", "-"),
                template,
                status,
                (time.perf_counter() - t0) * 1000,
                run_id if isinstance(run_id, str) and _ISSUED_ID.match(run_id) else "-",
            )


class HeadersMiddleware:
    """Security headers on every response; no caching of API data (it carries PHI)."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; object-src 'none'; "
            b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope.get("path", "").startswith("/static/")

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(self.HEADERS)
                if not is_static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)


class GuardMiddleware:
    """Turn any unhandled exception into a 500 problem; log only its class name.

    Starlette's own error middleware would log the exception message and traceback,
    which can carry PHI (a validation message quoting input, for one).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            # Where, not what: the message of an exception may quote patient text.
            frames = traceback.extract_tb(exc.__traceback__)
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            logger.error(
                "unhandled %s on %s (at %s)", type(exc).__name__, scope.get("method", "-"), where
            )
            if not started:
                await _send_problem(send, 500, "internal server error", instance_of(scope))
