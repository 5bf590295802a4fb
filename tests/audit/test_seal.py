"""Tampering by a database writer: what the chain, a signed checkpoint and the MAC key see.

Each attack is made with SQL by someone who can write the database but holds neither the
HMAC key nor the checkpoint signing key, and recomputes every hash so the plain chain
verifies. The table says which defence detects it (docs/audit.md, threat model).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from evident.audit import open_store
from evident.audit.db import resolve_url
from evident.audit.seal import read_checkpoints, sign_checkpoint, write_signing_key
from evident.cli.main import main
from evident.errors import AuditError
from tests.audit.factories import make_run
from tests.audit.test_tamper import _edit_and_rehash, _forge, _row

KEY = b"k3y-outside-the-database-0123456789abcdef"


def _build(db_url: str) -> None:
    with open_store(db_url, mac_key=KEY) as store:
        for _ in range(3):
            run = make_run()
            store.record_run(run, user="dr.a")
            store.record_action(run.id, user="dr.a", statement_id="st1", action="accept")


edit_and_rehash = _edit_and_rehash


def cut_tail(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_records WHERE seq > 4"))
    conn.execute(text("UPDATE audit_head SET seq = 4, hash = :h"), {"h": _row(conn, 4).hash})


def append_forged(conn: Connection) -> None:
    _forge(conn, 7, _row(conn, 6).hash)
    conn.execute(text("UPDATE audit_head SET seq = 7, hash = :h"), {"h": _row(conn, 7).hash})


Attack = Callable[[Connection], None]


@pytest.mark.parametrize(
    ("attack", "by_chain", "by_checkpoint", "by_key"),
    [
        (edit_and_rehash, False, True, True),
        (cut_tail, False, True, False),
        (append_forged, False, False, True),
    ],
    ids=lambda v: v.__name__ if callable(v) else str(v),
)
def test_what_each_defence_detects(db_url, tmp_path, attack, by_chain, by_checkpoint, by_key):
    _build(db_url)
    signing = tmp_path / "signing.pem"
    public = write_signing_key(signing)
    anchors = tmp_path / "checkpoints.jsonl"
    with open_store(db_url, mac_key=KEY) as store:
        assert store.verify_chain().ok  # with the key: every MAC checks out
        sign_checkpoint(store.head(), signing, anchors)
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        attack(conn)
    engine.dispose()
    checkpoints = [(c.seq, c.hash) for c in read_checkpoints(anchors, public)]
    with open_store(db_url, mac_key=b"") as store:  # no key: the plain chain only
        assert store.verify_chain(mac_key=None).ok is not by_chain
        assert store.verify_chain(checkpoints).ok is not by_checkpoint
        keyed = store.verify_chain(mac_key=KEY)
    assert keyed.ok is not by_key
    if by_key:
        assert any("without the audit key" in p.message for p in keyed.problems)


def test_cli_keygen_checkpoint_and_verify(sqlite_url, tmp_path, capsys, monkeypatch):
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(KEY)
    key_file.chmod(0o600)
    monkeypatch.setenv("EVIDENT_AUDIT_KEY_FILE", str(key_file))
    _build(sqlite_url)
    signing, out = tmp_path / "sign.pem", tmp_path / "cp.jsonl"
    assert main(["audit", "keygen", str(signing)]) == 0
    assert oct(signing.stat().st_mode & 0o777) == "0o600"
    assert main(["audit", "checkpoint", "--db", sqlite_url, "--signing-key", str(signing),
                 "--out", str(out)]) == 0  # fmt: skip
    verify = ["audit", "verify", "--db", sqlite_url, "--anchor", str(out)]
    verify += ["--public-key", f"{signing}.pub"]
    assert main(verify) == 0
    assert "MACs verified from seq 1" in capsys.readouterr().out
    engine = create_engine(resolve_url(sqlite_url))
    with engine.begin() as conn:
        append_forged(conn)
    engine.dispose()
    assert main(verify) == 6
    assert "seq 7: modified" in capsys.readouterr().out


def test_an_edited_checkpoint_file_is_refused(sqlite_url, tmp_path):
    _build(sqlite_url)
    signing = tmp_path / "sign.pem"
    public = write_signing_key(signing)
    out = tmp_path / "cp.jsonl"
    with open_store(sqlite_url) as store:
        cp = sign_checkpoint(store.head(), signing, out)
    out.write_text(out.read_text().replace(cp.hash, "0" * 64))
    with pytest.raises(AuditError, match="signature does not verify"):
        read_checkpoints(out, public)
    other = write_signing_key(tmp_path / "other.pem")
    out.write_text(out.read_text().replace("0" * 64, cp.hash))
    with pytest.raises(AuditError, match="signature does not verify"):
        read_checkpoints(out, other)
    assert read_checkpoints(Path(out), public)[0].seq == 6


@pytest.mark.parametrize(("content", "mode"), [(KEY, 0o644), (b"short", 0o600)])
def test_weak_key_files_are_refused(tmp_path, content, mode):
    from evident.audit.seal import load_mac_key
    from evident.errors import ConfigError

    path = tmp_path / "k"
    path.write_bytes(content)
    path.chmod(mode)
    with pytest.raises(ConfigError):
        load_mac_key(path)
