"""Privacy stage: find PHI, replace it with surrogates, restore it, detect leaks."""

from evident.privacy.hooks import NoPrivacy, PrivacyHook, Protection

__all__ = ["NoPrivacy", "PrivacyHook", "Protection"]
