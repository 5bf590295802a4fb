"""Files other users cannot read: the database, the key file; demo data cleaned up."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time

import httpx
import pytest

from evident.audit import open_store
from evident.cli.serve import SECRET_ENV, SECRET_FILE_ENV, secret_key
from evident.errors import ConfigError

KEY = "0123456789abcdef" * 4


def test_new_sqlite_database_is_private(tmp_path):
    path = tmp_path / "new" / "audit.sqlite3"
    open_store(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for extra in path.parent.iterdir():  # -wal, -shm take the database's mode
        assert stat.S_IMODE(extra.stat().st_mode) & 0o077 == 0, extra.name


@pytest.mark.parametrize(
    ("content", "mode", "env_key", "expected"),
    [
        (KEY, 0o600, None, KEY),
        (KEY + "\n", 0o400, None, KEY),
        (KEY, 0o644, None, "readable by other users"),
        (KEY, 0o640, None, "readable by other users"),
        ("short", 0o600, None, "at least 32"),
        (None, None, KEY, KEY),
        (None, None, "short", "at least 32"),
        (None, None, None, None),
    ],
)
def test_secret_key_sources(tmp_path, monkeypatch, content, mode, env_key, expected):
    monkeypatch.delenv(SECRET_FILE_ENV, raising=False)
    monkeypatch.delenv(SECRET_ENV, raising=False)
    if env_key is not None:
        monkeypatch.setenv(SECRET_ENV, env_key)
    path = None
    if content is not None:
        path = tmp_path / "key"
        path.write_text(content)
        path.chmod(mode)
    if expected in (KEY, None):
        assert secret_key(str(path) if path else None) == expected
    else:
        with pytest.raises(ConfigError, match=expected):
            secret_key(str(path) if path else None)


def test_secret_key_file_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "key"
    path.write_text(KEY)
    path.chmod(0o600)
    monkeypatch.setenv(SECRET_FILE_ENV, str(path))
    monkeypatch.setenv(SECRET_ENV, "x" * 40)  # the file wins
    assert secret_key(None) == KEY
    monkeypatch.setenv(SECRET_FILE_ENV, str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="cannot read"):
        secret_key(None)


def test_demo_database_is_removed_when_the_server_stops(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "EVIDENT_DB_URL"}
    env["TMPDIR"] = str(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "evident", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("demo server did not start")
        assert [p.name[:13] for p in tmp_path.iterdir()] == ["evident-demo-"]
    finally:
        proc.terminate()
        proc.wait(30)
    assert list(tmp_path.iterdir()) == []
