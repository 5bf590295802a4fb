"""Server configuration: one frozen value built by the CLI or by tests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from evident.verify.options import VerifyOptions

__all__ = ["DB_ENV_VAR", "ServerSettings", "default_db_url"]

DB_ENV_VAR = "EVIDENT_DB_URL"


def default_db_url() -> str:
    """The database URL the audit store uses by default.

    Returns:
        ``$EVIDENT_DB_URL`` when set, else the audit stage's default SQLite file.
    """
    env = os.environ.get(DB_ENV_VAR, "").strip()
    if env:
        return env
    from evident.audit.db import default_url

    return default_url()


@dataclass(frozen=True)
class ServerSettings:
    """How the server runs.

    Attributes:
        db_url: Database URL shared by the audit store and the users table; None uses
            :func:`default_db_url`.
        demo: Demo mode: a passwordless demo clinician login on loopback only.
        models: Model specs a request may choose; the first is the default. Restricting
            them keeps clients from pointing the server at arbitrary endpoints.
        max_body_bytes: Largest request body accepted (413 above it).
        max_transcript_chars: Largest transcript accepted in a run request.
        workers: Threads that execute runs (the pipeline is synchronous).
        max_pending: Runs queued or running at once before new ones get 503.
        max_user_pending: Runs of one user queued or running at once before 429.
        lease_s: How long a worker's claim on a run lasts without renewal; a run whose
            process died is taken up again after it (at once on the same host).
        secret_key: Key that signs session cookies; None keeps one in the database.
        session_hours: Lifetime of a page session.
        demo_user: Name of the demo clinician.
        metrics_min_cell: Smallest metrics cell shown; callers may raise it, not lower it.
        verify: How every run's draft is verified (entailer, support threshold, ...).
    """

    db_url: str | None = None
    demo: bool = False
    models: tuple[str, ...] = ("offline",)
    max_body_bytes: int = 1_000_000
    max_transcript_chars: int = 200_000
    workers: int = 4
    max_pending: int = 256
    max_user_pending: int = 32
    lease_s: float = 60.0
    secret_key: str | None = None
    session_hours: float = 12.0
    demo_user: str = "demo-clinician"
    metrics_min_cell: int = 5
    verify: VerifyOptions = field(default_factory=VerifyOptions)

    def resolved_db_url(self) -> str:
        """The database URL to use."""
        return self.db_url or default_db_url()
