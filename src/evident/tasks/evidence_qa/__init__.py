"""Task ``evidence_qa``: answer a clinical question from knowledge-base passages, citing them.

Each answer sentence cites the passage ids it rests on; only retrieved passages may be
cited; the verify stage checks each sentence against the passage it cites; stale evidence
is flagged. The offline engine answers extractively; with a model the answer follows the
versioned prompt in ``resources/prompt.txt``.
"""

from evident.tasks.evidence_qa.answer import answer_json, answer_text, ask, render_html
from evident.tasks.evidence_qa.citations import check_citations, verify_answer
from evident.tasks.evidence_qa.evidence import build_source, evidence_list
from evident.tasks.evidence_qa.llm import AnswerOutput, AnswerSentence, build_messages
from evident.tasks.evidence_qa.offline import answer_offline
from evident.tasks.evidence_qa.settings import PROMPT_VERSION, load_prompt, load_settings
from evident.tasks.evidence_qa.task import ABSTAIN_TEXT, EvidenceQATask

__all__ = [
    "ABSTAIN_TEXT",
    "PROMPT_VERSION",
    "AnswerOutput",
    "AnswerSentence",
    "EvidenceQATask",
    "answer_json",
    "answer_offline",
    "answer_text",
    "ask",
    "build_messages",
    "build_source",
    "check_citations",
    "create",
    "evidence_list",
    "load_prompt",
    "load_settings",
    "render_html",
    "verify_answer",
]


def create() -> EvidenceQATask:
    """Entry-point factory of the ``evidence_qa`` task."""
    return EvidenceQATask()
