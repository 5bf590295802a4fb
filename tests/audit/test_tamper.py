"""Tampering with the stored chain by hand (SQL) is detected and the record is named.

Each case edits the database directly, as an attacker with database access would, on
SQLite and on PostgreSQL, then checks what ``verify_chain`` and ``evident audit verify``
report.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from evident.audit import open_store
from evident.audit.chain import canonical_json, record_hash
from evident.audit.db import resolve_url
from evident.audit.payloads import action_payload, columns_for
from evident.cli.main import main
from tests.audit.factories import make_run


def _edit_and_rehash(conn: Connection) -> None:
    """Rewrite records 3-6 and re-hash them and the head: internally valid."""
    prev = _row(conn, 2).hash
    for seq in range(3, 7):
        row = _row(conn, seq)
        body = row.payload.replace('"dr.a"', '"dr.z"')
        digest = record_hash(prev, body, seq)
        conn.execute(
            text(
                "UPDATE audit_records SET payload=:p, prev_hash=:q, hash=:h, user_name='dr.z' "
                "WHERE seq=:s"
            ),
            {"p": body, "q": prev, "h": digest, "s": seq},
        )
        prev = digest
    conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


def _row(conn: Connection, seq: int):
    return conn.execute(text("SELECT * FROM audit_records WHERE seq = :s"), {"s": seq}).one()


def _forge(conn: Connection, seq: int, prev_hash: str) -> str:
    """Insert a well-formed action record with a correct hash at ``seq``; return its run id."""
    payload = action_payload("forged", "mallory", None, "sign", None, None, "2026-11-22T00:00:00")
    body = canonical_json(payload)
    values = {
        **columns_for(payload),
        "seq": seq,
        "payload": body,
        "prev_hash": prev_hash,
        "hash": record_hash(prev_hash, body, seq),
    }
    cols = ", ".join(values)
    conn.execute(
        text(f"INSERT INTO audit_records ({cols}) VALUES ({', '.join(':' + k for k in values)})"),
        values,
    )
    return "forged"


def modify_payload(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(
        text(
            "UPDATE audit_records SET payload = REPLACE(payload, '\"unsupported\"', "
            "'\"supported\"') WHERE seq = 3"
        )
    )
    return [(3, "modified")]


def modify_and_rehash(conn: Connection) -> list[tuple[int, str]]:
    row = _row(conn, 3)
    payload = json.loads(row.payload)
    payload["run"]["draft"]["sections"][0]["statements"][0]["text"] = "Something else."
    body = canonical_json(payload)
    conn.execute(
        text("UPDATE audit_records SET payload = :p, hash = :h WHERE seq = 3"),
        {"p": body, "h": record_hash(row.prev_hash, body, 3)},
    )
    return [(3, "modified")]


def modify_column(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(text("UPDATE audit_records SET user_name = 'mallory' WHERE seq = 2"))
    return [(2, "modified")]


def modify_action(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(
        text(
            "UPDATE audit_records SET action = 'reject', payload = REPLACE(payload, "
            "'\"accept\"', '\"reject\"') WHERE seq = 5"
        )
    )
    return [(5, "modified")]


def delete_middle(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(text("DELETE FROM audit_records WHERE seq = 3"))
    return [(3, "deleted")]


def delete_first(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(text("DELETE FROM audit_records WHERE seq = 1"))
    return [(1, "deleted")]


def delete_last(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(text("DELETE FROM audit_records WHERE seq = 6"))
    return [(6, "deleted")]


def swap_two(conn: Connection) -> list[tuple[int, str]]:
    conn.execute(text("UPDATE audit_records SET seq = -2 WHERE seq = 2"))
    conn.execute(text("UPDATE audit_records SET seq = 2 WHERE seq = 3"))
    conn.execute(text("UPDATE audit_records SET seq = 3 WHERE seq = -2"))
    return [(2, "reordered"), (3, "reordered")]


def insert_at_end(conn: Connection) -> list[tuple[int, str]]:
    _forge(conn, 7, _row(conn, 6).hash)
    return [(7, "inserted")]


def insert_in_middle(conn: Connection) -> list[tuple[int, str]]:
    # Make room (renumbering later records), forge a record at 4 and move the head.
    for seq in (6, 5, 4):
        conn.execute(
            text("UPDATE audit_records SET seq = :n WHERE seq = :s"), {"n": seq + 1, "s": seq}
        )
    _forge(conn, 4, _row(conn, 3).hash)
    conn.execute(text("UPDATE audit_head SET seq = 7"))
    return [(4, "inserted"), (5, "reordered"), (6, "reordered"), (7, "reordered")]


CASES: list[Callable[[Connection], list[tuple[int, str]]]] = [
    modify_payload,
    modify_and_rehash,
    modify_column,
    modify_action,
    delete_middle,
    delete_first,
    delete_last,
    swap_two,
    insert_at_end,
    insert_in_middle,
]


def _build_chain(url: str) -> dict[int, str]:
    """Six records: runs at seq 1-4, an accept at 5, a run at 6. Returns run id per seq."""
    runs = [make_run(("supported", "unsupported")) for _ in range(5)]
    with open_store(url) as store:
        for run in runs[:4]:
            store.record_run(run, user="dr.a")
        store.record_action(runs[1].id, user="dr.a", statement_id="st1", action="accept")
        store.record_run(runs[4], user="dr.a")
        assert store.verify_chain().ok
    return {
        1: runs[0].id,
        2: runs[1].id,
        3: runs[2].id,
        4: runs[3].id,
        5: runs[1].id,
        6: runs[4].id,
    }


@pytest.mark.parametrize("tamper", CASES, ids=[c.__name__ for c in CASES])
def test_tampering_is_detected_and_named(db_url, tamper):
    run_at = _build_chain(db_url)
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        expected = tamper(conn)
    engine.dispose()
    with open_store(db_url) as store:
        report = store.verify_chain()
    assert not report.ok
    assert [(p.seq, p.kind) for p in report.problems] == expected
    for problem in report.problems:
        if problem.kind in {"modified", "reordered"} and problem.seq in run_at:
            # The record is named by its run id (a moved record by the run it carries).
            assert problem.run_id in set(run_at.values())
            assert problem.run_id in problem.message
        if problem.kind == "inserted":
            assert problem.run_id == "forged"


def test_cli_verify_reports_and_exits_6(sqlite_url, capsys):
    run_at = _build_chain(sqlite_url)
    assert main(["audit", "verify", "--db", sqlite_url]) == 0
    assert "OK: 6 records verified" in capsys.readouterr().out
    engine = create_engine(resolve_url(sqlite_url))
    with engine.begin() as conn:
        modify_payload(conn)
        delete_last(conn)
    engine.dispose()
    assert main(["audit", "verify", "--db", sqlite_url]) == 6
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert lines == [
        f"seq 3: modified: record of run {run_at[3]} does not match its hash",
        "seq 6: deleted: record(s) at seq 6 are missing from the end",
    ]
    assert captured.err.startswith("evident: error: audit trail failed verification")


def test_anchor_catches_a_chain_rewritten_end_to_end(sqlite_url, capsys):
    _build_chain(sqlite_url)
    assert main(["audit", "verify", "--db", sqlite_url]) == 0
    anchor = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("anchor ")
    assert anchor.startswith("6:")
    # Rewrite record 3 and re-hash everything after it, head included: internally valid.
    engine = create_engine(resolve_url(sqlite_url))
    with engine.begin() as conn:
        _edit_and_rehash(conn)
    engine.dispose()
    assert main(["audit", "verify", "--db", sqlite_url]) == 0  # undetectable without anchor
    capsys.readouterr()
    assert main(["audit", "verify", "--db", sqlite_url, "--anchor", anchor]) == 6
    assert capsys.readouterr().out.startswith("seq 6: modified:")


@pytest.mark.parametrize("bad", ["6", "x:" + "a" * 64, "6:abc", "6:" + "g" * 64])
def test_bad_anchor_is_input_error(sqlite_url, bad):
    assert main(["audit", "verify", "--db", sqlite_url, "--anchor", bad]) == 2


def test_missing_head_row(sqlite_url):
    from evident.errors import AuditError

    _build_chain(sqlite_url)
    engine = create_engine(resolve_url(sqlite_url))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    engine.dispose()
    with open_store(sqlite_url) as store:
        report = store.verify_chain()
        assert [(p.seq, p.kind) for p in report.problems] == [(7, "deleted")]
        with pytest.raises(AuditError, match="head row is missing"):
            store.record_run(make_run())
