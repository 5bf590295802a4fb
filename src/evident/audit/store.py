"""The audit store: an append-only, hash-chained trail of runs and clinician actions.

SQLite by default, PostgreSQL by URL. Appends are serialised by locking the head row
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so the chain
never forks, even with several processes writing.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import URL, Connection

from evident.audit import payloads
from evident.audit.chain import canonical_json, record_hash
from evident.audit.checks import TrailChecks
from evident.audit.db import create_store_engine, migrate, resolve_url
from evident.audit.records import (
    ACTIONS,
    ActionRecord,
    PatientInfo,
    RunChangedError,
    RunNotFound,
    RunSignedError,
    RunSummary,
    StoredRun,
    omission_ids,
)
from evident.audit.schema import HEAD_ID, check_sizes, head, records
from evident.audit.seal import record_mac
from evident.errors import AuditError, InputError
from evident.types import Run

__all__ = ["AuditStore", "open_store"]

logger = logging.getLogger(__name__)

_MAX_LIMIT = 1000


def open_store(
    url: str | None = None,
    *,
    migrate_schema: bool = True,
    mac_key: bytes | None = None,
    must_exist: bool = False,
) -> AuditStore:
    """Open (and create or migrate) the audit trail.

    Args:
        url: Database URL. None uses ``$EVIDENT_DB_URL``, else
            ``sqlite:///<$EVIDENT_HOME or ~/.evident>/audit.sqlite3``. ``postgresql://``
            URLs use the psycopg 3 driver (``pip install 'evident[postgres]'``). A plain
            file path means a SQLite file.
        migrate_schema: Apply pending schema migrations (on by default).
        mac_key: Key of the records' MACs (see :mod:`evident.audit.seal`); None reads
            the file ``$EVIDENT_AUDIT_KEY_FILE`` names, if set.
        must_exist: For readers (verify, list, export, metrics): a SQLite file named by
            ``url`` or ``$EVIDENT_DB_URL`` must exist; a mistyped path is an error, not a
            new empty trail that verifies. The default location is still created.

    Returns:
        The open store; close it with :meth:`AuditStore.close` or use it as a context
        manager.

    Raises:
        AuditError: The database cannot be opened or migrated.
        ConfigError: The URL is malformed or its driver is not installed.
        InputError: ``must_exist`` and the named SQLite file does not exist.
    """
    given = url if url is not None else os.environ.get("EVIDENT_DB_URL")
    resolved = resolve_url(given)
    if must_exist and (given or "").strip() and _missing_sqlite(resolved):
        raise InputError(f"no audit database at '{resolved.database}' (check --db or the URL)")
    engine = create_store_engine(resolved)
    from evident.audit.seal import load_mac_key

    store = AuditStore(engine, mac_key=mac_key if mac_key is not None else load_mac_key())
    if migrate_schema:
        with store._db_errors("migrate"):
            migrate(engine)
    return store


def _missing_sqlite(url: URL) -> bool:
    name = url.database or ""
    return (
        url.get_backend_name() == "sqlite"
        and name not in {"", ":memory:"}
        and not Path(name).exists()
    )


class AuditStore(TrailChecks):
    """The audit trail. Thread-safe; satisfies :class:`evident.audit.AuditHook`.

    Connection plumbing comes from :class:`evident.audit.base.StoreBase`; export,
    chain verification, metrics and leak scans from
    :class:`evident.audit.checks.TrailChecks`.

    Args:
        engine: A SQLAlchemy engine made by :func:`evident.audit.db.create_store_engine`
            (use :func:`open_store` rather than building one yourself).
        mac_key: When given, every record appended carries its keyed MAC.
    """

    # -- writing ---------------------------------------------------------------------

    def record_run(
        self, run: Run, *, user: str = "system", patient: PatientInfo | None = None
    ) -> None:
        """Append a finished run (the :class:`AuditHook` method).

        Args:
            run: The run, with sources as the task saw them (already privacy-protected).
            user: Who started it.
            patient: Optional sex and age, stored as sex and age band for equity metrics.

        Raises:
            AuditError: The run id is already recorded, or the write failed.
        """
        check_sizes(run_id=run.id, user=user, task=run.task, model=run.model.spec)
        try:
            payload = payloads.run_payload(run, user, patient, payloads.now_iso())
        except ValueError as exc:
            raise AuditError(f"run {run.id} cannot be serialised: {type(exc).__name__}") from None

        def build(conn: Connection) -> dict[str, Any]:
            found = conn.execute(
                select(records.c.seq).where(
                    and_(records.c.kind == "run", records.c.run_id == run.id)
                )
            ).first()
            if found is not None:
                raise AuditError(f"run {run.id} is already recorded (seq {found.seq})")
            return payload

        self._append(build)
        logger.info("recorded run %s (task %s)", run.id, run.task)

    def record_failure(
        self,
        run_id: str,
        *,
        user: str,
        task: str,
        model: str,
        stage: str,
        error_class: str,
    ) -> None:
        """Append that a run failed: its stage and error class only (no content, no PHI).

        The sources may already have reached a model backend, so the attempt belongs in
        the trail even though no draft came back.

        Raises:
            AuditError: The run is already recorded (as done or failed), or the write failed.
        """
        check_sizes(run_id=run_id, user=user, task=task, model=model)
        payload = payloads.failure_payload(
            run_id, user, task, model, stage[:32], error_class[:100], payloads.now_iso()
        )

        def build(conn: Connection) -> dict[str, Any]:
            found = conn.execute(
                select(records.c.seq).where(
                    and_(records.c.kind.in_(("run", "failure")), records.c.run_id == run_id)
                )
            ).first()
            if found is not None:
                raise AuditError(f"run {run_id} is already recorded (seq {found.seq})")
            return payload

        self._append(build)
        logger.info("recorded failed run %s (%s at %s)", run_id, error_class, stage)

    def has_run(self, run_id: str, kinds: Sequence[str] = ("run", "failure")) -> bool:
        """Whether a record of these kinds (a run, a failed run) has this run id."""
        query = select(records.c.seq).where(
            and_(records.c.kind.in_(list(kinds)), records.c.run_id == run_id)
        )
        with self._db_errors("read"), self._read() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def record_action(
        self,
        run_id: str,
        *,
        user: str,
        statement_id: str | None,
        action: str,
        before: str | None = None,
        after: str | None = None,
        verdict: Mapping[str, Any] | None = None,
        reason: str | None = None,
        overridden: Sequence[str] = (),
        attestation: str | None = None,
        clinician: str | None = None,
        based_on: int | None = None,
    ) -> ActionRecord:
        """Append a clinician action on a run.

        Args:
            run_id: The run acted on.
            user: Who acts.
            statement_id: The statement for ``accept``/``edit``/``reject``, the omission
                (``om1``, ...) for ``acknowledge``; None for ``sign``, which applies to
                the whole draft.
            action: ``accept``, ``edit``, ``reject``, ``acknowledge`` or ``sign``.
            before: Text before an edit (defaults to the statement's current text).
            after: Text after an edit (required for ``edit``).
            verdict: For an edit, the verdict of the new text (stored with the action).
            reason: For ``sign``, why the clinician signs over flagged statements still
                undecided (``overridden`` names them); recorded in the trail.
            overridden: The flagged statements an override ``sign`` covers.
            attestation: For ``sign``, the attestation the clinician confirmed.
            clinician: For ``sign``, the name the clinician signed with.
            based_on: The ``latest_seq`` of the run as the caller saw it when it
                decided; another action recorded since (by another process) refuses
                this one rather than record a decision on text its maker never saw.

        Returns:
            The appended record.

        Raises:
            RunNotFound: No such run.
            RunSignedError: The run is already signed.
            RunChangedError: The run has actions newer than ``based_on``.
            InputError: Unknown action or statement, or an edit without new text.
        """
        check_sizes(run_id=run_id, user=user)
        if action not in ACTIONS:
            raise InputError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        if action == "sign" and statement_id is not None:
            raise InputError("sign applies to the whole draft: give no statement id")
        if action != "sign" and not statement_id:
            raise InputError(f"{action} needs a statement id")
        if action == "edit" and after is None:
            raise InputError("edit needs the new text")
        holder: dict[str, Any] = {}

        def build(conn: Connection) -> dict[str, Any]:
            current = self._load(conn, run_id)
            if current.status == "signed":
                raise RunSignedError(f"run {run_id} is signed; it takes no further actions")
            if based_on is not None and current.latest_seq != based_on:
                raise RunChangedError(f"run {run_id} has changed; reload it and decide again")
            old = before
            if action == "acknowledge":
                if statement_id not in omission_ids(current.run):
                    raise InputError(f"run {run_id} has no omission {statement_id!r}")
            elif statement_id is not None:
                state = current.statements.get(statement_id)
                if state is None:
                    raise InputError(f"run {run_id} has no statement {statement_id!r}")
                if action == "edit" and old is None:
                    old = state.text
            holder["payload"] = payloads.action_payload(
                run_id,
                user,
                statement_id,
                action,
                old,
                after,
                payloads.now_iso(),
                verdict=verdict if action == "edit" else None,
                reason=reason if action == "sign" else None,
                overridden=overridden,
                attestation=attestation if action == "sign" else None,
                clinician=clinician if action == "sign" else None,
            )
            return dict(holder["payload"])

        seq, digest = self._append(build)
        return payloads.action_record(seq, holder["payload"], digest)

    def _append(self, build: Callable[[Connection], dict[str, Any]]) -> tuple[int, str]:
        """Append one record under the head-row lock; ``build`` checks and makes the payload.

        ``build`` runs inside the lock, so its checks (already recorded, signed) cannot
        race with another writer.
        """
        with self._write_lock, self._db_errors("append to"), self._write() as conn:
            row = conn.execute(
                select(head.c.seq, head.c.hash).where(head.c.id == HEAD_ID).with_for_update()
            ).first()
            if row is None:
                raise AuditError("the audit trail's head row is missing; run: evident audit verify")
            payload = build(conn)
            try:
                text = canonical_json(payload)
            except ValueError as exc:
                raise AuditError(
                    f"record of run {payload.get('run_id')} cannot be serialised: "
                    f"{type(exc).__name__}"
                ) from None
            seq = int(row.seq) + 1
            digest = record_hash(row.hash, text, seq)
            conn.execute(
                insert(records).values(
                    seq=seq,
                    payload=text,
                    prev_hash=row.hash,
                    hash=digest,
                    mac=record_mac(self._mac_key, seq, digest) if self._mac_key else None,
                    **payloads.columns_for(payload),
                )
            )
            conn.execute(update(head).where(head.c.id == HEAD_ID).values(seq=seq, hash=digest))
        return seq, digest

    # -- reading ---------------------------------------------------------------------

    def get_run(self, run_id: str) -> StoredRun:
        """Return a recorded run with its actions and the current statement states.

        Raises:
            RunNotFound: No run with this id.
        """
        with self._db_errors("read"), self._read() as conn:
            return self._load(conn, run_id)

    def _load(self, conn: Connection, run_id: str) -> StoredRun:
        rows = conn.execute(
            select(records.c.seq, records.c.kind, records.c.payload, records.c.hash)
            .where(records.c.run_id == run_id)
            .order_by(records.c.seq)
        ).all()
        run_rows = [r for r in rows if r.kind == "run"]
        if not run_rows:
            raise RunNotFound(f"no run {run_id!r} in the audit trail")
        with self._unreadable():
            actions = [
                payloads.action_record(int(r.seq), json.loads(r.payload), r.hash)
                for r in rows
                if r.kind == "action"
            ]
            return payloads.stored_run(int(run_rows[0].seq), run_rows[0].payload, actions)

    def list_runs(
        self, *, user: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[RunSummary]:
        """List recorded runs, newest first.

        Args:
            user: Only runs started by this user.
            limit: At most this many (1 to 1000).
            offset: Skip this many of the newest.
        """
        if not 1 <= limit <= _MAX_LIMIT or offset < 0:
            raise InputError(f"limit must be 1..{_MAX_LIMIT} and offset >= 0")
        query = select(
            records.c.seq,
            records.c.run_id,
            records.c.user_name,
            records.c.created_at,
            records.c.summary,
            records.c.payload,
        ).where(records.c.kind == "run")
        if user is not None:
            query = query.where(records.c.user_name == user)
        query = query.order_by(records.c.seq.desc()).limit(limit).offset(offset)
        with self._db_errors("read"), self._read() as conn:
            rows = conn.execute(query).all()
            signed = self._signed(conn, [r.run_id for r in rows])
        out = []
        with self._unreadable():
            for r in rows:
                summary = json.loads(r.summary or "{}")
                payload = json.loads(r.payload or "{}")
                out.append(
                    RunSummary(
                        run_id=r.run_id,
                        seq=int(r.seq),
                        task=summary.get("task", ""),
                        model=summary.get("model", ""),
                        user=r.user_name,
                        created_at=datetime.fromisoformat(r.created_at),
                        status="signed" if r.run_id in signed else "draft",
                        statements=int(summary.get("statements", 0)),
                        labels=summary.get("labels", {}),
                        encounter=payloads.encounter_of(payload),
                        patient=payload.get("patient"),
                    )
                )
        return out

    def count_runs(self, *, user: str | None = None) -> int:
        """Number of recorded runs (of one user when given), for paging."""
        query = select(func.count()).select_from(records).where(records.c.kind == "run")
        if user is not None:
            query = query.where(records.c.user_name == user)
        with self._db_errors("read"), self._read() as conn:
            return int(conn.execute(query).scalar_one())

    @staticmethod
    def _signed(conn: Connection, run_ids: Sequence[str]) -> set[str]:
        if not run_ids:
            return set()
        rows = conn.execute(
            select(records.c.run_id).where(
                and_(
                    records.c.kind == "action",
                    records.c.action == "sign",
                    records.c.run_id.in_(list(run_ids)),
                )
            )
        ).all()
        return {r.run_id for r in rows}

    def head(self) -> tuple[int, str]:
        """The last sequence number written and its hash (anchor it elsewhere)."""
        with self._db_errors("read"), self._read() as conn:
            row = conn.execute(select(head.c.seq, head.c.hash).where(head.c.id == HEAD_ID)).one()
        return int(row.seq), str(row.hash)
