"""``evident audit``: verify and export the hash-chained audit trail."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evident.errors import AuditError, InputError

__all__ = ["register"]

_DB_HELP = "Database URL or SQLite path (default: $EVIDENT_DB_URL, else ~/.evident/audit.sqlite3)."


@click.group("audit")
def audit_group() -> None:
    """The audit trail: every run and clinician action, hash-chained."""


def _anchor(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    digest = digest.strip().lower()
    if (
        not sep
        or not seq.strip().isdigit()
        or len(digest) != 64
        or not all(c in "0123456789abcdef" for c in digest)
    ):
        raise InputError(f"--anchor must be SEQ:SHA256HEX, got {value[:80]!r}")
    return int(seq), digest


@audit_group.command("verify")
@click.option("--db", "db_url", default=None, help=_DB_HELP)
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="SEQ:HASH|FILE",
    help="A head printed earlier by 'audit verify' and kept elsewhere, or a checkpoint "
    "file written by 'audit checkpoint' (repeatable).",
)
@click.option(
    "--public-key",
    default=None,
    type=click.Path(dir_okay=False),
    help="Ed25519 public key: every checkpoint in an anchor file must carry its signature.",
)
@click.option(
    "--key-file",
    default=None,
    type=click.Path(dir_okay=False),
    help="HMAC key of the records (default $EVIDENT_AUDIT_KEY_FILE): check every MAC.",
)
@click.option(
    "--mac-from",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="First sequence number written with the HMAC key.",
)
def verify_cmd(
    db_url: str | None,
    anchors: tuple[str, ...],
    public_key: str | None,
    key_file: str | None,
    mac_from: int,
) -> None:
    """Re-hash every record; name each one modified, deleted, reordered or inserted.

    Prints OK with the number of records and the head to keep as an anchor, or one
    line per problem and exits with status 6.
    """
    from evident.audit import open_store
    from evident.audit.seal import load_mac_key

    parsed = _anchors(anchors, Path(public_key) if public_key else None)
    key = load_mac_key(key_file)
    with open_store(db_url, mac_key=key, must_exist=True) as store:
        report = store.verify_chain(parsed, mac_key=key, mac_from=mac_from)
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise AuditError(
            f"audit trail failed verification: {len(report.problems)} problem(s) "
            f"in {report.checked} records"
        )
    if key is not None:
        click.echo(f"MACs verified from seq {mac_from}")
    click.echo(f"anchor {report.head_seq}:{report.head_hash}")


def _anchors(values: tuple[str, ...], public_key: Path | None) -> list[tuple[int, str]]:
    from evident.audit.seal import read_checkpoints

    out: list[tuple[int, str]] = []
    for value in values:
        path = Path(value)
        if ":" not in value or path.is_file():
            out.extend((cp.seq, cp.hash) for cp in read_checkpoints(path, public_key))
        else:
            out.append(_anchor(value))
    return out


@audit_group.command("keygen")
@click.argument("path", type=click.Path(dir_okay=False))
def keygen_cmd(path: str) -> None:
    """Create an Ed25519 signing key (0600) for checkpoints, and PATH.pub beside it."""
    from evident.audit.seal import write_signing_key

    public = write_signing_key(Path(path))
    click.echo(f"evident: wrote {path} (keep it off the database host) and {public}", err=True)


@audit_group.command("checkpoint")
@click.option("--db", "db_url", default=None, help=_DB_HELP)
@click.option("--signing-key", required=True, type=click.Path(dir_okay=False), help="Ed25519 key.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Checkpoint file to append to (keep it where the database's writers cannot).",
)
def checkpoint_cmd(db_url: str | None, signing_key: str, out: str) -> None:
    """Sign the chain's head and append it to a checkpoint file (run it periodically)."""
    from evident.audit import open_store
    from evident.audit.seal import sign_checkpoint

    with open_store(db_url, must_exist=True) as store:
        cp = sign_checkpoint(store.head(), Path(signing_key), Path(out))
    click.echo(f"checkpoint {cp.seq}:{cp.hash}")


@audit_group.command("export")
@click.option("--db", "db_url", default=None, help=_DB_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write JSON Lines here instead of standard output.",
)
def export_cmd(db_url: str | None, output: str | None) -> None:
    """Write every record (seq, payload, prev_hash, hash) as JSON Lines, in chain order.

    The export holds what the trail holds: sources as the task saw them, drafts and
    clinician edits. Treat it as you treat the database.
    """
    from evident.audit import open_store

    # Into a temporary file renamed at the end: a failed export (a tampered record, a
    # missing database) leaves no half file and never truncates an earlier export.
    tmp = Path(output + ".tmp") if output else None
    out = tmp.open("w", encoding="utf-8") if tmp else sys.stdout
    count = 0
    try:
        with open_store(db_url, must_exist=True) as store:
            for record in store.export():
                out.write(json.dumps(record, sort_keys=True) + "\n")
                count += 1
    except BaseException:
        if tmp:
            out.close()
            tmp.unlink(missing_ok=True)
        raise
    if tmp and output:
        out.close()
        tmp.replace(output)
        click.echo(f"exported {count} records to {output}", err=True)


@audit_group.command("list")
@click.option("--db", "db_url", default=None, help=_DB_HELP)
@click.option("--user", default=None, help="Only runs started by this user.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def list_cmd(db_url: str | None, user: str | None, limit: int) -> None:
    """List the newest runs: id, time, user, task, model, status, verdict counts."""
    from evident.audit import open_store

    with open_store(db_url, must_exist=True) as store:
        runs = store.list_runs(user=user, limit=limit)
    for r in runs:
        labels = " ".join(f"{k}={v}" for k, v in sorted(r.labels.items()))
        click.echo(
            f"{r.run_id}  {r.created_at:%Y-%m-%d %H:%M}  {r.user}  {r.task}  {r.model}  "
            f"{r.status}  {labels}"
        )
    if not runs:
        click.echo("(no runs)")


@audit_group.command("leaks")
@click.option("--db", "db_url", default=None, help=_DB_HELP)
@click.option(
    "--originals",
    "originals_path",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="Original PHI values: one per line, or a JSON object of value -> PHI type.",
)
@click.option(
    "--all",
    "scan_all",
    is_flag=True,
    help="Also scan drafts, reports and actions (re-identified, so PHI is expected there).",
)
def leaks_cmd(db_url: str | None, originals_path: str, scan_all: bool) -> None:
    """Check that no original PHI value appears where the trail keeps protected text.

    Prints counts per record, field and PHI type (never the values); exits with
    status 4 when any is found.
    """
    from evident.audit import open_store
    from evident.errors import PrivacyError

    originals = _read_originals(originals_path)
    with open_store(db_url, must_exist=True) as store:
        found = store.scan_for_leaks(originals, scope="all" if scan_all else "protected")
    for f in found:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(f.counts.items()))
        click.echo(f"seq {f.seq}: run {f.run_id}: {f.field}: {counts}")
    if found:
        raise PrivacyError(f"original PHI values found in {len(found)} stored field(s)")
    click.echo(f"OK: no original value found in {len(originals)} value(s) checked")


def _read_originals(path: str) -> list[str] | dict[str, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({type(exc).__name__})") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON at line {exc.lineno}") from None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise InputError(f"{path}: expected a JSON object of value -> PHI type")
        return dict(data)
    return [line.strip() for line in text.splitlines() if line.strip()]


@click.command("audit")
@click.option(
    "--db", "db_url", default=None, help="An EMPTY database (default: a temp SQLite file)."
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=500,
    show_default=True,
    help="Number of synthetic runs to record.",
)
@click.option("--seed", type=int, default=0, show_default=True)
def bench_audit(db_url: str | None, limit: int, seed: int) -> None:
    """Append, read, verify and aggregate synthetic runs; print per-operation costs."""
    from evident.audit.bench import run_bench

    results = run_bench(db_url, limit, seed)
    header = f"{'operation':30} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'CPU s':>7} {'wall s':>7}"
    click.echo(header)
    for r in results:
        click.echo(
            f"{r.operation:30} {r.count:>6} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f} "
            f"{r.cpu_s:>7.2f} {r.wall_s:>7.2f}"
        )


def register(root: click.Group) -> None:
    """Add ``evident audit`` to the root command and ``evident bench audit``."""
    from evident.cli.main import bench_group

    root.add_command(audit_group)
    bench_group.add_command(bench_audit)
