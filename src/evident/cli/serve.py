"""``evident serve`` and the ``users`` / ``tokens`` admin commands."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import shutil
import signal
import tempfile
from typing import TYPE_CHECKING, Any

import click

from evident.cli._verify_options import build_verify_options, verify_options
from evident.errors import ConfigError, InputError

if TYPE_CHECKING:
    from evident.server.users import UserStore

__all__ = ["is_loopback", "register", "shown_db_url"]

SECRET_ENV = "EVIDENT_SECRET_KEY"
SECRET_FILE_ENV = "EVIDENT_SECRET_KEY_FILE"


def is_loopback(host: str) -> bool:
    """True when ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_db_option = click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Database URL (default: $EVIDENT_DB_URL, else the audit stage's SQLite file).",
)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--demo",
    is_flag=True,
    help="Demo: loopback only, demo clinician, offline model, throw-away database "
    "(refused with --db or $EVIDENT_DB_URL).",
)
@_db_option
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="SPEC",
    help="Model spec clients may choose (repeatable; first is the default).",
)
@click.option(
    "--kb",
    "kb_dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Knowledge base folder: also serve evidence answers (task evidence_qa).",
)
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads that execute runs.",
)
@click.option(
    "--max-body-bytes",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(1024, 100_000_000),
    help="Largest request body accepted.",
)
@verify_options
@click.option(
    "--max-pending",
    default=256,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Runs queued or running at once (all users) before new ones get 503.",
)
@click.option(
    "--max-user-pending",
    default=32,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Runs of one user queued or running at once before new ones get 429.",
)
@click.option(
    "--session-hours",
    default=12.0,
    show_default=True,
    type=click.FloatRange(0.01, 24 * 30),
    help="Lifetime of a page session.",
)
@click.option(
    "--secret-key-file",
    default=None,
    metavar="PATH",
    help="File holding the session-signing key (mode 0600 or stricter; default "
    "$EVIDENT_SECRET_KEY_FILE, else $EVIDENT_SECRET_KEY, else a key kept in the database).",
)
def serve_cmd(
    host: str,
    port: int,
    demo: bool,
    db_url: str | None,
    models: tuple[str, ...],
    kb_dir: str | None,
    workers: int,
    max_body_bytes: int,
    max_pending: int,
    max_user_pending: int,
    session_hours: float,
    secret_key_file: str | None,
    **options: Any,
) -> None:
    """Run the REST API and the review page (authentication required unless --demo)."""
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        from evident.errors import missing_extra

        raise missing_extra("uvicorn", "server") from None
    if demo:
        _check_demo(host, models, db_url)
    _check_models(models)
    if kb_dir is not None:
        from evident.server.tasks import evidence_qa_adapter, register_task_adapter

        register_task_adapter(evidence_qa_adapter(kb_dir))
    demo_dir = None
    if demo:
        demo_dir = tempfile.mkdtemp(prefix="evident-demo-")
        db_url = "sqlite:///" + os.path.join(demo_dir, "demo.db")
        # uvicorn re-raises SIGTERM once it has stopped: exit through the cleanup below.
        signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        _serve(
            host,
            port,
            demo,
            db_url,
            models,
            workers,
            max_body_bytes,
            max_pending,
            max_user_pending,
            session_hours,
            secret_key(secret_key_file),
            build_verify_options(options),
        )
    finally:
        if demo_dir is not None:  # the demo's data goes with it
            shutil.rmtree(demo_dir, ignore_errors=True)


def _check_demo(host: str, models: tuple[str, ...], db_url: str | None) -> None:
    """Refuse what would take the demo beyond one person trying it on one machine.

    Raises:
        InputError: A public host, a model other than offline, or a named database.
    """
    if not is_loopback(host):
        raise InputError(f"--demo binds loopback only; refusing --host {host}")
    if models and tuple(models) != ("offline",):
        raise InputError("--demo uses the offline engine only")
    # The demo clinician logs in without a token: on a named database it would stay
    # there, and anyone on this machine could act as a clinician while the demo runs.
    if db_url is not None or os.environ.get("EVIDENT_DB_URL", "").strip():
        raise InputError(
            "--demo keeps its data in a throw-away database and adds a passwordless demo "
            "clinician to it; it cannot use --db or $EVIDENT_DB_URL (unset it for the demo)"
        )


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def secret_key(path: str | None) -> str | None:
    """The session-signing key: from a file (``--secret-key-file`` or
    ``$EVIDENT_SECRET_KEY_FILE``), else ``$EVIDENT_SECRET_KEY``, else None.

    Raises:
        ConfigError: The file is missing, empty, shorter than 32 characters, or other
            users can read it.
    """
    path = path or os.environ.get(SECRET_FILE_ENV) or None
    if path is None:
        key = os.environ.get(SECRET_ENV) or None
        if key is not None and len(key) < 32:
            raise ConfigError(f"${SECRET_ENV} must be at least 32 characters")
        return key
    try:
        mode = os.stat(path).st_mode
        with open(path, encoding="utf-8") as handle:
            key = handle.read().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the secret key file: {type(exc).__name__}") from None
    if os.name == "posix" and mode & 0o077:
        raise ConfigError(
            f"the secret key file is readable by other users (mode {mode & 0o777:o}); "
            "run: chmod 600 FILE"
        )
    if len(key) < 32:
        raise ConfigError("the secret key file must hold at least 32 characters")
    return key


def _serve(
    host: str,
    port: int,
    demo: bool,
    db_url: str | None,
    models: tuple[str, ...],
    workers: int,
    max_body_bytes: int,
    max_pending: int,
    max_user_pending: int,
    session_hours: float,
    key: str | None,
    verify: Any,
) -> None:
    import uvicorn

    from evident.server import ServerSettings, create_app
    from evident.server.protocol import MAX_HEADER_BYTES, GuardedH11Protocol
    from evident.server.users import UserStore

    settings = ServerSettings(
        db_url=db_url,
        demo=demo,
        models=("offline",) if demo else (models or ("offline",)),
        workers=workers,
        max_body_bytes=max_body_bytes,
        max_pending=max_pending,
        max_user_pending=max_user_pending,
        session_hours=session_hours,
        secret_key=key,
        verify=verify,
    )
    if not demo:
        users = UserStore(settings.resolved_db_url())
        try:
            ready = users.has_credentials()
        finally:
            users.close()
        if not ready:
            raise ConfigError(
                "no users with tokens are configured; create one with "
                "'evident users add NAME --role admin' (or use --demo to try it locally)"
            )
    app = create_app(settings)
    _configure_logging()
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"evident: serving on http://{shown}:{port}/ (API docs at /docs)", err=True)
    mode = "demo mode; " if demo else ""
    click.echo(f"evident: {mode}database {shown_db_url(settings.resolved_db_url())}", err=True)
    # uvicorn's access log prints full URLs with query strings: ours logs route templates.
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="info",
        server_header=False,
        ws="none",
        lifespan="on",
        # slow headers are cut off, oversized ones answered 431 (evident.server.protocol)
        http=GuardedH11Protocol,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )


def shown_db_url(url: str) -> str:
    """The database URL for a log line, its password masked."""
    return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", url)


def _check_models(models: tuple[str, ...]) -> None:
    """Fail at start, not on the first run, when a spec names no installed backend."""
    from evident.models import available_backends

    known = set(available_backends())
    for spec in models:
        for part in (p.strip() for p in spec.split(",")):
            name = part.partition(":")[0]
            if name not in known:
                names = ", ".join(sorted(known))
                raise ConfigError(f"--model '{spec}': unknown backend '{name}' (known: {names})")


def _configure_logging() -> None:
    access = logging.getLogger("evident.server.access")
    if not access.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def _users(db_url: str | None) -> UserStore:
    from evident.server.settings import default_db_url
    from evident.server.users import UserStore

    return UserStore(db_url or default_db_url())


# The range and default are the user store's (not imported here: it would load the server
# package for every CLI command); it refuses other values with a one-line error.
_expires_option = click.option(
    "--expires-days",
    default=None,
    type=int,
    metavar="N",
    help="Days until the token stops working: 1-365 (default 90).",
)


def _issued(store: UserStore, name: str) -> str:
    """When the newest token of a user expires, for the line after printing it."""
    expires_at = store.list_tokens(name)[-1].expires_at
    return f"expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else "no expiry"


@click.group("users")
def users_group() -> None:
    """Manage the server's users and roles (clinician, auditor, admin)."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["clinician", "auditor", "admin"]))
@_expires_option
@_db_option
def users_add(name: str, role: str, expires_days: int | None, db_url: str | None) -> None:
    """Create a user and print its API token (shown this once only)."""
    store = _users(db_url)
    token = store.add_user(name, role, expires_days=expires_days)
    click.echo(token)
    click.echo(
        f"evident: created {role} '{name}'; the token above ({_issued(store, name)}) "
        "is not shown again",
        err=True,
    )


@users_group.command("list")
@_db_option
def users_list(db_url: str | None) -> None:
    """List users, roles and whether they are active."""
    for u in _users(db_url).list_users():
        state = "active" if u.active else "disabled"
        click.echo(f"{u.name}\t{u.role}\t{state}\t{u.created_at:%Y-%m-%d}")


@users_group.command("disable")
@click.argument("name")
@_db_option
def users_disable(name: str, db_url: str | None) -> None:
    """Disable a user: their tokens and sessions stop working at once."""
    _users(db_url).set_active(name, False)
    click.echo(f"evident: disabled '{name}'", err=True)


@users_group.command("enable")
@click.argument("name")
@_db_option
def users_enable(name: str, db_url: str | None) -> None:
    """Enable a disabled user again."""
    _users(db_url).set_active(name, True)
    click.echo(f"evident: enabled '{name}'", err=True)


@click.group("tokens")
def tokens_group() -> None:
    """Issue, list and revoke API tokens (stored hashed)."""


@tokens_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="A note on what the token is for.")
@_expires_option
@_db_option
def tokens_create(name: str, label: str, expires_days: int | None, db_url: str | None) -> None:
    """Issue another token for a user and print it (shown this once only)."""
    store = _users(db_url)
    click.echo(store.create_token(name, label, expires_days))
    click.echo(f"evident: token for '{name}' {_issued(store, name)}", err=True)


@tokens_group.command("list")
@click.option("--user", default=None, help="Only this user's tokens.")
@_db_option
def tokens_list(user: str | None, db_url: str | None) -> None:
    """List tokens: id, user, label, last four characters, state, created, expires."""
    for t in _users(db_url).list_tokens(user):
        state = "revoked" if t.revoked else "expired" if t.expired else "active"
        expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "-"
        click.echo(
            f"{t.id}\t{t.user}\t{t.label}\t…{t.last4}\t{state}\t{t.created_at:%Y-%m-%d}\t{expires}"
        )


@tokens_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**63 - 1))
@_db_option
def tokens_revoke(token_id: int, db_url: str | None) -> None:
    """Revoke a token by its id (see 'evident tokens list')."""
    _users(db_url).revoke_token(token_id)
    click.echo(f"evident: revoked token {token_id}", err=True)


def register(root: click.Group) -> None:
    """Add ``serve``, ``users`` and ``tokens`` to the root command."""
    root.add_command(serve_cmd)
    root.add_command(users_group)
    root.add_command(tokens_group)
