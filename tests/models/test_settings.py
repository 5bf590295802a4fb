"""Retry policy, Retry-After parsing and environment settings."""

from __future__ import annotations

import email.utils
import time

import pytest

from evident.errors import ConfigError
from evident.models.settings import RetryPolicy, env_float, parse_retry_after


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, None),
        ({}, None),
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "soon"}, None),
        ({"retry-after-ms": "x", "Retry-After": "1"}, 1.0),
    ],
)
def test_parse_retry_after(headers, expected):
    assert parse_retry_after(headers) == expected


def test_parse_retry_after_http_date():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (parse_retry_after({"Retry-After": when}) or 0) <= 31
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert parse_retry_after({"Retry-After": past}) == 0.0


def test_backoff_grows_exponentially_with_bounded_jitter():
    policy = RetryPolicy(backoff=1.0, backoff_max=5.0, jitter=0.25)
    for retry, base in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 5.0), (8, 5.0)]:
        delays = {policy.delay(retry) for _ in range(20)}
        assert all(base * 0.75 <= d <= base * 1.25 for d in delays)
        assert len(delays) > 1  # jittered


def test_retry_after_wins_and_is_capped():
    policy = RetryPolicy(backoff=1.0, retry_after_max=10.0)
    assert policy.delay(0, retry_after=3.0) == 3.0
    assert policy.delay(0, retry_after=99.0) == 10.0
    assert policy.delay(0, retry_after=-1.0) == 0.0


def test_policy_from_env(monkeypatch):
    monkeypatch.setenv("EVIDENT_MAX_RETRIES", "5")
    monkeypatch.setenv("EVIDENT_BACKOFF", "0")
    policy = RetryPolicy.from_env()
    assert (policy.max_retries, policy.backoff) == (5, 0.0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EVIDENT_MAX_RETRIES", "two"),
        ("EVIDENT_MAX_RETRIES", "1.5"),
        ("EVIDENT_MAX_RETRIES", "-1"),
        ("EVIDENT_BACKOFF", "nan"),
    ],
)
def test_bad_retry_settings(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        RetryPolicy.from_env()


def test_env_float(monkeypatch):
    monkeypatch.delenv("EVIDENT_TIMEOUT", raising=False)
    assert env_float("EVIDENT_TIMEOUT", 60) == 60
    monkeypatch.setenv("EVIDENT_TIMEOUT", " 2.5 ")
    assert env_float("EVIDENT_TIMEOUT", 60) == 2.5
    monkeypatch.setenv("EVIDENT_TIMEOUT", "0")
    with pytest.raises(ConfigError, match="EVIDENT_TIMEOUT"):
        env_float("EVIDENT_TIMEOUT", 60, minimum=0.001)
