"""The scribe task: offline engine, section options, and the model path with a fake backend."""

from __future__ import annotations

import re

import pytest

from evident.errors import InputError
from evident.models.base import Backend
from evident.models.offline import OfflineBackend
from evident.sources import load_source
from evident.tasks import load_task
from evident.tasks.scribe import PROMPT_VERSION, ScribeTask, build_messages, resolve_sections
from evident.tasks.scribe.engine import detect_sex, units_of
from evident.types import Source

from .conftest import FakeBackend


def _texts(draft, section: str) -> list[str]:
    return [st.text for sec in draft.sections if sec.name == section for st in sec.statements]


def test_registered_as_plugin() -> None:
    task = load_task("scribe")
    assert task.name == "scribe"
    assert re.fullmatch(r"scribe/\d+\.\d+", task.prompt_version)


def test_offline_soap_note(visit: Source) -> None:
    draft, usage = ScribeTask().draft([visit], OfflineBackend(), {})
    assert [s.name for s in draft.sections] == ["Subjective", "Objective", "Assessment", "Plan"]
    assert (
        draft.model.offline and draft.model.backend == "offline" and draft.model.spec == "offline"
    )
    assert draft.prompt_version == PROMPT_VERSION
    assert usage.calls == 0
    ids = [st.id for st in draft.statements]
    assert ids == [f"st{i}" for i in range(1, len(ids) + 1)]
    known = {seg.id for seg in visit.segments}
    for st in draft.statements:
        assert st.citations and set(st.citations) <= known
        assert st.section in {s.name for s in draft.sections}
    subjective = " ".join(_texts(draft, "Subjective"))
    assert "The patient denies fever." in subjective
    assert "2 weeks" in subjective and "um" not in subjective.lower().split()
    assert "2 puffs twice daily" in subjective
    objective = " ".join(_texts(draft, "Objective"))
    assert "her lungs have a mild wheeze" in objective
    assert "x-ray" in objective
    assert any("asthma flare" in t for t in _texts(draft, "Assessment"))
    plan = " ".join(_texts(draft, "Plan"))
    assert "prednisone 40 mg once daily" in plan
    assert draft.meta["sex"] == "female"


def test_qa_statement_cites_question_and_answer(visit: Source) -> None:
    draft, _ = ScribeTask().draft([visit], OfflineBackend(), {})
    denial = next(st for st in draft.statements if st.text == "The patient denies fever.")
    assert denial.citations == ("u3", "u4")


@pytest.mark.parametrize(
    ("sections", "names"),
    [
        ("apso", ["Assessment", "Plan", "Subjective", "Objective"]),
        (
            "aci",
            [
                "Chief Complaint",
                "History of Present Illness",
                "Review of Systems",
                "Physical Examination",
                "Results",
                "Assessment and Plan",
            ],
        ),
        ("HPI, Exam, Plan", ["HPI", "Exam", "Plan"]),
        (["Findings", "Plan"], ["Findings", "Plan"]),
    ],
)
def test_section_options(visit: Source, sections, names: list[str]) -> None:
    draft, _ = ScribeTask().draft([visit], OfflineBackend(), {"sections": sections})
    assert [s.name for s in draft.sections] == names
    if names[0] == "Findings":
        assert draft.sections[0].statements == ()
        assert draft.sections[1].statements


def test_aci_chief_complaint(visit: Source) -> None:
    draft, _ = ScribeTask().draft([visit], OfflineBackend(), {"sections": "aci"})
    assert _texts(draft, "Chief Complaint") == ["That cough."]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, {"Subjective": ["chief_complaint", "hpi", "ros"]}),
        ("A/P", {"A/P": ["assessment", "plan"]}),
        ("Physical Exam,Vitals", {"Physical Exam": ["exam"], "Vitals": ["exam"]}),
    ],
)
def test_resolve_sections(spec, expected) -> None:
    got = resolve_sections(spec)
    for name, cats in expected.items():
        assert got[name] == cats


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"sections": " , "}, "no section names"),
        ({"sections": "Plan,plan"}, "given twice"),
        ({"sex": "x"}, "option 'sex'"),
        ({"colour": "red"}, "unknown scribe option 'colour'"),
    ],
)
def test_bad_options(visit: Source, options, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        ScribeTask().draft([visit], OfflineBackend(), options)


def test_no_sources() -> None:
    with pytest.raises(InputError, match="at least one utterance"):
        ScribeTask().draft([], OfflineBackend(), {})


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("[doctor] she is a 40-year-old female here today\n[patient] yes\n", "female"),
        ("[doctor] he is a 61-year-old man with gout\n[patient] right\n", "male"),
        ("[doctor] hello mr. berg\n[patient] hi\n", "male"),
        ("[doctor] hello, how are you\n[patient] fine\n", "unknown"),
        ("[patient] my husband said he was worried\n[doctor] okay\n", "unknown"),
        # dictation with a space before the hyphen, as speech-to-text writes it
        ("[doctor] tess is a 52 -year-old woman seen for a cough\n[patient] yes\n", "female"),
        # a greeting by a given name that names one sex, in the opening words only
        ("[doctor] hi eleanor, what brings you in\n[patient] my back\n", "female"),
        ("[doctor] good morning, bruce.\n[patient] morning\n", "male"),
        (
            "[doctor] hello there\n[patient] hi\n[doctor] so, how is it\n[patient] bad\n"
            "[doctor] i spoke with walter about it\n[patient] ok\n",
            "unknown",
        ),
        # the clinician's own name, and a name that is someone else's
        ("[doctor] hi, i'm doctor helen price\n[patient] hi\n", "unknown"),
        (
            "[doctor] is your daughter with you today\n[patient] yes\n"
            "[doctor] and your ethan, how is he\n[patient] fine\n",
            "unknown",
        ),
        # a lab test or a drug that is also a name is not a greeting
        ("[doctor] so your ana came back negative\n[patient] good\n", "unknown"),
        # pronouns outweigh a name
        (
            "[doctor] hi diane\n[patient] hi\n[doctor] he said he was here and his leg hurt\n"
            "[patient] yes\n",
            "male",
        ),
    ],
)
def test_detect_sex(text: str, sex: str) -> None:
    assert detect_sex(units_of([load_source(text)])) == sex


def test_sex_option_overrides(visit: Source) -> None:
    draft, _ = ScribeTask().draft([visit], OfflineBackend(), {"sex": "male"})
    assert any("his lungs" in st.text for st in draft.statements)


ANSWER = {
    "statements": [
        {"section": "plan", "text": "Start  prednisone 40 mg daily.", "citations": ["u12", "u12"]},
        {"section": "Subjective", "text": "Cough for 2 weeks.", "citations": ["u2"]},
        {"section": "Social history", "text": "Lives alone.", "citations": []},
    ]
}


def test_model_path_with_fake_backend(visit: Source) -> None:
    backend = FakeBackend(ANSWER)
    assert isinstance(backend, Backend)
    draft, usage = ScribeTask().draft([visit], backend, {"temperature": 0.2, "seed": 7})
    request = backend.requests[0]
    assert request.temperature == 0.2 and request.seed == 7
    assert request.messages[0].role == "system" and request.messages[1].role == "user"
    assert "[u12] doctor: I want you to start prednisone" in request.messages[1].content
    assert '"Subjective", "Objective", "Assessment", "Plan"' in request.messages[0].content
    names = [s.name for s in draft.sections]
    assert names == ["Subjective", "Objective", "Assessment", "Plan", "Social history"]
    plan = draft.sections[3].statements[0]
    assert plan.text == "Start prednisone 40 mg daily." and plan.citations == ("u12",)
    assert [st.id for st in draft.statements] == ["st1", "st2", "st3"]
    assert draft.model.name == "model-1b" and not draft.model.offline
    assert draft.model.spec == "fake:model-1"
    assert usage.input_tokens == 120


def test_prompt_lists_every_utterance(visit: Source) -> None:
    msgs = build_messages([visit], resolve_sections("apso"))
    user = msgs[1].content
    for seg in visit.segments:
        assert f"[{seg.id}] " in user
    assert "JSON" in msgs[0].content and "citations" in msgs[0].content


SHORT = """\
WEBVTT

00:01.000 --> 00:03.000
<v Doctor>What brings you in today?

00:03.000 --> 00:06.000
<v Patient>I have had a headache for three days.

00:06.000 --> 00:09.000
<v Doctor>Your blood pressure is one forty over ninety.

00:09.000 --> 00:12.000
<v Doctor>Take acetaminophen five hundred milligrams every six hours as needed.
"""


def test_short_visit_without_phase_markers() -> None:
    src = load_source(SHORT, name="short.vtt")
    draft, _ = ScribeTask().draft([src], OfflineBackend(), {})
    assert "The patient has had a headache for 3 days." in _texts(draft, "Subjective")
    assert any("140/90" in t for t in _texts(draft, "Objective"))
    assert any("acetaminophen 500 mg every 6 hours" in t for t in _texts(draft, "Plan"))


def test_categories_fall_back_to_neighbouring_sections() -> None:
    src = load_source(SHORT, name="short.vtt")
    draft, _ = ScribeTask().draft([src], OfflineBackend(), {"sections": "Results,Plan"})
    assert any("140/90" in t for t in _texts(draft, "Results"))
    assert all("headache" not in st.text for st in draft.statements)


SWAPPED = """\
[patient] Good morning, what brings you in?
[doctor] My ankle hurts since I fell on Saturday.
[patient] On exam, your ankle has tenderness over the lateral side.
[patient] Your x-ray shows no fracture.
[patient] I want you to rest, ice it, and I'm going to refer you to physical therapy.
[doctor] Okay.
"""


def test_swapped_speaker_labels_are_read_the_other_way() -> None:
    src = load_source(SWAPPED)
    draft, _ = ScribeTask().draft([src], OfflineBackend(), {})
    assert draft.meta.get("speakers_swapped") is True
    text = " ".join(st.text for st in draft.statements)
    assert "The patient's ankle hurts since the patient fell on Saturday." in text
    assert "Refer the patient to physical therapy." in text


def test_labels_not_swapped_in_a_normal_visit(visit: Source) -> None:
    draft, _ = ScribeTask().draft([visit], OfflineBackend(), {})
    assert "speakers_swapped" not in draft.meta


@pytest.mark.parametrize(
    ("line", "pieces", "questions"),
    [
        (
            "[patient] it started three days ago so i took some tylenol okay and it got better",
            ["it started three days ago", "so i took some tylenol", "okay and it got better"],
            [False, False, False],
        ),
        (
            "[doctor] i see that your knee is swollen are you able to walk on it at all",
            ["i see that your knee is swollen", "are you able to walk on it at all"],
            [False, True],
        ),
        (
            "[doctor] your knee is swollen, so we will order an x-ray today.",
            ["your knee is swollen,", "so we will order an x-ray today."],
            [False, False],
        ),
        ("[doctor] take it daily, okay?", ["take it daily."], [False]),
        (
            "[doctor] i don't see any other s- , um , skin lumps or bumps that look suspicious",
            ["i don't see any other s- , um , skin lumps or bumps that look suspicious"],
            [False],
        ),
        (
            "[doctor] examination of the cervical spine , any pain here now ?",
            ["examination of the cervical spine , any pain here now ?"],
            [True],
        ),
        (
            "[doctor] okay good how about are your legs swelling up",
            ["okay good how about are your legs swelling up"],
            [True],
        ),
        (
            "[doctor] the swelling is better. good.",
            ["the swelling is better.", "good."],
            [False, False],
        ),
    ],
)
def test_units_of_speech_to_text(line: str, pieces: list[str], questions: list[bool]) -> None:
    units = units_of([load_source(line)])
    assert [u.text for u in units] == pieces
    assert [u.question for u in units] == questions
    assert all(u.citations == ("u1",) for u in units)


SECTION_OPENERS = """\
[doctor] Hi, what brings you in?
[patient] I have had pain in my right knee for three weeks.
[patient] I have been taking ibuprofen twice a day for it.
[doctor] On exam, you have swelling over the right knee and it is tender to touch.
[doctor] You also have a full range of motion in the knee.
[doctor] I think you have a sprain of the right knee.
[doctor] I want you to keep taking the ibuprofen with food.
[doctor] I want you to rest the knee for a week.
"""


@pytest.mark.parametrize(
    ("sex", "sections"), [("female", "soap"), ("male", "aci"), ("female", "apso")]
)
def test_each_section_opens_by_naming_the_patient(sex: str, sections: str) -> None:
    src = load_source(SECTION_OPENERS, kind="transcript")
    draft, _ = ScribeTask().draft([src], OfflineBackend(), {"sex": sex, "sections": sections})
    pronoun = "She " if sex == "female" else "He "
    opened = [sec.statements[0].text for sec in draft.sections if sec.statements]
    assert opened and not any(t.startswith(pronoun) for t in opened)
    later = [st.text for sec in draft.sections for st in sec.statements[1:]]
    assert any(t.startswith(pronoun) for t in later)
