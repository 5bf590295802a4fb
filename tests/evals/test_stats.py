"""Confidence intervals."""

from __future__ import annotations

import pytest

from evident.evals.stats import newcombe_diff, wilson


@pytest.mark.parametrize(
    ("s", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998) example
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson(s, n, low, high):
    got = wilson(s, n)
    assert got == pytest.approx((low, high), abs=1e-3)


def test_wilson_empty_and_invalid():
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_newcombe_matches_published_example():
    # Newcombe (1998), method 10: 56/70 vs 48/80 -> 0.0524 to 0.3339
    assert newcombe_diff(56, 70, 48, 80) == pytest.approx((0.0524, 0.3339), abs=1e-3)


def test_newcombe_contains_zero_for_equal_samples():
    low, high = newcombe_diff(5, 10, 5, 10)
    assert low < 0 < high
    assert newcombe_diff(1, 0, 1, 1) == (-1.0, 1.0)
