"""The mapping between surrogates and originals, kept inside Evident.

A :class:`Vault` holds, per patient key, which surrogate stands for which original value.
It lives in memory; :meth:`Vault.save` persists it per patient, encrypted at rest with
Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under ``EVIDENT_PRIVACY_KEY``.
The same secret keys the surrogate HMAC, so surrogates are stable across runs only when
a key is configured; without one each process draws a random key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from evident.errors import ConfigError, PrivacyError

__all__ = ["KEY_ENV", "VAULT_ENV", "Vault", "VaultEntry"]

KEY_ENV = "EVIDENT_PRIVACY_KEY"
VAULT_ENV = "EVIDENT_PRIVACY_VAULT"
_SALT = b"evident-privacy-vault-v1"
_EPHEMERAL = secrets.token_bytes(32)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VaultEntry:
    """One surrogate and the original value it stands for."""

    surrogate: str
    original: str
    type: str


@lru_cache(maxsize=8)
def _fernet_key(secret: str) -> bytes:
    """A Fernet key: the secret itself when it is one, else derived with scrypt."""
    try:
        raw = base64.urlsafe_b64decode(secret.encode())
        if len(raw) == 32 and len(secret) == 44:
            return secret.encode()
    except (binascii.Error, ValueError):
        pass
    derived = hashlib.scrypt(secret.encode(), salt=_SALT, n=2**14, r=8, p=1, dklen=32)
    return base64.urlsafe_b64encode(derived)


@dataclass
class Vault:
    """Surrogate ↔ original mappings per patient; persisted encrypted when asked.

    Attributes:
        directory: Where :meth:`save` writes (None: memory only).
        secret: The key material (``EVIDENT_PRIVACY_KEY``); None for memory-only use.
    """

    directory: Path | None = None
    secret: str | None = field(default=None, repr=False)
    _entries: dict[str, dict[str, VaultEntry]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls) -> Vault:
        """A vault configured from ``EVIDENT_PRIVACY_VAULT`` and ``EVIDENT_PRIVACY_KEY``."""
        directory = os.environ.get(VAULT_ENV)
        return cls(Path(directory) if directory else None, os.environ.get(KEY_ENV) or None)

    @property
    def hmac_key(self) -> bytes:
        """The key surrogates are chosen with (random per process when no secret is set)."""
        if not self.secret:
            return _EPHEMERAL
        return hashlib.sha256(b"evident-surrogates\x00" + _fernet_key(self.secret)).digest()

    def add(self, patient: str, surrogate: str, original: str, phi_type: str) -> None:
        """Record that ``surrogate`` stands for ``original`` for this patient."""
        if surrogate and surrogate != original:
            entry = VaultEntry(surrogate, original, phi_type)
            self._entries.setdefault(patient, {})[surrogate] = entry

    def entries(self, patient: str) -> tuple[VaultEntry, ...]:
        """All mappings of a patient."""
        return tuple(self._entries.get(patient, {}).values())

    def originals(self, patient: str) -> dict[str, str]:
        """Original value → PHI type, for the leak check and the log filter."""
        return {e.original: e.type for e in self.entries(patient)}

    def _path(self, patient: str) -> Path:
        if self.directory is None:
            raise ConfigError(f"set {VAULT_ENV} to a directory to persist the privacy vault")
        if not self.secret:
            raise ConfigError(f"set {KEY_ENV} to persist the privacy vault (encrypted at rest)")
        name = hashlib.sha256(self.hmac_key + patient.encode()).hexdigest()[:32]
        return self.directory / f"{name}.vault"

    def _fernet(self):  # type: ignore[no-untyped-def]
        from cryptography.fernet import Fernet

        return Fernet(_fernet_key(self.secret or ""))

    def _check_key(self, directory: Path) -> None:
        """Fail on a wrong key: file names derive from the key, so a wrong one finds nothing."""
        from cryptography.fernet import InvalidToken

        check = directory / "key.check"
        if not check.exists():
            directory.mkdir(parents=True, exist_ok=True)
            check.write_bytes(self._fernet().encrypt(b"evident-vault"))
            return
        try:
            self._fernet().decrypt(check.read_bytes())
        except InvalidToken:
            raise PrivacyError(
                f"the privacy vault in '{directory.name}' was written with another {KEY_ENV}"
            ) from None

    def save(self, patient: str) -> Path:
        """Write a patient's mappings, encrypted, and return the file path.

        Raises:
            ConfigError: No directory or no key is configured.
            PrivacyError: The directory's vault was written with another key.
        """
        path = self._path(patient)
        self._check_key(path.parent)
        payload = json.dumps(
            [[e.surrogate, e.original, e.type] for e in self.entries(patient)]
        ).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(self._fernet().encrypt(payload))
        os.chmod(tmp, 0o600)
        tmp.replace(path)
        log.debug("privacy vault saved (%d entries)", len(self.entries(patient)))
        return path

    def load(self, patient: str) -> int:
        """Merge a patient's persisted mappings into memory; return how many were read.

        Raises:
            ConfigError: No directory or no key is configured.
            PrivacyError: The vault was written with another key, or a file is corrupt.
        """
        from cryptography.fernet import InvalidToken

        path = self._path(patient)
        if path.parent.exists():
            self._check_key(path.parent)
        if not path.exists():
            return 0
        try:
            rows = json.loads(self._fernet().decrypt(path.read_bytes()))
        except InvalidToken:
            raise PrivacyError(
                f"cannot decrypt privacy vault '{path.name}': wrong {KEY_ENV}?"
            ) from None
        except (ValueError, OSError) as exc:
            raise PrivacyError(f"privacy vault '{path.name}' is unreadable: {exc}") from None
        for surrogate, original, phi_type in rows:
            self.add(patient, str(surrogate), str(original), str(phi_type))
        return len(rows)
