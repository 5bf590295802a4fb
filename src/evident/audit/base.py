"""The audit store's connection plumbing: engine, write lock, transactions, DB errors.

:class:`StoreBase` is what every part of :class:`evident.audit.store.AuditStore`
stands on; it holds no records logic.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from evident.errors import AuditError

__all__ = ["StoreBase"]


class StoreBase:
    """An open database for the audit trail (see :class:`evident.audit.store.AuditStore`).

    Args:
        engine: A SQLAlchemy engine made by :func:`evident.audit.db.create_store_engine`.
        mac_key: When given, every record appended carries its keyed MAC.
    """

    def __init__(self, engine: Engine, mac_key: bytes | None = None) -> None:
        self._engine = engine
        self._write_lock = threading.Lock()
        self._mac_key = mac_key or None  # b"" means: explicitly no key

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with (
            self._engine.connect().execution_options(evident_write=True) as conn,
            conn.begin(),
        ):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _unreadable(self) -> Iterator[None]:
        """A stored record that does not parse was corrupted or tampered with: say so.

        Only the exception's class is named: its message could quote a stored value.
        """
        try:
            yield
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # JSON, dates, shapes
            raise AuditError(
                f"the audit trail at {self.url} holds a record that cannot be read "
                f"({type(exc).__name__}): it may have been tampered with; run "
                "'evident audit verify'"
            ) from None

    @contextmanager
    def _db_errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            # Only the driver's first line: SQL parameters could carry patient text.
            orig = getattr(exc, "orig", None)
            detail = str(orig).strip().splitlines()[0] if orig is not None and str(orig) else ""
            name = type(orig or exc).__name__
            raise AuditError(
                f"cannot {what} the audit trail at {self.url}: {name}"
                + (f": {detail}" if detail else "")
            ) from None
