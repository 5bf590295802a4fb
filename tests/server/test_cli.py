"""``evident serve`` refusals, the demo server as a subprocess, and user/token admin."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from evident.cli.main import main
from evident.cli.serve import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_demo_refuses_a_public_host(capsys):
    assert main(["serve", "--demo", "--host", "0.0.0.0"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_demo_refuses_other_models(capsys):
    assert main(["serve", "--demo", "--model", "openai:gpt-4o"]) == 2
    assert "offline" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--db", "sqlite:///{db}"], None),
        ([], "sqlite:///{db}"),
        (["--db", "{db}"], None),  # a bare path is a SQLite file too
        (["--db", "sqlite:///{db}"], "sqlite:///{db}"),
        (["--db", "postgresql://evident:pw@127.0.0.1:1/evident"], None),
    ],
)
def test_demo_refuses_a_named_database(tmp_path, monkeypatch, capsys, argv, env):
    """A passwordless demo clinician belongs in the throw-away demo database only."""
    import uvicorn

    def must_not_serve(*args, **kwargs):
        raise AssertionError("the demo server started on a named database")

    monkeypatch.setattr(uvicorn, "run", must_not_serve)
    db = tmp_path / "real.db"
    if env is not None:
        monkeypatch.setenv("EVIDENT_DB_URL", env.format(db=db))
    assert main(["serve", "--demo", *(a.format(db=db) for a in argv)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "--demo" in err and "throw-away" in err and "pw" not in err
    assert not db.exists()  # nothing written, no demo user added


def test_serve_refuses_unknown_model_backends(tmp_path, capsys):
    assert main(["serve", "--db", f"sqlite:///{tmp_path / 'e.db'}", "--model", "nosuch:x"]) == 2
    assert "nosuch" in capsys.readouterr().err


def test_serve_refuses_to_start_without_users(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert main(["serve", "--db", db]) == 2
    assert "evident users add" in capsys.readouterr().err


def test_users_and_tokens_admin(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert main(["users", "add", "dr.x", "--role", "clinician", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("evt_") and len(token) > 40
    assert main(["users", "add", "dr.x", "--role", "auditor", "--db", db]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["users", "add", "bad name!", "--role", "auditor", "--db", db]) == 2
    capsys.readouterr()
    assert main(["tokens", "create", "dr.x", "--label", "laptop", "--db", db]) == 0
    second = capsys.readouterr().out.strip()
    assert second != token
    assert main(["tokens", "list", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert "laptop" in listing and token not in listing and second[-4:] in listing
    first_id = int(listing.splitlines()[0].split("\t")[0])
    assert main(["tokens", "revoke", str(first_id), "--db", db]) == 0
    assert main(["tokens", "revoke", "999", "--db", db]) == 2
    assert main(["users", "disable", "dr.x", "--db", db]) == 0
    assert main(["users", "list", "--db", db]) == 0
    assert "dr.x\tclinician\tdisabled" in capsys.readouterr().out
    from evident.server.users import UserStore

    users = UserStore(db)
    assert users.has_credentials() is False  # disabled: a server would refuse to start
    users.set_active("dr.x", True)
    assert users.authenticate(second).user == "dr.x"
    with pytest.raises(Exception, match="invalid token"):
        users.authenticate(token)
    users.close()


def test_demo_server_subprocess(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the throw-away database goes here
    proc = subprocess.Popen(
        [sys.executable, "-m", "evident", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("demo server did not start")
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/api/runs").status_code == 401  # auth still required
            page = client.get("/login")
            assert "demo clinician" in page.text
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            assert client.post("/login", data={"csrf": csrf, "demo": "1"}).status_code == 303
            assert client.get("/api/me").json()["user"] == "demo-clinician"
            assert client.get("/api/tasks").json()["models"] == ["offline"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "demo mode" in err
    assert "GET /api/me 200" in err and "/login" in err  # the access log: templates only


def test_bench_server_counts_runs_and_checks_the_trail(tmp_path, capsys):
    from tests.server.conftest import TRANSCRIPT

    path = tmp_path / "visit.txt"
    path.write_text(TRANSCRIPT)
    code = main(
        [
            "bench",
            "server",
            str(path),
            "--clients",
            "2",
            "--seconds",
            "30",
            "--limit",
            "6",
            "--workers",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    rows = dict(line.rsplit("  ", 1) for line in out.splitlines())
    values = {k.strip(): v.strip() for k, v in rows.items()}
    assert values["runs accepted"] == "6" and values["errors"] == "0"
    assert values["lost runs"] == "0" and values["audit chain"].startswith("ok (6 records)")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tokens", "revoke", "99999999999999999999999"], "is not in the range"),
        (["tokens", "revoke", "0"], "is not in the range"),
        (["tokens", "revoke", "999"], "no token with id 999"),
        (["users", "list"], "cannot open the user database"),
        (["tokens", "list"], "cannot open the user database"),
        (["users", "add", "John Zyxwv", "--role", "clinician"], "user names are 1-64"),
        (["users", "add", "Zyxwv" * 200, "--role", "clinician"], "user names are 1-64"),
        (["users", "add", "bob\n", "--role", "clinician"], "user names are 1-64"),
        (["users", "add", "Zo\u00eb", "--role", "clinician"], "ASCII letters"),
        (["tokens", "create", "Zyxwv\u00e9", "--label", "x"], "no user"),
        (["tokens", "create", "dr.x", "--label", "a\tb\n9\tmallory"], "printable"),
    ],
)
def test_users_and_tokens_bad_input_is_one_line(tmp_path, capsys, argv, message):
    db = tmp_path / "e.db"
    if "cannot open" in message:
        db.write_bytes(b"not a database, John Zyxwv" * 100)
    else:
        assert main(["users", "add", "dr.x", "--role", "clinician", "--db", str(db)]) == 0
        capsys.readouterr()
    assert main([*argv, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "Zyxwv" not in err or argv[0] == "tokens"  # an unknown name is echoed: not PHI


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://evident:s3cret@127.0.0.1:5432/evident",
            "postgresql://evident:***@127.0.0.1:5432/evident",
        ),
        ("sqlite:////var/lib/evident/audit.db", "sqlite:////var/lib/evident/audit.db"),
        ("postgresql://evident@db/evident", "postgresql://evident@db/evident"),
    ],
)
def test_start_up_names_the_database_without_its_password(url: str, shown: str) -> None:
    from evident.cli.serve import shown_db_url

    assert shown_db_url(url) == shown
