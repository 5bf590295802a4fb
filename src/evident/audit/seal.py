"""Tamper evidence against someone who can write the database.

The hash chain alone detects accidental or partial edits, but a database writer can
rewrite records and recompute every hash after them. Two keys kept outside the database
close that gap:

- an **HMAC key** (``EVIDENT_AUDIT_KEY_FILE``): each record's ``mac`` column holds
  ``HMAC-SHA256(key, "evident-audit-record\\n" + seq + "\\n" + hash)``. A record edited
  and rehashed, or a record appended, by someone without the key has no valid MAC;
- **Ed25519-signed checkpoints** (``evident audit checkpoint``): the head ``(seq, hash)``
  signed with a private key and appended to a file the database writer cannot change.
  A chain cut back below a checkpoint, or rewritten under it, no longer matches it.

Neither needs the other; neither hides records (they are not encrypted).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evident.audit.records import ChainProblem
from evident.errors import AuditError, ConfigError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = [
    "KEY_FILE_ENV",
    "Checkpoint",
    "load_mac_key",
    "mac_problem",
    "read_checkpoints",
    "record_mac",
    "sign_checkpoint",
    "write_signing_key",
]

KEY_FILE_ENV = "EVIDENT_AUDIT_KEY_FILE"
_CHECKPOINT = "evident-audit-checkpoint"


def record_mac(key: bytes, seq: int, digest: str) -> str:
    """The MAC of the record at ``seq`` with chain hash ``digest`` (hex)."""
    message = f"evident-audit-record\n{seq}\n{digest}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mac_problem(key: bytes, row: Any) -> list[ChainProblem]:
    """A problem when a stored record's MAC is missing or wrong, else nothing."""
    expected = record_mac(key, int(row["seq"]), str(row["hash"]))
    stored = row.get("mac")
    if stored and hmac.compare_digest(str(stored), expected):
        return []
    why = "has no MAC" if not stored else "has a MAC that does not match"
    return [
        ChainProblem(
            seq=int(row["seq"]),
            kind="modified",
            run_id=row.get("run_id"),
            message=f"record of run {row.get('run_id')} {why}: written or rewritten "
            "without the audit key",
        )
    ]


def _read_private(path: Path, what: str) -> bytes:
    """A key file's bytes; refused when group or other users may read it."""
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} file: {type(exc).__name__}") from None
    if os.name == "posix" and mode & 0o077:
        raise ConfigError(
            f"the {what} file is readable by other users (mode {mode & 0o777:o}); "
            "run: chmod 600 FILE"
        )
    return data


def load_mac_key(path: str | os.PathLike[str] | None = None) -> bytes | None:
    """The HMAC key from ``path``, else ``$EVIDENT_AUDIT_KEY_FILE``, else None.

    Raises:
        ConfigError: Unreadable, readable by others, or under 32 bytes.
    """
    chosen = path or os.environ.get(KEY_FILE_ENV, "").strip() or None
    if chosen is None:
        return None
    key = _read_private(Path(chosen), "audit key").strip()
    if len(key) < 32:
        raise ConfigError("the audit key file must hold at least 32 bytes")
    return key


def write_signing_key(path: Path) -> Path:
    """Create an Ed25519 private key (PEM, mode 0600) and its public key next to it.

    Returns:
        The public key's path (``<path>.pub``).

    Raises:
        ConfigError: The file exists already.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise ConfigError(f"'{path.name}' exists already; not overwriting a key") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(private)
    public = path.with_name(path.name + ".pub")
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return public


@dataclass(frozen=True)
class Checkpoint:
    """A signed head of the chain: ``seq`` and its ``hash`` at time ``at``."""

    seq: int
    hash: str
    at: str
    sig: str

    def message(self) -> bytes:
        """The bytes the signature covers."""
        return f"{_CHECKPOINT}\n{self.seq}\n{self.hash}\n{self.at}".encode()


def sign_checkpoint(head: tuple[int, str], key_path: Path, out: Path) -> Checkpoint:
    """Sign the head with the Ed25519 private key and append it to ``out`` (JSON line)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    data = _read_private(key_path, "signing key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError:
        raise ConfigError("the signing key file is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError("the signing key is not an Ed25519 key")
    at = datetime.now(UTC).isoformat(timespec="seconds")
    unsigned = Checkpoint(seq=head[0], hash=head[1], at=at, sig="")
    cp = Checkpoint(head[0], head[1], at, key.sign(unsigned.message()).hex())
    line = json.dumps({"seq": cp.seq, "hash": cp.hash, "at": cp.at, "sig": cp.sig})
    with out.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return cp


def read_checkpoints(path: Path, public_key: Path | None) -> list[Checkpoint]:
    """Read a checkpoint file; with a public key, every signature must verify.

    Raises:
        AuditError: A line is malformed or its signature does not verify (the file
            itself was tampered with).
        ConfigError: The file or the public key cannot be read.
    """
    verifier = _public_key(public_key) if public_key is not None else None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the anchor file: {type(exc).__name__}") from None
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            cp = Checkpoint(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["sig"]))
            signature = bytes.fromhex(cp.sig)
        except (ValueError, KeyError, TypeError):
            raise AuditError(f"anchor file line {number} is malformed") from None
        if verifier is not None:
            from cryptography.exceptions import InvalidSignature

            try:
                verifier.verify(signature, cp.message())
            except InvalidSignature:
                raise AuditError(
                    f"anchor file line {number}: the signature does not verify"
                ) from None
        out.append(cp)
    return out


def _public_key(path: Path) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the public key: {type(exc).__name__}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError("the public key is not an Ed25519 key")
    return key
