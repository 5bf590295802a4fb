"""Verify stage: check every statement of a draft against its sources."""

from evident.verify.check import verify

__all__ = ["verify"]
