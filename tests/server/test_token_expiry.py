"""API tokens expire: over HTTP, for page sessions, in the CLI, and on an older database."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa

from evident.cli.main import main
from tests.server.conftest import fresh_database


@pytest.fixture
def clock(monkeypatch):
    """Move the user store's clock forward by a number of days."""
    import evident.server.users as users_module

    real = users_module._now

    def forward(days: float) -> None:
        monkeypatch.setattr(users_module, "_now", lambda: real() + timedelta(days=days))

    return forward


def _new_user(live, **extra) -> str:
    name = f"exp-{uuid.uuid4().hex[:10]}"
    created = live.req(
        "POST", "/api/users", "ada", json={"name": name, "role": "clinician", **extra}
    )
    assert created.status_code == 201, created.text
    token: str = created.json()["token"]
    return token


def _revoked_problem(live) -> dict:
    token = _new_user(live)
    users = live.state.users
    users.revoke_token(users.authenticate(token).token_id)
    r = live.req("GET", "/api/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    body: dict = r.json()
    return body


@pytest.mark.parametrize(
    ("expires_days", "days_later", "status"),
    [
        (None, 0, 200),  # the default lifetime: 90 days
        (None, 89, 200),
        (None, 91, 401),
        (1, 0.5, 200),
        (1, 2, 401),
        (365, 364, 200),
        (365, 366, 401),
    ],
)
def test_a_token_stops_working_when_it_expires(
    live, clock, caplog, expires_days, days_later, status
):
    revoked = _revoked_problem(live)
    extra = {} if expires_days is None else {"expires_days": expires_days}
    token = _new_user(live, **extra)
    clock(days_later)
    with caplog.at_level(logging.DEBUG):
        r = live.req("GET", "/api/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == status
    if status == 401:  # the same problem as a revoked token, and no token text in it
        assert r.json() == revoked
        assert token not in r.text and token[-4:] not in r.text
    assert all(token[4:] not in rec.getMessage() for rec in caplog.records)


@pytest.mark.parametrize("expires_days", [0, -1, 366, "never", 1.5])
def test_the_api_refuses_a_lifetime_outside_1_to_365_days(live, expires_days):
    body = {"name": f"bad-{uuid.uuid4().hex[:8]}", "role": "clinician"}
    r = live.req("POST", "/api/users", "ada", json={**body, "expires_days": expires_days})
    assert r.status_code == 422


def _login(live, client: httpx.Client, token: str) -> None:
    page = client.get(live.url + "/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.post(live.url + "/login", data={"csrf": csrf, "token": token}).status_code == 303


@pytest.mark.parametrize(("days_later", "status"), [(0.5, 200), (2, 401)])
def test_a_page_session_ends_when_its_token_expires(live, clock, days_later, status):
    token = _new_user(live, expires_days=1)
    with httpx.Client(timeout=30) as client:
        _login(live, client, token)
        assert client.get(live.url + "/api/me").status_code == 200
        clock(days_later)
        assert client.get(live.url + "/api/me").status_code == status


@pytest.mark.parametrize(
    ("argv", "rc"),
    [
        ([], 0),
        (["--expires-days", "1"], 0),
        (["--expires-days", "365"], 0),
        (["--expires-days", "0"], 2),
        (["--expires-days", "366"], 2),
        (["--expires-days", "never"], 2),
    ],
)
def test_cli_issues_tokens_with_a_lifetime(tmp_path, capsys, argv, rc):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert main(["users", "add", "dr.x", "--role", "clinician", "--db", db, *argv]) == rc
    assert main(["tokens", "create", "dr.x", "--db", db, *argv]) == rc
    captured = capsys.readouterr()
    if rc == 0:
        days = int(argv[1]) if argv else 90
        day = (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
        assert f"expires {day}" in captured.err


def test_tokens_list_shows_expiry_and_expired_tokens(tmp_path, capsys, clock):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert main(["users", "add", "dr.x", "--role", "clinician", "--db", db]) == 0
    assert (
        main(["tokens", "create", "dr.x", "--label", "ci", "--expires-days", "1", "--db", db]) == 0
    )
    capsys.readouterr()
    clock(2)
    assert main(["tokens", "list", "--db", db]) == 0
    first, second = (line.split("\t") for line in capsys.readouterr().out.splitlines())
    in_90 = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
    in_1 = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert (first[4], first[6]) == ("active", in_90)
    assert (second[2], second[4], second[6]) == ("ci", "expired", in_1)


# The token table as releases before token expiry created it (no expires_at column).
def _old_schema(url: str, token: str, revoked: bool) -> None:
    from evident.audit.db import create_store_engine, resolve_url

    md = sa.MetaData()
    users = sa.Table(
        "evident_server_users",
        md,
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    tokens = sa.Table(
        "evident_server_tokens",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_name", sa.String(64), sa.ForeignKey("evident_server_users.name")),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("last4", sa.String(4), nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    engine = create_store_engine(resolve_url(url))
    md.create_all(engine)
    long_ago = datetime.now(UTC) - timedelta(days=400)
    _insert_old_user(engine, users, tokens, token, revoked=revoked, when=long_ago)
    engine.dispose()


def _insert_old_user(engine, users, tokens, token: str, *, revoked: bool, when) -> None:
    """Admin "dr.old" and its token, written with the columns an older release knows."""
    with engine.begin() as conn:
        conn.execute(
            users.insert().values(name="dr.old", role="admin", active=True, created_at=when)
        )
        conn.execute(
            tokens.insert().values(
                user_name="dr.old",
                digest=hashlib.sha256(token.encode()).hexdigest(),
                label="initial",
                last4=token[-4:],
                revoked=revoked,
                created_at=when,
            )
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_db_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.mark.parametrize(("revoked", "works"), [(False, True), (True, False)])
def test_an_older_database_gives_its_tokens_90_days_from_the_upgrade(
    fresh_db_url, clock, revoked, works
):
    from evident.errors import AuthError
    from evident.server.users import UserStore

    token = "evt_" + "x" * 43
    _old_schema(fresh_db_url, token, revoked)
    store = UserStore(fresh_db_url)  # adds the column
    try:
        if works:
            assert store.authenticate(token).user == "dr.old"
        else:
            with pytest.raises(AuthError):
                store.authenticate(token)
        (info,) = store.list_tokens()
        expected = datetime.now(UTC) + timedelta(days=90)
        assert abs(info.expires_at - expected) < timedelta(minutes=5)
        assert (info.revoked, info.expired) == (revoked, False)
        store.close()
        store = UserStore(fresh_db_url)  # opening again extends nothing
        assert store.list_tokens()[0].expires_at == info.expires_at
        assert store.has_credentials() is works
        clock(91)
        with pytest.raises(AuthError):
            store.authenticate(token)
        assert store.has_credentials() is False
    finally:
        store.close()


def test_a_token_without_an_expiry_is_refused(fresh_db_url):
    """A row written by an older release after the upgrade (a rolling update) has no
    expiry: it is refused rather than taken to last forever."""
    from evident.audit.db import create_store_engine, resolve_url
    from evident.errors import AuthError
    from evident.server.users import UserStore

    token = "evt_" + "y" * 43
    UserStore(fresh_db_url).close()  # a database of this release
    engine = create_store_engine(resolve_url(fresh_db_url))
    md = sa.MetaData()
    users = sa.Table("evident_server_users", md, autoload_with=engine)
    tokens = sa.Table("evident_server_tokens", md, autoload_with=engine)
    _insert_old_user(engine, users, tokens, token, revoked=False, when=datetime.now(UTC))
    engine.dispose()
    store = UserStore(fresh_db_url)
    try:
        with pytest.raises(AuthError):
            store.authenticate(token)
        assert store.list_tokens()[0].expired is True
    finally:
        store.close()


@pytest.mark.parametrize(
    ("expires_days", "days_later", "state"),
    [(None, 0, "active"), (1, 2, "expired"), (30, 0, "active")],
)
def test_admins_see_each_tokens_state_and_expiry(live, clock, expires_days, days_later, state):
    extra = {} if expires_days is None else {"expires_days": expires_days}
    token = _new_user(live, **extra)
    name = live.state.users.authenticate(token).user
    clock(days_later)
    r = live.req("GET", "/api/users", "ada")
    assert r.status_code == 200
    (user,) = [u for u in r.json()["users"] if u["name"] == name]
    (listed,) = user["tokens"]
    assert listed["state"] == state and listed["last4"] == token[-4:]
    days = 90 if expires_days is None else expires_days
    expires = datetime.fromisoformat(listed["expires_at"])
    created = datetime.fromisoformat(listed["created_at"])
    assert abs((expires - created).total_seconds() - days * 86400) < 60
    assert token[4:-4] not in r.text  # metadata only, never the token
