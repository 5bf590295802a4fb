"""Database plumbing of the audit store: URLs, engines, locks and migrations."""

from __future__ import annotations

import importlib.util
import os
import time
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from evident.errors import ConfigError, missing_extra

__all__ = ["create_store_engine", "default_url", "migrate", "resolve_url"]

# Key of the PostgreSQL advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK = 0x45564944  # "EVID"
_VERSION_TABLE = "audit_alembic_version"


def default_url() -> str:
    """``sqlite:///<$EVIDENT_HOME or ~/.evident>/audit.sqlite3``."""
    home = Path(os.environ.get("EVIDENT_HOME") or Path.home() / ".evident").expanduser()
    return f"sqlite:///{home / 'audit.sqlite3'}"


def resolve_url(url: str | None) -> URL:
    """Turn a user's database URL (or None, or a file path) into a SQLAlchemy URL.

    ``postgresql://`` and ``postgres://`` map to the psycopg 3 driver; a string without
    ``://`` is a SQLite file path.

    Raises:
        ConfigError: The URL is malformed, of an unsupported database, or its driver is
            not installed.
    """
    raw = (url or "").strip() or default_url()
    if "://" not in raw:
        raw = f"sqlite:///{Path(raw).expanduser()}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    try:
        parsed = make_url(raw)
    except (ArgumentError, ValueError):
        raise ConfigError("the audit database URL is malformed") from None
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise ConfigError(f"unsupported audit database {backend!r}; use sqlite or postgresql")
    if parsed.drivername == "postgresql+psycopg" and importlib.util.find_spec("psycopg") is None:
        raise missing_extra("psycopg", "postgres")
    return parsed


def create_store_engine(url: URL) -> Engine:
    """Create an engine whose write transactions lock the database.

    On SQLite, transactions opened with the execution option ``evident_write=True`` start
    with ``BEGIN IMMEDIATE`` (one writer at a time, across processes); readers use WAL
    snapshots. On PostgreSQL the store locks the head row instead.
    """
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, hide_parameters=True, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 60}}
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        _create_private(Path(str(url.database)).expanduser())
    engine = create_engine(url, hide_parameters=True, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN; pysqlite's own handling would defer it.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=60000")
        if not memory:
            _use_wal(cur)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("evident_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _create_private(path: Path) -> None:
    """Create the SQLite file (and its folder) readable by its owner only.

    The file holds PHI, the users' token digests and possibly the session key; SQLite
    gives its ``-wal`` and ``-shm`` files the database file's permissions. An existing
    file keeps its mode (the operator chose it).
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)  # an empty file is a valid, empty SQLite database


def _use_wal(cur: Any) -> None:
    """Put the database in WAL mode (once per file; later connections find it so).

    Switching the journal mode does not wait on the busy timeout: while another
    connection opens a new file at the same moment it fails at once with "database is
    locked", so it is retried for a few seconds.
    """
    import sqlite3

    deadline = time.monotonic() + 10
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def migrate(engine: Engine) -> None:
    """Apply the audit schema migrations shipped in ``evident/audit/migrations``.

    Concurrent openers are serialised (an advisory lock on PostgreSQL, ``BEGIN
    IMMEDIATE`` on SQLite), so only one creates the tables.
    """
    from alembic import command
    from alembic.config import Config

    location = resources.files("evident.audit") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(location))
    with engine.connect().execution_options(evident_write=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None when not created)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": _VERSION_TABLE})
        return context.get_current_revision()
