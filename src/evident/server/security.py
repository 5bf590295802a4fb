"""Who is calling: bearer tokens for the API, signed session cookies for the page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from evident.errors import AuthError
from evident.server.sessions import COOKIE_NAME, CSRF_HEADER
from evident.server.users import Principal, constant_time_equal

__all__ = [
    "ApiProblem",
    "allowed_roles",
    "authenticate",
    "current_principal",
    "roles_extra",
    "session_principal",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiProblem(Exception):
    """An HTTP error answered as problem details.

    Args:
        status: HTTP status code.
        detail: One line; never PHI.
        kind: Short machine name for the problem type.
        extra: Extension members.
    """

    def __init__(self, status: int, detail: str, kind: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.extra = extra


def authenticate(request: Request) -> Principal:
    """Resolve the caller of a request (bearer token first, then session cookie).

    Session callers must send the session's CSRF token in ``X-CSRF-Token`` on every
    state-changing request.

    Raises:
        ApiProblem: 401 without valid credentials, 403 on a CSRF failure.
    """
    state = request.app.state.evident
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiProblem(401, "use 'Authorization: Bearer <token>'", "unauthenticated")
        try:
            return state.users.authenticate(token.strip())
        except AuthError:
            raise ApiProblem(401, "invalid, expired or revoked token", "unauthenticated") from None
    if not request.cookies.get(COOKIE_NAME):
        raise ApiProblem(401, "authentication required", "unauthenticated")
    principal = session_principal(request)
    if principal is None:
        raise ApiProblem(
            401, "session is not valid (logged out, expired or revoked)", "unauthenticated"
        )
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not constant_time_equal(sent, principal.csrf):
            raise ApiProblem(403, "missing or wrong CSRF token", "csrf")
    return principal


def session_principal(request: Request) -> Principal | None:
    """The caller of a session cookie, or None: the cookie must verify and its
    server-side session must be live (not logged out, its token not revoked, its user
    active)."""
    state = request.app.state.evident
    cookie = request.cookies.get(COOKIE_NAME)
    session = state.signer.verify(cookie, state.settings.demo) if cookie else None
    if session is None or not session.sid:
        return None
    try:
        principal: Principal = state.users.session_principal(
            session.sid, session.user, session.csrf
        )
    except AuthError:
        return None
    return principal


def allowed_roles(request: Request) -> tuple[str, ...]:
    """The roles a route declares in its OpenAPI extension ``x-roles`` (none: nobody)."""
    route = request.scope.get("route")
    extra = getattr(route, "openapi_extra", None) or {}
    return tuple(extra.get("x-roles", ()))


def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the caller, who must hold one of the route's ``x-roles``.

    Raises:
        ApiProblem: 401 unauthenticated, 403 wrong role or CSRF failure.
    """
    principal = authenticate(request)
    roles = allowed_roles(request)
    if principal.role not in roles:
        raise ApiProblem(
            403,
            f"role '{principal.role}' may not do this (allowed: {', '.join(roles) or 'none'})",
            "forbidden",
        )
    return principal


def roles_extra(*roles: str) -> dict[str, Any]:
    """The ``openapi_extra`` that declares a route's roles."""
    return {"x-roles": list(roles)}
