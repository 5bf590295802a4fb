"""Whole-trail reads of the audit store: export, chain verification, metrics, leak scans.

They read every record (or every record of one kind) in chain order and never write;
:class:`evident.audit.store.AuditStore` inherits them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from evident.audit import payloads
from evident.audit.base import StoreBase
from evident.audit.chain import ChainRow, verify_rows
from evident.audit.records import ChainProblem, ChainReport
from evident.audit.schema import HEAD_ID, head, records
from evident.audit.seal import mac_problem

if TYPE_CHECKING:
    from evident.audit.leaks import LeakFinding, Scope
    from evident.audit.metrics import MetricsTable

__all__ = ["TrailChecks"]


class TrailChecks(StoreBase):
    """Export, verification, metrics and leak scans over the whole trail."""

    def export(self) -> Iterator[dict[str, Any]]:
        """Yield every record in chain order: seq, payload (parsed), prev_hash, hash."""
        query = select(
            records.c.seq, records.c.payload, records.c.prev_hash, records.c.hash
        ).order_by(records.c.seq)
        with self._db_errors("read"), self._read() as conn, self._unreadable():
            result = conn.execution_options(yield_per=500).execute(query)
            for r in result:
                yield {
                    "seq": int(r.seq),
                    "payload": json.loads(r.payload),
                    "prev_hash": r.prev_hash,
                    "hash": r.hash,
                }

    def verify_chain(
        self,
        anchors: Sequence[tuple[int, str]] = (),
        *,
        mac_key: bytes | None = None,
        mac_from: int = 1,
    ) -> ChainReport:
        """Re-hash every record and name each one modified, deleted, reordered or inserted.

        Args:
            anchors: ``(seq, hash)`` pairs recorded elsewhere (from :meth:`head`); a
                chain rewritten end to end by someone with write access only shows
                against such an anchor.
            mac_key: Check every record's MAC from ``mac_from`` on (default: the key
                the store was opened with, if any): a record rewritten or appended by
                someone without the key fails.
            mac_from: The first sequence number written with the key.

        Returns:
            The report; ``report.ok`` is False when any problem was found.
        """
        rows: list[ChainRow] = []
        key = mac_key or self._mac_key or None
        mac_problems: list[ChainProblem] = []
        query = select(records).order_by(records.c.seq)
        with self._db_errors("verify"), self._read() as conn:
            head_row = conn.execute(
                select(head.c.seq, head.c.hash).where(head.c.id == HEAD_ID)
            ).first()
            for r in conn.execution_options(yield_per=500).execute(query):
                rows.append(payloads.chain_row(r._mapping))
                if key is not None and int(r.seq) >= mac_from:
                    mac_problems.extend(mac_problem(key, r._mapping))
        if head_row is None:
            head_seq, head_hash = max((r.seq for r in rows), default=0), ""
            problems = [
                ChainProblem(
                    seq=head_seq + 1, kind="deleted", message="the chain head row is missing"
                ),
                *verify_rows(rows, None, None, anchors),
            ]
        else:
            head_seq, head_hash = int(head_row.seq), str(head_row.hash)
            problems = verify_rows(rows, head_seq, head_hash, anchors)
        if mac_problems:
            seen = {p.seq for p in problems}
            extra = [p for p in mac_problems if p.seq not in seen]
            problems = sorted([*problems, *extra], key=lambda p: p.seq)
        return ChainReport(
            ok=not problems,
            checked=len(rows),
            head_seq=head_seq,
            head_hash=head_hash,
            problems=tuple(problems),
        )

    def metrics(
        self,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        min_cell: int = 5,
        by: Sequence[str] = (),
    ) -> MetricsTable:
        """Monitoring figures per task, model and ISO week (see :mod:`evident.audit.metrics`).

        Args:
            since: Only runs started on or after this date/time (UTC).
            until: Only runs started before this date/time (a date includes that day).
            min_cell: Cells with fewer runs are suppressed (values null, runs ``<N``).
            by: Extra slices: any of ``sex`` and ``age_band``.
        """
        from evident.audit.metrics import compute_metrics

        run_query = select(records.c.run_id, records.c.summary).where(records.c.kind == "run")
        act_query = select(records.c.run_id, records.c.payload).where(records.c.kind == "action")
        with self._db_errors("read"), self._read() as conn, self._unreadable():
            runs = [(r.run_id, json.loads(r.summary or "{}")) for r in conn.execute(run_query)]
            actions = [(r.run_id, json.loads(r.payload)) for r in conn.execute(act_query)]
        with self._unreadable():
            return compute_metrics(
                runs, actions, since=since, until=until, min_cell=min_cell, by=tuple(by)
            )

    def scan_for_leaks(
        self,
        originals: Iterable[str] | Mapping[str, str],
        *,
        scope: Scope = "protected",
        run_id: str | None = None,
    ) -> list[LeakFinding]:
        """Find original PHI values in stored records (uses ``evident.privacy.find_leaks``).

        Args:
            originals: Original values (for example a vault's ``originals(patient)``),
                or a mapping of value to PHI type.
            scope: ``protected`` scans what must hold no original value (sources as the
                task saw them, parameters, privacy record); ``all`` also scans the
                re-identified draft, the report and clinician actions.
            run_id: Only this run's records.

        Returns:
            Findings with counts per PHI type; never the values themselves.
        """
        from evident.audit.leaks import scan_records

        query = select(records.c.seq, records.c.payload).order_by(records.c.seq)
        if run_id is not None:
            query = query.where(records.c.run_id == run_id)
        with self._db_errors("read"), self._read() as conn, self._unreadable():
            rows = conn.execution_options(yield_per=500).execute(query)
            return scan_records(
                ((int(r.seq), json.loads(r.payload)) for r in rows), originals, scope=scope
            )
