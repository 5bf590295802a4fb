"""Patient-facing tasks: portal-message replies (``patient_message``) and after-visit
summaries (``patient_summary``), in plain words, every statement verified.

Plain-language rules and the glossary are data (``resources/plain.yaml``); reading grade
is Flesch-Kincaid and SMOG with our own syllable counter (:mod:`.readability`).
Register: ``[project.entry-points."evident.tasks"]`` ``patient_message`` and
``patient_summary``.
"""

from evident.tasks.patient.plain import load_plain, plain_sentences, rewrite
from evident.tasks.patient.readability import count_syllables, fk_grade, grades, smog_grade
from evident.tasks.patient.reply_task import PatientMessageTask
from evident.tasks.patient.summary import SECTIONS, write_summary
from evident.tasks.patient.summary_task import PatientSummaryTask

__all__ = [
    "SECTIONS",
    "PatientMessageTask",
    "PatientSummaryTask",
    "count_syllables",
    "create_message",
    "create_summary",
    "fk_grade",
    "grades",
    "load_plain",
    "plain_sentences",
    "rewrite",
    "smog_grade",
    "write_summary",
]


def create_message() -> PatientMessageTask:
    """Entry-point factory of the ``patient_message`` task."""
    return PatientMessageTask()


def create_summary() -> PatientSummaryTask:
    """Entry-point factory of the ``patient_summary`` task."""
    return PatientSummaryTask()
