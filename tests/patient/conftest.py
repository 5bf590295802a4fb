"""Fixtures of the patient-task tests: an invented visit note and its conversation."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source

NOTE = """\
CHIEF COMPLAINT

Knee pain.

HISTORY OF PRESENT ILLNESS

Ms. Varga is a 61-year-old female who presents with right knee pain for three months.
She reports that the pain is worse on stairs. She denies any fever or swelling.
She takes metformin 500 mg twice a day for diabetes.

RESULTS

X-ray of the right knee demonstrates mild osteoarthritis.

ASSESSMENT AND PLAN

Right knee osteoarthritis.
• Medical Treatment: We will start meloxicam 15 mg daily. She will stop ibuprofen.
• Additional Testing: We will order a hemoglobin A1c.
• Patient Education and Counseling: I encouraged her to use ice after activity.

Hypertension.
• Medical Treatment: We will increase her lisinopril to 20 mg daily.

INSTRUCTIONS

She will follow up in 6 weeks.
She should call the clinic if the knee becomes red, hot or swollen.
"""

TRANSCRIPT = """\
[doctor] What brings you in today?
[patient] My right knee has hurt for about three months, worst on the stairs.
[doctor] Any fever or swelling?
[patient] No.
[doctor] And you take metformin 500 milligrams twice a day?
[patient] Yes.
[doctor] The x-ray shows mild arthritis in the right knee.
[doctor] Let's start meloxicam 15 milligrams once a day and stop the ibuprofen.
[doctor] I'll also raise your lisinopril to 20 milligrams daily.
[doctor] We'll check an A1c, use ice after activity, and I'll see you in 6 weeks.
[doctor] Call us if the knee gets red, hot or swollen.
"""


@pytest.fixture
def note() -> Source:
    """The invented note, parsed."""
    return load_source(NOTE, kind="note", name="note.txt")


@pytest.fixture
def transcript() -> Source:
    """The invented conversation, parsed."""
    return load_source(TRANSCRIPT, kind="transcript", name="visit.txt")
