"""The ``scribe`` task: a visit note from a doctor-patient conversation.

With a language model the task sends a versioned prompt (``resources/prompt_v1.txt``) and
validates the model's JSON (:class:`NoteOutput`); with the ``offline`` backend it writes
an extractive note with its rule-based engine (:mod:`evident.tasks.scribe.engine`).
Register: ``[project.entry-points."evident.tasks"] scribe = "evident.tasks.scribe:create"``.
"""

from evident.tasks.scribe.engine import EngineConfig, write_note
from evident.tasks.scribe.prompt import PROMPT_VERSION, build_messages
from evident.tasks.scribe.rewrite import rewrite
from evident.tasks.scribe.schema import NoteOutput, NoteStatement
from evident.tasks.scribe.task import ScribeTask, create, resolve_sections

__all__ = [
    "PROMPT_VERSION",
    "EngineConfig",
    "NoteOutput",
    "NoteStatement",
    "ScribeTask",
    "build_messages",
    "create",
    "resolve_sections",
    "rewrite",
    "write_note",
]
