"""The clinical-prose pass: structure decides what a note keeps of a spoken sentence."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.tasks.scribe.engine import _answered_items
from evident.tasks.scribe.prose import ProseInput, person_words, to_prose
from evident.tasks.scribe.quality import has_filler, placement, style_failures
from evident.tasks.scribe.rewrite import rewrite
from evident.tasks.scribe.task import resolve_sections
from evident.types import Statement


@pytest.mark.parametrize(
    ("said", "speaker", "category", "context", "expected"),
    [
        (
            "I am going to order an MRI of the left knee.",
            "doctor",
            "plan",
            "",
            "Order an MRI of the left knee.",
        ),
        (
            "I will also refer you to physical therapy.",
            "doctor",
            "plan",
            "",
            "Refer the patient to physical therapy.",
        ),
        (
            "I want you to keep taking the ibuprofen with food.",
            "doctor",
            "plan",
            "",
            "The patient will keep taking the ibuprofen with food.",
        ),
        (
            "I hear some crackles at the base of the right lung.",
            "doctor",
            "exam",
            "",
            "Some crackles at the base of the right lung.",
        ),
        (
            "My assessment is a likely meniscus tear.",
            "doctor",
            "assessment",
            "",
            "A likely meniscus tear.",
        ),
        ("I think this is a sprain.", "doctor", "assessment", "", "This is a sprain."),
        (
            "The x-ray we took today shows no fracture.",
            "doctor",
            "results",
            "",
            "The x-ray shows no fracture.",
        ),
        ("Let me take a listen.", "doctor", "exam", "", ""),
        ("Take some deep breaths for me.", "doctor", "exam", "", ""),
        (
            "Continue the lisinopril ten milligrams daily.",
            "doctor",
            "plan",
            "",
            "Continue the lisinopril 10 mg daily.",
        ),
        ("A little when I climb the stairs.", "patient", "hpi", "", ""),
        (
            "Just my lisinopril, ten milligrams once a day.",
            "patient",
            "hpi",
            "",
            "Lisinopril 10 mg once daily.",
        ),
        (
            "They've been running higher.",
            "patient",
            "hpi",
            "How have your sugars been?",
            "The patient's sugars have been running higher.",
        ),
        # a modifier holding a first- or second-person word goes, the rest stays
        ("As you know, I get tired.", "patient", "hpi", "", "She gets tired."),
        (
            "On his chest exam, I do appreciate a faint 2/6 murmur, which I have heard before.",
            "doctor",
            "exam",
            "",
            "A faint 2/6 murmur.",
        ),
        (
            "Her ferritin is 9, which is quite low, we will have to look into that further.",
            "doctor",
            "results",
            "",
            "Her ferritin is 9, which is quite low.",
        ),
        (
            "She was sent over for a consult with me about her migraines.",
            "doctor",
            "hpi",
            "",
            "She was sent over for a consult about her migraines.",
        ),
        (
            "The pain started on Monday. I took some Tylenol, like you said.",
            "patient",
            "hpi",
            "",
            "The pain started on Monday. She took some Tylenol.",
        ),
        (
            "We did an x-ray of the wrist and I do notice a small buckle fracture of the radius.",
            "doctor",
            "results",
            "",
            "Did an x-ray of the wrist and notice a small buckle fracture of the radius.",
        ),
        # a condition is never cut loose from what it conditions
        ("If the rash spreads, we will talk about a biopsy.", "doctor", "plan", "", ""),
        # "get" with a noun is an order; "have" with one is not
        (
            "I want to get a CT of the abdomen to rule out appendicitis.",
            "doctor",
            "plan",
            "",
            "Get a CT of the abdomen to rule out appendicitis.",
        ),
        ("I have a question for you.", "doctor", "plan", "", ""),
        # spoken hedges go; emphatic "does" folds into the verb; negation stays
        (
            "It is just really sore, like, most of the day.",
            "patient",
            "hpi",
            "",
            "It is sore most of the day.",
        ),
        (
            "He does have some tenderness over the left wrist.",
            "doctor",
            "exam",
            "",
            "He has some tenderness over the left wrist.",
        ),
        (
            "The cream does not help, and she does need a refill.",
            "doctor",
            "hpi",
            "",
            "The cream does not help, and she needs a refill.",
        ),
        (
            "She feels like the room is spinning.",
            "doctor",
            "hpi",
            "",
            "She feels like the room is spinning.",
        ),
        (
            "Been pretty good taking my medications.",
            "patient",
            "hpi",
            "",
            "The patient has been good taking her medications.",
        ),
        (
            "On exam, there is an effusion of the left knee.",
            "doctor",
            "exam",
            "",
            "On exam, there is an effusion of the left knee.",
        ),
        ("We're going to move on to your physical exam.", "doctor", "exam", "", ""),
        # what the note drops from the conversation it drops once rewritten, too
        ("Okay, so I'm going to go ahead and do a quick physical exam.", "doctor", "exam", "", ""),
        ("Now I'll do your physical exam.", "doctor", "exam", "", ""),
        ("I'm going to finalize the note.", "doctor", "plan", "", ""),
        ("Let's look at your results.", "doctor", "plan", "", ""),
        (
            "I'd like to start you on metformin.",
            "doctor",
            "plan",
            "",
            "Start the patient on metformin.",
        ),
        (
            "We will repeat the A1c in three months.",
            "doctor",
            "results",
            "",
            "Repeat the A1c in 3 months.",
        ),
        ("I reviewed your labs.", "doctor", "results", "", "Reviewed her labs."),
        (
            "Your knee looks swollen and I am not sure why.",
            "doctor",
            "exam",
            "",
            "Her knee looks swollen.",
        ),
    ],
)
def test_to_prose(said: str, speaker: str, category: str, context: str, expected: str) -> None:
    ctx = rewrite(context, "doctor").rstrip("?.") if context else ""
    [(out, _)] = to_prose([ProseInput(rewrite(said, speaker, "female"), speaker, category, ctx)])
    assert out == expected
    assert not person_words(out)


@pytest.mark.parametrize(
    ("what", "answer", "expected"),
    [
        ("fever or chills", "no", "fever or chills"),
        ("fever or chills", "no fever", "fever"),
        ("fever or chills", "no fever but i had chills", ""),
        ("fever, chills or sweats", "no chills or sweats", "chills or sweats"),
        ("fever", "no", "fever"),
        (
            "numbness or tingling in his foot",
            "no, nothing like that",
            "numbness or tingling in his foot",
        ),
        ("blood when the patient coughs", "nope", "blood when the patient coughs"),
    ],
)
def test_denials_only_as_denied(what: str, answer: str, expected: str) -> None:
    assert _answered_items(what, answer) == expected


@pytest.mark.parametrize(
    ("text", "person", "filler"),
    [
        ("The patient denies fever.", False, False),
        ("I want him to rest.", True, False),
        ("Your knee is swollen.", True, False),
        ("Um the knee is swollen.", False, True),
        ("Let me take a look at the knee.", True, True),
    ],
)
def test_style_checks(text: str, person: bool, filler: bool) -> None:
    assert bool(person_words(text)) is person
    assert has_filler(text) is filler
    assert style_failures([Statement(id="st1", text=text, section="S")]) == (
        int(person),
        int(filler),
    )


REFERENCE = """\
HISTORY OF PRESENT ILLNESS
The patient reports knee pain after a fall while hiking last month.

PHYSICAL EXAMINATION
Moderate effusion of the left knee with medial joint line tenderness.

ASSESSMENT AND PLAN
Order an MRI of the left knee to assess the meniscus.
"""


@pytest.mark.parametrize(
    ("text", "section", "right"),
    [
        (
            "Moderate effusion of the left knee and joint line tenderness.",
            "Physical Examination",
            1,
        ),
        (
            "Moderate effusion of the left knee and joint line tenderness.",
            "History of Present Illness",
            0,
        ),
        ("Order an MRI of the left knee for the meniscus.", "Assessment and Plan", 1),
        ("Knee pain after a fall while hiking.", "Results", 0),
    ],
)
def test_placement(text: str, section: str, right: int) -> None:
    ref = load_source(REFERENCE, kind="note")
    got = placement([Statement(id="st1", text=text, section=section)], resolve_sections("aci"), ref)
    assert (got.matched, got.right) == (1, right)
