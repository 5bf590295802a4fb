"""``evident audit list`` and ``evident audit export``; errors as one line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from evident.audit import open_store
from evident.audit.chain import record_hash
from evident.cli.main import main
from tests.audit.factories import make_run


def test_list_and_export(sqlite_url, tmp_path, capsys):
    run = make_run()
    with open_store(sqlite_url) as store:
        store.record_run(run, user="dr.a")
        store.record_action(run.id, user="dr.a", statement_id=None, action="sign")
    assert main(["audit", "list", "--db", sqlite_url]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(run.id) and "dr.a  scribe  offline  signed" in line
    target = tmp_path / "trail.jsonl"
    assert main(["audit", "export", "--db", sqlite_url, "-o", str(target)]) == 0
    records = [json.loads(x) for x in target.read_text().splitlines()]
    assert [r["seq"] for r in records] == [1, 2]
    assert records[0]["payload"]["run"]["id"] == run.id
    assert records[1]["payload"]["action"] == "sign"
    # The export alone is enough to re-check the chain.
    from evident.audit.chain import canonical_json

    prev = "0" * 64
    for r in records:
        assert r["prev_hash"] == prev
        assert record_hash(prev, canonical_json(r["payload"]), r["seq"]) == r["hash"]
        prev = r["hash"]


def test_list_empty_and_bad_db(tmp_path, capsys):
    db = str(tmp_path / "new.sqlite3")
    open_store(db).close()
    assert main(["audit", "list", "--db", db]) == 0
    assert "(no runs)" in capsys.readouterr().out
    assert main(["audit", "verify", "--db", "mysql://x@y/z"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evident: error: unsupported audit database") and err.count("\n") == 1


def test_default_location_uses_evident_home(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("EVIDENT_DB_URL", raising=False)
    monkeypatch.setenv("EVIDENT_HOME", str(tmp_path / "home"))
    assert main(["audit", "verify"]) == 0
    assert "OK: 0 records verified" in capsys.readouterr().out
    assert (tmp_path / "home" / "audit.sqlite3").exists()


def test_bench_audit_prints_table_and_refuses_used_db(sqlite_url, capsys):
    assert main(["bench", "audit", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["operation", "count"]
    ops = [line.split("  ")[0].strip() for line in lines[1:]]
    assert ops[:3] == ["record_run", "record_action (accept)", "get_run"]
    assert any(line.startswith("verify_chain (6 records)") for line in lines)
    with open_store(sqlite_url) as store:
        store.record_run(make_run())
    assert main(["bench", "audit", "--db", sqlite_url, "--limit", "2"]) == 2
    assert "empty database" in capsys.readouterr().err


_READERS = [
    ["audit", "verify"],
    ["audit", "list"],
    ["audit", "export"],
    ["metrics"],
    ["metrics", "--format", "json"],
]


@pytest.mark.parametrize("argv", _READERS)
def test_a_named_database_that_does_not_exist_is_an_error(argv, tmp_path, capsys):
    db = tmp_path / "typo" / "audit.sqlite3"
    assert main([*argv, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evident: error: no audit database at") and err.count("\n") == 1
    assert not db.parent.exists()  # no empty trail created in its place


_TAMPER = [
    "UPDATE audit_records SET payload = 'John Zyxwv, not JSON' WHERE seq = 1",
    "UPDATE audit_records SET payload = '[1]' WHERE seq = 1",
    "UPDATE audit_records SET summary = '{bad John Zyxwv' WHERE seq = 1",
    "UPDATE audit_records SET summary = '[]' WHERE seq = 1",
    "UPDATE audit_records SET created_at = 'John Zyxwv' WHERE seq = 1",
    "UPDATE audit_records SET payload = X'FF00' WHERE seq = 2",
]


@pytest.mark.parametrize("argv", _READERS)
@pytest.mark.parametrize("sql", _TAMPER)
def test_readers_of_a_tampered_trail_fail_in_one_line(argv, sql, sqlite_url, capsys):
    run = make_run()
    with open_store(sqlite_url) as store:
        store.record_run(run, user="dr.a")
        store.record_action(run.id, user="dr.a", statement_id=None, action="sign")
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()
    code = main([*argv, "--db", sqlite_url])
    captured = capsys.readouterr()
    assert "Zyxwv" not in captured.err + captured.out and "Traceback" not in captured.err
    if argv == ["audit", "verify"]:
        assert code == 6 and "failed verification" in captured.err
        return
    if code == 0:  # the tampered field still parses: the output is whole and valid
        if "export" in argv:
            [json.loads(line) for line in captured.out.splitlines()]
        elif "json" in argv:
            json.loads(captured.out)
        return
    assert code == 6 and "may have been tampered with" in captured.err
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize("missing", [False, True])
def test_a_failed_export_keeps_the_earlier_one(missing, sqlite_url, tmp_path, capsys):
    target = tmp_path / "trail.jsonl"
    target.write_text('{"seq": 1}\n', encoding="utf-8")
    db = str(tmp_path / "absent.sqlite3") if missing else sqlite_url
    if not missing:
        with open_store(sqlite_url) as store:
            store.record_run(make_run(), user="dr.a")
        engine = create_engine(sqlite_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE audit_records SET payload = 'x' WHERE seq = 1"))
        engine.dispose()
    assert main(["audit", "export", "--db", db, "-o", str(target)]) in {2, 6}
    assert target.read_text(encoding="utf-8") == '{"seq": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir() if "trail" in p.name) == ["trail.jsonl"]
