"""The hash chain: canonical payloads, record hashes, and verification of a stored chain.

Each record stores ``seq`` (1, 2, 3, ...), a canonical JSON ``payload``, the previous
record's hash and its own::

    hash = SHA-256(prev_hash + payload + str(seq))      # UTF-8, hex digest

The first record's ``prev_hash`` is :data:`GENESIS` (64 zeros). Verification needs no
database: :func:`verify_rows` takes the rows as read and names every record that was
modified, deleted, reordered or inserted after it was written.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evident.audit.records import ChainProblem, ProblemKind

__all__ = ["GENESIS", "ChainRow", "canonical_json", "record_hash", "verify_rows"]

GENESIS = "0" * 64

# How far from its position a moved record is looked for when its predecessor is gone.
_MOVE_WINDOW = 3


def canonical_json(payload: Any) -> str:
    """Serialise a payload canonically: sorted keys, compact separators, ASCII only.

    ASCII escaping keeps the bytes identical on every database encoding, and JSON escapes
    control characters (PostgreSQL ``text`` cannot hold NUL).
    """
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def record_hash(prev_hash: str, payload: str, seq: int) -> str:
    """Return the hex SHA-256 of ``prev_hash + payload + str(seq)``."""
    return hashlib.sha256(f"{prev_hash}{payload}{seq}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """One stored record as read back for verification.

    Attributes:
        seq: Stored sequence number.
        run_id: Stored run id (used to name the record in messages).
        payload: Stored canonical payload.
        prev_hash: Stored hash of the previous record.
        hash: Stored hash of this record.
        columns_ok: False when the row's indexed columns disagree with its payload.
        content_ok: True when the reader already checked the hash (then ``payload`` may be
            empty to save memory); None to check it here.
    """

    seq: int
    run_id: str | None
    payload: str
    prev_hash: str
    hash: str
    columns_ok: bool = True
    content_ok: bool | None = None


def verify_rows(
    rows: Sequence[ChainRow],
    head_seq: int | None = None,
    head_hash: str | None = None,
    anchors: Sequence[tuple[int, str]] = (),
) -> list[ChainProblem]:
    """Check a chain and name every record that breaks it.

    Args:
        rows: The stored rows (any order).
        head_seq: The last sequence number the store wrote, from its head row.
        head_hash: The hash it recorded for that record.
        anchors: ``(seq, hash)`` pairs kept outside the database (``evident audit
            verify --anchor``); they catch a chain rewritten end to end.

    Returns:
        Problems sorted by sequence number; empty when the chain is intact.
    """
    ordered = sorted(rows, key=lambda r: r.seq)
    problems: dict[int, ChainProblem] = {}

    def flag(row_seq: int, kind: ProblemKind, run_id: str | None, message: str) -> None:
        problems.setdefault(
            row_seq, ChainProblem(seq=row_seq, kind=kind, run_id=run_id, message=message)
        )

    _check_contents(ordered, flag)
    _check_forks(ordered, head_hash, problems, flag)
    _check_links(ordered, head_seq, head_hash, problems, flag)
    by_seq = {r.seq: r for r in ordered}
    for seq, digest in anchors:
        row = by_seq.get(seq)
        if row is None:
            flag(seq, "deleted", None, f"anchored record at seq {seq} is missing")
        elif row.hash != digest:
            flag(seq, "modified", row.run_id, f"{_name(row)} does not match the anchor")
    return [problems[k] for k in sorted(problems)]


def _name(row: ChainRow) -> str:
    return f"record of run {row.run_id}" if row.run_id else "record"


def _positions(rows: Sequence[ChainRow]) -> dict[int, int]:
    """Position of each row along its prev_hash links (1 for the genesis successor)."""
    by_hash = {r.hash: r for r in rows}
    pos: dict[int, int] = {}
    for row in rows:
        trail: list[ChainRow] = []
        cur: ChainRow | None = row
        base = 0
        while cur is not None and cur.seq not in pos and len(trail) <= len(rows):
            trail.append(cur)
            if cur.prev_hash == GENESIS:
                cur = None
            else:
                cur = by_hash.get(cur.prev_hash)
                if cur is None:
                    base = -(10**9)  # predecessor missing: position unknown
        if cur is not None and cur.seq in pos:
            base = pos[cur.seq]
        for step in reversed(trail):
            base += 1
            pos[step.seq] = base
    return pos


def _check_contents(rows: Sequence[ChainRow], flag: Any) -> None:
    """Each row must hash to its stored hash at its stored position."""
    positions = _positions(rows)
    for row in rows:
        if row.content_ok or (
            row.content_ok is None and record_hash(row.prev_hash, row.payload, row.seq) == row.hash
        ):
            if not row.columns_ok:
                flag(row.seq, "modified", row.run_id, f"{_name(row)}: columns disagree with it")
            continue
        candidates = [positions.get(row.seq, 0)]
        candidates += [row.seq + d for d in range(-_MOVE_WINDOW, _MOVE_WINDOW + 1) if d]
        moved_from = next(
            (
                s
                for s in candidates
                if s > 0 and s != row.seq and record_hash(row.prev_hash, row.payload, s) == row.hash
            ),
            None,
        )
        if moved_from is not None:
            flag(
                row.seq,
                "reordered",
                row.run_id,
                f"{_name(row)} was written at seq {moved_from} and now sits at seq {row.seq}",
            )
        else:
            flag(row.seq, "modified", row.run_id, f"{_name(row)} does not match its hash")


def _check_forks(
    rows: Sequence[ChainRow],
    head_hash: str | None,
    problems: dict[int, ChainProblem],
    flag: Any,
) -> None:
    """Two rows claiming one predecessor: the one nothing chains to was inserted."""
    referenced = {r.prev_hash for r in rows}
    if head_hash:
        referenced.add(head_hash)
    siblings: dict[str, list[ChainRow]] = defaultdict(list)
    for row in rows:
        siblings[row.prev_hash].append(row)
    for group in siblings.values():
        if len(group) < 2:
            continue
        for row in group:
            if row.hash not in referenced and row.seq not in problems:
                flag(row.seq, "inserted", row.run_id, f"{_name(row)} forks the chain")


def _check_links(
    rows: Sequence[ChainRow],
    head_seq: int | None,
    head_hash: str | None,
    problems: dict[int, ChainProblem],
    flag: Any,
) -> None:
    """Sequence numbers must be contiguous and each row must chain to its predecessor."""
    expected = 1
    prev: ChainRow | None = None
    for row in rows:
        if head_seq is not None and row.seq > head_seq:
            flag(row.seq, "inserted", row.run_id, f"{_name(row)} lies beyond the chain head")
            continue
        if row.seq != expected:
            missing = f"{expected}" if row.seq - 1 == expected else f"{expected}..{row.seq - 1}"
            flag(expected, "deleted", None, f"record(s) at seq {missing} are missing")
        elif row.prev_hash != (prev.hash if prev else GENESIS):
            _classify_link(prev, row, problems, flag)
        expected, prev = row.seq + 1, row
    last = prev.seq if prev else 0
    if head_seq is not None and head_seq > last:
        missing = f"{last + 1}" if head_seq == last + 1 else f"{last + 1}..{head_seq}"
        flag(last + 1, "deleted", None, f"record(s) at seq {missing} are missing from the end")
    elif (
        prev is not None
        and head_hash
        and head_seq == last
        and prev.hash != head_hash
        and prev.seq not in problems
    ):
        flag(prev.seq, "modified", prev.run_id, f"{_name(prev)}: hash differs from the head")


def _classify_link(
    prev: ChainRow | None, row: ChainRow, problems: dict[int, ChainProblem], flag: Any
) -> None:
    if row.seq in problems or (prev is not None and prev.seq in problems):
        return  # already explained by a content problem
    if prev is None:
        flag(row.seq, "modified", row.run_id, f"{_name(row)} should start the chain")
    elif prev.prev_hash == row.prev_hash:
        flag(prev.seq, "inserted", prev.run_id, f"{_name(prev)} was inserted before seq {row.seq}")
    else:
        flag(
            prev.seq,
            "modified",
            prev.run_id,
            f"{_name(prev)} was rewritten: seq {row.seq} chained to a different hash",
        )
