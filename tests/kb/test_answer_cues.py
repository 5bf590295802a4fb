"""The offline ask cites the sentence that answers the question, not the one echoing it.

Passages are invented (zentor fever, glimmerine: no real drug or disease) except the
metformin example the issue describes, written here in our own words.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evident.tasks.evidence_qa.cues import AnswerCues, load_cues
from evident.tasks.evidence_qa.offline import abbreviations, answer_offline, stem
from evident.tasks.evidence_qa.settings import load_settings
from evident.types import Segment


def _passages(*texts: str) -> list[Segment]:
    return [
        Segment(
            id=f"doc{i}#1",
            text=text,
            start=0,
            end=len(text),
            kind="passage",
            meta={"doc_id": f"doc{i}", "score": str(10.0 - i)},
        )
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize(
    ("question", "passages", "expected"),
    [
        (  # a threshold answers "when"; the other sentence shares as many words
            "When should metformin be stopped for kidney function?",
            [
                "Kidney function guides metformin use. Do not start metformin if eGFR is "
                "between 30 and 45 for kidney function reasons. Stop metformin when eGFR "
                "falls below 30 as kidney function declines."
            ],
            "Stop metformin when eGFR falls below 30 as kidney function declines.",
        ),
        (  # a heading phrased as a question is not its answer
            "What are the symptoms of zentor fever?",
            [
                "What are the symptoms of zentor fever? Symptoms of zentor fever include "
                "a high fever and a blue rash on the arms."
            ],
            "Symptoms of zentor fever include a high fever and a blue rash on the arms.",
        ),
        (  # a study's aim restates the question; its finding answers it
            "Does glimmerine reduce zentor relapse in adults?",
            [
                "The aim of this study was to assess whether glimmerine reduces zentor "
                "relapse in adults. Glimmerine reduced zentor relapse in adults by half "
                "(p = 0.01)."
            ],
            "Glimmerine reduced zentor relapse in adults by half (p = 0.01).",
        ),
        (  # a cause answers "what causes"
            "What causes zentor fever?",
            [
                "Zentor fever causes a high fever and a blue rash. Zentor fever is "
                "caused by a parasite carried by sand flies."
            ],
            "Zentor fever is caused by a parasite carried by sand flies.",
        ),
        (  # a sentence using a defined abbreviation holds its long form's words
            "Do preoperative statins reduce atrial fibrillation after cardiac surgery?",
            [
                "Atrial fibrillation (AF) after cardiac surgery is common. Preoperative "
                "statins reduced AF after cardiac surgery in this trial."
            ],
            "Preoperative statins reduced AF after cardiac surgery in this trial.",
        ),
        (  # a list of resources is no answer
            "What are the treatments for zentor fever?",
            [
                "These resources address the diagnosis or management of zentor fever: "
                "zentor fever treatment registry. Zentor fever is treated with glimmerine "
                "tablets for five days."
            ],
            "Zentor fever is treated with glimmerine tablets for five days.",
        ),
    ],
)
def test_the_cited_sentence_answers_the_question(question, passages, expected):
    answer = answer_offline(question, _passages(*passages), load_settings())
    assert not answer.abstained, answer.reason
    assert answer.choices[0].text == expected


def test_the_document_about_the_question_is_preferred():
    question = "Does glimmerine shorten zentor fever in children?"
    answer = answer_offline(
        question,
        _passages(
            "Glimmerine shortened zentor fever in children by two days (p < 0.01).",
            "Glimmerine was associated with fewer rashes in adults.",
        ),
        load_settings(),
    )
    assert answer.choices[0].passage_id == "doc0#1"


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("When should metformin be stopped?", "when"),
        ("How long should treatment last?", "when"),
        ("How many people are affected by zentor fever?", "frequency"),
        ("What causes zentor fever ?", "cause"),
        ("What are the symptoms of zentor fever ?", "symptoms"),
        ("How to diagnose zentor fever ?", "diagnosis"),
        ("What are the treatments for zentor fever ?", "treatment"),
        ("What are the genetic changes related to zentor fever ?", "genetics"),
        ("Is zentor fever inherited ?", "yes_no"),
        ("Does glimmerine change management of zentor fever?", "yes_no"),
        ("Glimmerine for zentor fever: is it safe?", "yes_no"),
        ("What is (are) zentor fever ?", "definition"),
        ("Do you have information about zentor fever", "definition"),
        ("Zentor fever", None),
    ],
)
def test_questions_are_typed_by_their_form(question, qtype):
    assert load_cues().question_type(question) == qtype


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("stopped", "stop", "stopping"), True),
        (("planned", "plan", "planning"), True),
        (("treated", "treatment", "treatments"), False),
        (("treated", "treats"), True),
        (("lines", "line"), True),
        (("called", "call"), True),
    ],
)
def test_stems_of_one_word(words, same):
    assert (len({stem(w) for w in words}) == 1) is same


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "after coronary artery bypass grafting (CABG) and",
            {"CABG": "coronary artery bypass grafting"},
        ),
        ("elevated cardiac troponin I (cTnI) levels", {"cTnI": "cardiac troponin I"}),
        ("the sample (n = 40) was small", {}),
        ("a dose (mg) of", {}),
    ],
)
def test_defined_abbreviations(text, found):
    assert abbreviations(text) == found


@pytest.mark.parametrize(
    "change",
    [
        {"restate": ["(unclosed"]},
        {"weights": {"cue": 2.0, "document": 0.3}},
        {"types": []},
        {"extra": 1},
    ],
)
def test_a_bad_table_is_refused(change):
    data = load_cues().model_dump() | change
    with pytest.raises(ValidationError):
        AnswerCues.model_validate(data)


@pytest.mark.parametrize(
    "text",
    [
        "What are the symptoms of zentor fever? These resources address zentor fever symptoms.",
        "The aim of this study was to assess whether glimmerine shortens zentor fever.",
        "Zentor fever symptoms are listed in the following table:",
    ],
)
def test_restatements_alone_are_no_answer(text):
    question = "What are the symptoms of zentor fever?"
    if "glimmerine" in text:
        question = "Does glimmerine shorten zentor fever?"
    answer = answer_offline(question, _passages(text), load_settings())
    assert answer.abstained and answer.reason == "no sentence answers the question"


@pytest.mark.parametrize(
    ("sentence", "qtype", "place", "expected"),
    [
        # earlier work is background, wherever it stands
        ("Previous studies have shown that glimmerine lowers fever.", "yes_no", 0.0, -0.3),
        ("Little is known about glimmerine in children.", "definition", 0.5, -0.3),
        ("There are few data on glimmerine dosing.", None, 0.0, -0.3),
        # a yes/no question is answered late in an abstract
        ("Glimmerine shortened fever by 2 days (p = 0.01).", "yes_no", 1.0, 0.35),
        ("Glimmerine shortened fever by 2 days (p = 0.01).", "yes_no", 0.5, 0.175),
        ("Glimmerine shortened fever by 2 days (p = 0.01).", "yes_no", 0.0, 0.0),
        # other question types do not care where a sentence stands
        ("Zentor fever is caused by a virus.", "cause", 1.0, 0.0),
        ("Studies have demonstrated a benefit, as this trial did.", "yes_no", 1.0, 0.05),
    ],
)
def test_context_of_a_sentence(sentence, qtype, place, expected):
    assert load_cues().context(qtype, sentence, place) == pytest.approx(expected)


def test_a_finding_late_in_an_abstract_beats_background_early():
    abstract = (
        "Recent studies have shown that glimmerine shortens zentor fever in children. "
        "We enrolled 80 of them. "
        "Glimmerine shortened the fever by 2 days (p = 0.01)."
    )
    answer = answer_offline(
        "Does glimmerine shorten zentor fever in children?", _passages(abstract), load_settings()
    )
    assert not answer.abstained
    assert answer.choices[0].text.startswith("Glimmerine shortened")
