"""Users, roles and API tokens, kept in the server's own tables.

Tokens are 256-bit random strings shown once; only their SHA-256 digest is stored (a
slow password hash adds nothing for random secrets of this length and would cost every
request). Every token expires (1 to 365 days after it is issued, 90 by default): a
token that leaks from a laptop or a script stops working without anyone noticing the
leak. These tables are separate from the audit stage's hash-chained ones.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args, overload

from evident.errors import AuthError, ConfigError, InputError

__all__ = [
    "DEFAULT_TOKEN_DAYS",
    "MAX_TOKEN_DAYS",
    "ROLES",
    "Principal",
    "Role",
    "TokenInfo",
    "UserInfo",
    "UserStore",
]

Role = Literal["clinician", "auditor", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
TOKEN_PREFIX = "evt_"
DEFAULT_TOKEN_DAYS = 90
# No "never": a service account gets a new token once a year at the latest.
MAX_TOKEN_DAYS = 365
# Key of the PostgreSQL advisory lock that serialises the token-expiry column upgrade.
_UPGRADE_LOCK = 0x45564955  # "EVIU"
# \Z, not $: "$" also matches before a final newline, which let "bob\n" in.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\Z")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    Attributes:
        user: User name.
        role: The user's role.
        via: ``token`` or ``session`` (session callers must pass the CSRF check).
        csrf: The session's CSRF token (sessions only).
        token_id: The token that authenticated the caller (or started the session).
        session_id: The server-side session id (sessions only).
    """

    user: str
    role: str
    via: str = "token"
    csrf: str = ""
    token_id: int | None = None
    session_id: str = ""


@dataclass(frozen=True)
class UserInfo:
    """A user as listed by admins."""

    name: str
    role: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed by admins (never the token itself).

    Attributes:
        expires_at: When it stops working (None: a row an older release wrote after the
            upgrade; such a token is refused).
        expired: Whether it had expired when listed.
    """

    id: int
    user: str
    label: str
    created_at: datetime
    revoked: bool
    last4: str
    expires_at: datetime | None
    expired: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: None) -> None: ...
def _utc(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; they were written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class UserStore:
    """Users and tokens in a SQL database (SQLite or PostgreSQL).

    Args:
        url: Database URL (``sqlite:///path`` or ``postgresql://...``).
    """

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        from evident.audit.db import create_store_engine, resolve_url

        self._sa = sa
        # The audit store's engine settings (SQLite WAL and busy timeout, psycopg 3).
        self._engine = create_store_engine(resolve_url(url))
        md = sa.MetaData()
        self._users = sa.Table(
            "evident_server_users",
            md,
            sa.Column("name", sa.String(64), primary_key=True),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("active", sa.Boolean, nullable=False, default=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        self._tokens = sa.Table(
            "evident_server_tokens",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("user_name", sa.String(64), sa.ForeignKey("evident_server_users.name")),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("label", sa.String(64), nullable=False, default=""),
            sa.Column("last4", sa.String(4), nullable=False),
            sa.Column("revoked", sa.Boolean, nullable=False, default=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            # Nullable: the column is added to older databases (see _add_token_expiry).
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        )
        self._secrets = sa.Table(
            "evident_server_secrets",
            md,
            sa.Column("name", sa.String(32), primary_key=True),
            sa.Column("value", sa.String(128), nullable=False),
        )
        # Server-side sessions (only a digest of the id): logout, token revocation and
        # user disable end them at once, whatever the cookie's own expiry says.
        self._sessions = sa.Table(
            "evident_server_sessions",
            md,
            sa.Column("digest", sa.String(64), primary_key=True),
            sa.Column("user_name", sa.String(64), nullable=False, index=True),
            sa.Column("token_id", sa.Integer, nullable=True, index=True),
            sa.Column("expires_at", sa.Float, nullable=False),
            sa.Column("revoked", sa.Boolean, nullable=False, default=False),
        )
        self._lock = threading.Lock()
        try:
            md.create_all(self._engine)
            self._add_token_expiry()
        except sa.exc.SQLAlchemyError as exc:
            self._engine.dispose()
            # The driver's class only: its message could carry SQL parameters.
            where = self._engine.url.render_as_string(hide_password=True)
            kind = type(getattr(exc, "orig", None) or exc).__name__
            raise ConfigError(f"cannot open the user database at {where}: {kind}") from None

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def _add_token_expiry(self) -> None:
        """Add ``expires_at`` to a token table made before tokens expired.

        The tokens already issued get the default lifetime counted from the upgrade:
        they keep working that long (no integration breaks on the day of the upgrade)
        instead of never expiring. Only the upgrade fills the column; a row written
        without it later (an older release on the same database) is refused.
        """
        sa, name = self._sa, self._tokens.name
        with self._engine.connect() as conn:
            if "expires_at" in {c["name"] for c in sa.inspect(conn).get_columns(name)}:
                return
        with self._tx() as conn:  # one process upgrades; the others find it done
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
            if "expires_at" in {c["name"] for c in sa.inspect(conn).get_columns(name)}:
                return
            kind = self._tokens.c.expires_at.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE {name} ADD COLUMN expires_at {kind}"))
            conn.execute(
                self._tokens.update().values(expires_at=_now() + timedelta(days=DEFAULT_TOKEN_DAYS))
            )

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite: waits for other writers
        instead of failing when the run workers write at the same moment)."""
        with (
            self._engine.connect().execution_options(evident_write=True) as conn,
            conn.begin(),
        ):
            yield conn

    # -- users ------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        role: str,
        label: str = "initial",
        expires_days: int | None = None,
    ) -> str:
        """Create a user and return its first token (shown once, stored hashed);
        ``label`` and ``expires_days`` are the token's, as in :meth:`create_token`.

        Raises:
            InputError: Bad name, role or lifetime, or the user exists already.
        """
        _lifetime(expires_days)
        if not _NAME.match(name):
            raise InputError(
                "user names are 1-64 characters: ASCII letters, digits, '.', '_', '@', '-'"
            )
        if role not in ROLES:
            raise InputError(f"unknown role '{role}' (known: {', '.join(ROLES)})")
        with self._tx() as conn:
            if conn.execute(self._users.select().where(self._users.c.name == name)).first():
                raise InputError(f"user '{name}' exists already")
            conn.execute(
                self._users.insert().values(name=name, role=role, active=True, created_at=_now())
            )
        return self.create_token(name, label, expires_days)

    def ensure_user(self, name: str, role: str) -> None:
        """Create the user without a token if it does not exist (demo mode)."""
        with self._tx() as conn:
            if conn.execute(self._users.select().where(self._users.c.name == name)).first():
                return
            conn.execute(
                self._users.insert().values(name=name, role=role, active=True, created_at=_now())
            )

    def set_active(self, name: str, active: bool) -> None:
        """Enable or disable a user; a disabled user's tokens and sessions stop working.

        Raises:
            InputError: No such user.
        """
        with self._tx() as conn:
            res = conn.execute(
                self._users.update().where(self._users.c.name == name).values(active=active)
            )
            if not active:  # enabling the user again must not bring old sessions back
                conn.execute(
                    self._sessions.update()
                    .where(self._sessions.c.user_name == name)
                    .values(revoked=True)
                )
        if res.rowcount == 0:
            raise InputError(f"no user '{name}'")

    def list_users(self) -> list[UserInfo]:
        """All users, sorted by name."""
        with self._engine.connect() as conn:
            rows = conn.execute(self._users.select().order_by(self._users.c.name)).all()
        return [UserInfo(r.name, r.role, bool(r.active), r.created_at) for r in rows]

    def user(self, name: str) -> UserInfo | None:
        """The user of this name, or None."""
        with self._engine.connect() as conn:
            r = conn.execute(self._users.select().where(self._users.c.name == name)).first()
        return UserInfo(r.name, r.role, bool(r.active), r.created_at) if r else None

    def has_credentials(self) -> bool:
        """True when at least one active user holds an unrevoked, unexpired token."""
        sa = self._sa
        q = (
            sa.select(sa.func.count())
            .select_from(self._tokens.join(self._users))
            .where(self._users.c.active.is_(True), *self._live_token())
        )
        with self._engine.connect() as conn:
            return bool(conn.execute(q).scalar_one())

    # -- tokens -----------------------------------------------------------------------

    def _live_token(self) -> tuple[Any, ...]:
        """Conditions on a token row that may authenticate: not revoked, not expired (a
        NULL expiry compares as unknown, so it is refused too)."""
        t = self._tokens.c
        return (t.revoked.is_(False), t.expires_at > _now())

    def create_token(self, name: str, label: str = "", expires_days: int | None = None) -> str:
        """Issue a new token for a user; only its digest is kept.

        Args:
            name: User name.
            label: A note on what the token is for.
            expires_days: Its lifetime in days (1 to :data:`MAX_TOKEN_DAYS`; None:
                :data:`DEFAULT_TOKEN_DAYS`).

        Raises:
            InputError: No such user, a lifetime out of range, or a label with control
                characters (tabs and line breaks would forge lines of 'evident tokens
                list').
        """
        lifetime = _lifetime(expires_days)
        if not label.isprintable():
            raise InputError("token labels must be printable text without tabs or newlines")
        if self.user(name) is None:
            raise InputError(f"no user '{name}'")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = _now()
        with self._tx() as conn:
            conn.execute(
                self._tokens.insert().values(
                    user_name=name,
                    digest=_digest(token),
                    label=label[:64],
                    last4=token[-4:],
                    revoked=False,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    def revoke_token(self, token_id: int) -> None:
        """Revoke a token by its id.

        Raises:
            InputError: No such token.
        """
        with self._tx() as conn:
            res = conn.execute(
                self._tokens.update().where(self._tokens.c.id == token_id).values(revoked=True)
            )
            conn.execute(  # and the sessions it started
                self._sessions.update()
                .where(self._sessions.c.token_id == token_id)
                .values(revoked=True)
            )
        if res.rowcount == 0:
            raise InputError(f"no token with id {token_id}")

    def list_tokens(self, user: str | None = None) -> list[TokenInfo]:
        """Tokens (metadata only), optionally of one user."""
        q = self._tokens.select().order_by(self._tokens.c.id)
        if user is not None:
            q = q.where(self._tokens.c.user_name == user)
        with self._engine.connect() as conn:
            rows = conn.execute(q).all()
        now = _now()
        return [_token_info(r, now) for r in rows]

    def authenticate(self, token: str) -> Principal:
        """Resolve a bearer token to its active user.

        Raises:
            AuthError: Unknown, revoked, expired, or its user is disabled.
        """
        if not token.startswith(TOKEN_PREFIX) or len(token) > 128:
            raise AuthError("invalid token")
        q = (
            self._sa.select(self._users.c.name, self._users.c.role, self._tokens.c.id)
            .select_from(self._tokens.join(self._users))
            .where(
                self._tokens.c.digest == _digest(token),
                *self._live_token(),
                self._users.c.active.is_(True),
            )
        )
        with self._engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise AuthError("invalid token")
        return Principal(user=row.name, role=row.role, token_id=int(row.id))

    # -- sessions ---------------------------------------------------------------------

    def start_session(self, user: str, token_id: int | None, lifetime_s: float) -> str:
        """Open a server-side session and return its id (put it in the signed cookie).

        Args:
            user: The user name.
            token_id: The token used to log in (None for the demo login).
            lifetime_s: How long it lasts.
        """
        sid = secrets.token_urlsafe(32)
        now = time.time()
        with self._tx() as conn:
            conn.execute(self._sessions.delete().where(self._sessions.c.expires_at < now))
            conn.execute(
                self._sessions.insert().values(
                    digest=_digest(sid),
                    user_name=user,
                    token_id=token_id,
                    expires_at=now + lifetime_s,
                    revoked=False,
                )
            )
        return sid

    def end_session(self, sid: str) -> None:
        """Revoke a session (logout)."""
        with self._tx() as conn:
            conn.execute(
                self._sessions.update()
                .where(self._sessions.c.digest == _digest(sid))
                .values(revoked=True)
            )

    def session_principal(self, sid: str, user: str, csrf: str) -> Principal:
        """The principal of a live session: not revoked or expired, its user active and
        the token it was started with neither revoked nor expired.

        Raises:
            AuthError: The session is not live.
        """
        sa = self._sa
        s, u, t = self._sessions, self._users, self._tokens
        q = (
            sa.select(u.c.name, u.c.role, s.c.token_id)
            .select_from(s.join(u, s.c.user_name == u.c.name).outerjoin(t, s.c.token_id == t.c.id))
            .where(
                s.c.digest == _digest(sid),
                s.c.revoked.is_(False),
                s.c.expires_at > time.time(),
                u.c.active.is_(True),
                u.c.name == user,
                # the demo login has no token; any other needs its token live
                sa.or_(s.c.token_id.is_(None), sa.and_(*self._live_token())),
            )
        )
        if not sid:
            raise AuthError("session is not valid")
        with self._engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise AuthError("session is not valid")
        return Principal(
            user=row.name,
            role=row.role,
            via="session",
            csrf=csrf,
            token_id=row.token_id,
            session_id=sid,
        )

    # -- secrets ----------------------------------------------------------------------

    def secret(self, name: str) -> bytes:
        """A random secret kept in the database, created on first use."""
        with self._lock, self._tx() as conn:
            row = conn.execute(self._secrets.select().where(self._secrets.c.name == name)).first()
            if row is not None:
                return bytes.fromhex(row.value)
            value = secrets.token_bytes(32)
            conn.execute(self._secrets.insert().values(name=name, value=value.hex()))
            return value


def _token_info(row: Any, now: datetime) -> TokenInfo:
    expires_at = _utc(row.expires_at)
    expired = expires_at is None or now >= expires_at
    return TokenInfo(
        row.id, row.user_name, row.label, _utc(row.created_at), bool(row.revoked), row.last4,
        expires_at, expired,
    )  # fmt: skip


def _lifetime(days: int | None) -> timedelta:
    """A token's lifetime (None: the default), checked."""
    if days is None:
        days = DEFAULT_TOKEN_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError(f"token lifetimes are 1 to {MAX_TOKEN_DAYS} days")
    return timedelta(days=days)


def constant_time_equal(a: str, b: str) -> bool:
    """Compare two secrets without leaking their common prefix length."""
    return hmac.compare_digest(a.encode(), b.encode())
