"""Privacy stage: find PHI, replace it with surrogates, restore it, detect leaks.

Detection (:mod:`~evident.privacy.detect`) returns spans; the operators
(:mod:`~evident.privacy.operators`) consume them; :class:`PolicyPrivacy` wires both into
the pipeline. See ``docs/privacy.md``.
"""

from evident.privacy.detect import DEFAULT_TYPES, Detector, detect
from evident.privacy.hooks import NoPrivacy, PrivacyHook, Protection
from evident.privacy.leaks import PhiLogFilter, find_leaks, install_log_filter, register_phi
from evident.privacy.operators import Redactor, Replacement, Surrogator, Transformed, transform
from evident.privacy.policy import POLICY_ENV, PolicyPrivacy, PolicyProtection, rebuild
from evident.privacy.spans import PHI_TYPES, PhiSpan, resolve_overlaps
from evident.privacy.stream import deidentify_stream
from evident.privacy.vault import KEY_ENV, VAULT_ENV, Vault, VaultEntry

__all__ = [
    "DEFAULT_TYPES",
    "KEY_ENV",
    "PHI_TYPES",
    "POLICY_ENV",
    "VAULT_ENV",
    "Detector",
    "NoPrivacy",
    "PhiLogFilter",
    "PhiSpan",
    "PolicyPrivacy",
    "PolicyProtection",
    "PrivacyHook",
    "Protection",
    "Redactor",
    "Replacement",
    "Surrogator",
    "Transformed",
    "Vault",
    "VaultEntry",
    "deidentify_stream",
    "detect",
    "find_leaks",
    "install_log_filter",
    "rebuild",
    "register_phi",
    "resolve_overlaps",
    "transform",
]
