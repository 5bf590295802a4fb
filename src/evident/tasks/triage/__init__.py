"""Task ``triage``: how urgently a patient's message needs care, with quoted red flags.

The offline engine applies nurse-triage protocols written as data
(``resources/protocols.yaml``: findings, modifiers, age and pregnancy; negation and time
cues in ``resources/cues.yaml``). A model may raise the class, never lower it.
Register: ``[project.entry-points."evident.tasks"] triage = "evident.tasks.triage:create"``.
"""

from evident.tasks.triage.engine import RedFlag, TriageResult, read_message, triage_offline
from evident.tasks.triage.model import PROMPT_VERSION, TriageOutput, combine
from evident.tasks.triage.protocols import URGENCIES, load_cues, load_protocols, rank
from evident.tasks.triage.task import TriageTask, result_from_draft, triage_text

__all__ = [
    "PROMPT_VERSION",
    "URGENCIES",
    "RedFlag",
    "TriageOutput",
    "TriageResult",
    "TriageTask",
    "combine",
    "create",
    "load_cues",
    "load_protocols",
    "rank",
    "read_message",
    "result_from_draft",
    "triage_offline",
    "triage_text",
]


def create() -> TriageTask:
    """Entry-point factory of the ``triage`` task."""
    return TriageTask()
