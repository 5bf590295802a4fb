"""The ``differential`` task: a ranked differential diagnosis in which every finding is cited.

With the ``offline`` backend the engine (:mod:`evident.tasks.differential.engine`) scores
the conditions of a disease-finding table derived from MedQuAD (CC BY 4.0; see
``resources/ATTRIBUTION.md``) against the findings read from the case; with a language
model a versioned prompt asks for the same JSON. Either way every quote is checked
against the case (:func:`check_differential`) and must-not-miss diagnoses are flagged
whenever the presentation fits. Register:
``[project.entry-points."evident.tasks"] differential = "evident.tasks.differential:create"``.
"""

from evident.tasks.differential.case import Case, read_case
from evident.tasks.differential.check import check_differential, denied_quote
from evident.tasks.differential.engine import EngineConfig, rank, run_offline
from evident.tasks.differential.prompt import PROMPT_VERSION, build_messages
from evident.tasks.differential.schema import (
    Candidate,
    Cite,
    Differential,
    DifferentialOutput,
    NextStep,
    RedFlag,
)
from evident.tasks.differential.table import Table, load_table
from evident.tasks.differential.task import DifferentialTask, case_text, create, decode

__all__ = [
    "PROMPT_VERSION",
    "Candidate",
    "Case",
    "Cite",
    "Differential",
    "DifferentialOutput",
    "DifferentialTask",
    "EngineConfig",
    "NextStep",
    "RedFlag",
    "Table",
    "build_messages",
    "case_text",
    "check_differential",
    "create",
    "decode",
    "denied_quote",
    "load_table",
    "rank",
    "read_case",
    "run_offline",
]
