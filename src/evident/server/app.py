"""The ASGI application: API, pages, middleware and problem-details error handling."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from evident.audit import RunChangedError, RunSignedError
from evident.errors import AuthError, ConfigError, EvidentError, InputError
from evident.server.jobs import QueueFull, RunManager, UserBusy
from evident.server.problems import instance_of, problem_response, validation_errors
from evident.server.security import ApiProblem
from evident.server.sessions import SessionSigner
from evident.server.settings import ServerSettings
from evident.server.users import UserStore

__all__ = ["ServerState", "create_app"]

logger = logging.getLogger(__name__)


@dataclass
class ServerState:
    """Everything the routes share (``app.state.evident``)."""

    settings: ServerSettings
    store: Any
    users: UserStore
    signer: SessionSigner
    manager: RunManager
    action_lock: threading.Lock

    def close(self) -> None:
        """Stop workers and release database connections."""
        self.manager.shutdown()
        self.users.close()
        close = getattr(self.store, "close", None)
        if callable(close):
            close()


def build_state(settings: ServerSettings, store: Any = None) -> ServerState:
    """Open the audit store and users table and start the run workers."""
    url = settings.resolved_db_url()
    if store is None:
        from evident.audit import open_store

        store = open_store(url)
    users = UserStore(url)
    if settings.demo:
        users.ensure_user(settings.demo_user, "clinician")
    _warm_up()
    key = settings.secret_key.encode() if settings.secret_key else users.secret("session")
    from evident.audit.db import create_store_engine, resolve_url
    from evident.server.queue import JobQueue

    queue = JobQueue(create_store_engine(resolve_url(url)), lease_s=settings.lease_s)
    manager = RunManager(
        store,
        queue,
        workers=settings.workers,
        max_pending=settings.max_pending,
        max_user_pending=settings.max_user_pending,
        verify_options=settings.verify,
    )
    return ServerState(
        settings=settings,
        store=store,
        users=users,
        signer=SessionSigner(key, settings.session_hours * 3600),
        manager=manager,
        action_lock=threading.Lock(),
    )


def _warm_up() -> None:
    """Import the pipeline and the served tasks before worker threads race to do it."""
    import evident.pipeline  # noqa: F401
    from evident.server.tasks import task_adapters

    for name, adapter in task_adapters().items():
        try:
            adapter.load()
        except EvidentError as exc:  # the task stays listed; its runs will fail clearly
            logger.warning("task %s is not available: %s", name, type(exc).__name__)


def create_app(settings: ServerSettings | None = None, state: ServerState | None = None) -> Any:
    """Build the FastAPI application.

    Args:
        settings: Server settings (defaults: no demo, offline model, default database).
        state: Pre-built shared state (tests); else built from ``settings``.

    Returns:
        The ASGI app; its state is closed when the app shuts down.
    """
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from evident import __version__
    from evident.server import api, pages
    from evident.server.middleware import (
        AccessLogMiddleware,
        BodyLimitMiddleware,
        GuardMiddleware,
        HeadersMiddleware,
        JsonBodyMiddleware,
    )

    settings = settings or ServerSettings()
    shared = state or build_state(settings)

    @asynccontextmanager
    async def lifespan(app: Any) -> Any:
        yield
        shared.close()

    app = FastAPI(
        title="Evident",
        version=__version__,
        description="Clinical drafts whose every statement shows its evidence.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.evident = shared
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("evident.server", "static")]), name="static")
    _install_handlers(app)
    # Added innermost first: the guard sits just inside Starlette's own error middleware.
    app.add_middleware(JsonBodyMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=shared.settings.max_body_bytes)
    app.add_middleware(HeadersMiddleware)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(GuardMiddleware)
    return app


_STATUS: list[tuple[type[EvidentError], int]] = [
    (AuthError, 401),
    (QueueFull, 503),
    (UserBusy, 429),
    # another process acted on the run between our read and our write (a 500 before)
    (RunSignedError, 409),
    (RunChangedError, 409),
    (InputError, 422),
    (ConfigError, 422),
]


def _install_handlers(app: Any) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    @app.exception_handler(ApiProblem)
    async def on_problem(request: Any, exc: ApiProblem) -> Any:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            exc.status,
            exc.detail,
            kind=exc.kind,
            instance=instance_of(request.scope),
            headers=headers,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Any, exc: RequestValidationError) -> Any:
        return problem_response(
            422,
            "the request is not valid",
            kind="validation",
            instance=instance_of(request.scope),
            errors=validation_errors(exc.errors()),
        )

    @app.exception_handler(HTTPException)
    async def on_http(request: Any, exc: HTTPException) -> Any:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        return problem_response(
            exc.status_code,
            detail,
            instance=instance_of(request.scope),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(EvidentError)
    async def on_evident(request: Any, exc: EvidentError) -> Any:
        status = next((code for cls, code in _STATUS if isinstance(exc, cls)), 500)
        if status == 500:
            logger.error("request failed: %s", type(exc).__name__)
            return problem_response(
                500, "internal server error", instance=instance_of(request.scope)
            )
        return problem_response(
            status, str(exc), kind=type(exc).__name__.lower(), instance=instance_of(request.scope)
        )
