"""Backend settings from the environment: timeouts and the retry policy.

Environment variables (all optional):

- ``EVIDENT_TIMEOUT``: seconds one HTTP request may take (default 60).
- ``EVIDENT_MAX_RETRIES``: retries after the first try on 429, 5xx, timeouts and
  connection errors (default 3).
- ``EVIDENT_BACKOFF``: base of the exponential backoff in seconds (default 0.5).
"""

from __future__ import annotations

import email.utils
import os
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

from evident.errors import ConfigError

__all__ = ["DEFAULT_TIMEOUT", "RetryPolicy", "env_float", "parse_retry_after"]

DEFAULT_TIMEOUT = 60.0


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    """Read a non-negative number from the environment.

    Raises:
        ConfigError: The variable is set but is not a number ``>= minimum``.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got '{raw[:20]}'") from None
    if value < minimum or value != value:  # NaN compares unequal to itself
        raise ConfigError(f"{name} must be at least {minimum}, got {raw[:20]}")
    return value


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before retrying a failed request.

    Attributes:
        max_retries: Retries after the first try (so ``max_retries + 1`` requests at most).
        backoff: Base delay in seconds; retry ``n`` (from 0) waits about
            ``backoff * 2**n``, capped at ``backoff_max``, times a jitter factor.
        backoff_max: Upper bound of one computed backoff delay.
        jitter: Relative jitter: the delay is multiplied by a uniform factor in
            ``[1 - jitter, 1 + jitter]`` so that many clients do not retry in lockstep.
        retry_after_max: Upper bound on a server's ``Retry-After`` that is honoured.
    """

    max_retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 20.0
    jitter: float = 0.25
    retry_after_max: float = 60.0

    @classmethod
    def from_env(cls, max_retries: int = 3, backoff: float = 0.5) -> RetryPolicy:
        """A policy from ``EVIDENT_MAX_RETRIES`` / ``EVIDENT_BACKOFF``, else the arguments."""
        retries = env_float("EVIDENT_MAX_RETRIES", max_retries)
        if retries != int(retries):
            raise ConfigError(f"EVIDENT_MAX_RETRIES must be a whole number, got {retries}")
        return cls(max_retries=int(retries), backoff=env_float("EVIDENT_BACKOFF", backoff))

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0-based).

        A server's ``Retry-After`` wins over the computed backoff (capped at
        ``retry_after_max``).
        """
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_max)
        base = min(self.backoff * (2**retry), self.backoff_max)
        return base * random.uniform(1 - self.jitter, 1 + self.jitter)


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds a server asks to wait, from ``retry-after-ms`` or ``Retry-After``.

    ``Retry-After`` may be seconds or an HTTP date. Unparseable values are ignored.
    """
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
