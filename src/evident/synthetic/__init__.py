"""Differentially private synthetic data, and how good and how private it is.

Public API: :func:`synthesize` (a table on smartnoise-synth with public column domains),
:func:`draft_spec` / :func:`load_spec` (the column spec), and :func:`evaluate` (fidelity,
utility and privacy of a synthetic table against the real one). See docs/synthetic.md.
"""

from evident.synthetic.spec import ColumnSpec, TableSpec, check_spec, draft_spec, load_spec
from evident.synthetic.table import Budget, synthesize

__all__ = [
    "Budget",
    "ColumnSpec",
    "TableSpec",
    "check_spec",
    "draft_spec",
    "load_spec",
    "synthesize",
]
