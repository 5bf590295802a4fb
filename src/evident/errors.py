"""The error tree of Evident.

Every error Evident raises on purpose derives from :class:`EvidentError`. The CLI prints
such an error as a single line (``evident: error: <message>``) without a traceback and
exits with the error's ``exit_code``. Messages never contain PHI: they name the problem
(file, line number, size, field), not the patient text.

Tree::

    EvidentError
    ├── InputError          bad user input: empty, binary, undecodable, too large, unknown format
    ├── ConfigError         bad configuration or model spec; a missing optional dependency
    ├── BackendError        a model backend failed (network, HTTP status, timeout)
    │   └── OutputError     the model's output did not match the schema, even after repair
    ├── PrivacyError        PHI protection failed or a leak was detected
    ├── AuthError           authentication or authorisation failed
    └── AuditError          the audit trail is unreadable or failed verification
"""

from __future__ import annotations

__all__ = [
    "AuditError",
    "AuthError",
    "BackendError",
    "ConfigError",
    "EvidentError",
    "InputError",
    "OutputError",
    "PrivacyError",
    "missing_extra",
]


class EvidentError(Exception):
    """Root of all errors Evident raises on purpose.

    Attributes:
        exit_code: The process exit status the CLI uses for this error.
    """

    exit_code: int = 1


class InputError(EvidentError):
    """The input cannot be used: empty, binary, undecodable, too large or malformed."""

    exit_code = 2


class ConfigError(EvidentError):
    """Configuration, a model spec or an installed extra is wrong or missing."""

    exit_code = 2


class BackendError(EvidentError):
    """A model backend failed to produce an answer."""

    exit_code = 3


class OutputError(BackendError):
    """The model answered, but its output does not validate against the schema.

    Attributes:
        raw: The model's last raw output, for callers that re-parse it (benchmark
            harnesses). Never part of the message, which must not carry patient text.
    """

    def __init__(self, message: str, *, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


class PrivacyError(EvidentError):
    """PHI protection could not be applied, or protected data leaked."""

    exit_code = 4


class AuthError(EvidentError):
    """Authentication or authorisation failed."""

    exit_code = 5


class AuditError(EvidentError):
    """The audit trail could not be written, read, or did not verify."""

    exit_code = 6


def missing_extra(package: str, extra: str) -> ConfigError:
    """Build the error raised when an optional dependency is not installed.

    Args:
        package: The import name that failed.
        extra: The Evident extra that provides it.

    Returns:
        A ConfigError naming the ``pip install`` command to run.
    """
    return ConfigError(
        f"the optional package '{package}' is not installed; run: pip install 'evident[{extra}]'"
    )
