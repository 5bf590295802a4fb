"""Fixtures: a live server over real HTTP on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import require_or_skip

PG_ENV = "EVIDENT_TEST_PG_URL"

TRANSCRIPT = (
    "Doctor: Good morning, what brings you in today?\n"
    "Patient: I have had a dry cough for two weeks.\n"
    "Doctor: Any fever or chills?\n"
    "Patient: No fever, but I feel very tired in the evenings.\n"
    "Doctor: Are you taking any medicines at the moment?\n"
    "Patient: I take lisinopril 10 mg once daily for my blood pressure.\n"
    "Doctor: Your blood pressure today is 150 over 95.\n"
    "Doctor: We will get a chest x-ray and recheck your pressure in two weeks.\n"
)

USERS = {"alice": "clinician", "bob": "clinician", "audrey": "auditor", "ada": "admin"}


class LiveServer:
    """Uvicorn serving an app on a pre-bound loopback socket in a background thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan="on",
            server_header=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.sock.close()


@dataclass
class Live:
    """A running server with one token per test user."""

    url: str
    tokens: dict[str, str]
    state: Any
    db_url: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60))

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def req(self, method: str, path: str, user: str | None = None, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if user:
            headers.update(self.auth(user))
        return self.client.request(method, self.url + path, headers=headers, **kw)

    def run(self, user: str = "alice", **body: Any) -> dict[str, Any]:
        payload = {"task": "echo", "transcript": TRANSCRIPT, "wait": True, **body}
        r = self.req("POST", "/api/runs", user, json=payload)
        assert r.status_code == 201, r.text
        data: dict[str, Any] = r.json()
        return data


def _pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5):
            return url
    except Exception:  # unreachable: reported by require_or_skip
        return None


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database: a SQLite file in ``folder``, or a PostgreSQL schema dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'evident.db'}"
        return
    base = _pg_base_url()
    require_or_skip(
        base is not None,
        "EVIDENT_REQUIRE_POSTGRES",
        f"PostgreSQL not reachable ({PG_ENV} unset or server down)",
    )
    import psycopg

    schema = f"t_server_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(str(base), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in str(base) else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(str(base), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory) -> Iterator[str]:
    """A fresh database for the module: SQLite, and PostgreSQL when configured."""
    with fresh_database(request.param, tmp_path_factory.mktemp("server")) as url:
        yield url


def start_live(db_url: str, **settings_kw: Any) -> tuple[LiveServer, Live]:
    from evident.server import ServerSettings, register_task_adapter
    from evident.server.app import build_state, create_app
    from tests.server.fake_task import ECHO_ADAPTER

    register_task_adapter(ECHO_ADAPTER)
    settings = ServerSettings(db_url=db_url, workers=2, **settings_kw)
    state = build_state(settings)
    tokens = {name: state.users.add_user(name, role) for name, role in USERS.items()}
    server = LiveServer(create_app(settings, state))
    server.__enter__()
    return server, Live(url=server.url, tokens=tokens, state=state, db_url=db_url)


@pytest.fixture(scope="module")
def live(db_url) -> Iterator[Live]:
    """A server on this module's database, with users alice, bob, audrey and ada."""
    server, handle = start_live(db_url, max_body_bytes=64_000, max_transcript_chars=20_000)
    try:
        yield handle
    finally:
        handle.client.close()
        server.__exit__()
