"""Table tests of the sources stage: formats, speakers, offsets, notes and bad input."""

from __future__ import annotations

import codecs
import json

import pytest

from evident.errors import ConfigError, InputError
from evident.sources import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, load_source, read_source
from evident.types import Source


def _check_offsets(src: Source) -> None:
    for seg in src.segments:
        assert src.text[seg.start : seg.end] == seg.text, seg.id


def _ids_ok(src: Source, prefix: str) -> None:
    assert [s.id for s in src.segments] == [f"{prefix}{i}" for i in range(1, len(src.segments) + 1)]


TRANSCRIPTS = [
    (
        "bracket labels",
        "[doctor] How are you today?\n[patient] I have a cough.\n",
        [("doctor", "How are you today?"), ("patient", "I have a cough.")],
        "text",
    ),
    (
        "colon labels, mixed case",
        "Doctor: Any fever?\nPatient: No fever.\nDOCTOR: Good.\n",
        [("doctor", "Any fever?"), ("patient", "No fever."), ("doctor", "Good.")],
        "text",
    ),
    (
        "DR/PT abbreviations",
        "DR: Take it daily.\nPT: Okay.\n",
        [("doctor", "Take it daily."), ("patient", "Okay.")],
        "text",
    ),
    (
        "unknown repeated names kept lowercase, unlabelled line speaker None",
        "Mother: He was up all night.\nDr. Rivera: Since when?\n"
        "Mother: Since Sunday.\nthen it got worse\n",
        [
            ("mother", "He was up all night."),
            ("doctor", "Since when?"),
            ("mother", "Since Sunday."),
            (None, "then it got worse"),
        ],
        "text",
    ),
    (
        "underscore role and blank lines and CRLF",
        "[doctor] Hello.\r\n\r\n[patient_guest] Hi, I am her son.\r\n",
        [("doctor", "Hello."), ("patient_guest", "Hi, I am her son.")],
        "text",
    ),
    (
        "labels in Markdown emphasis",
        "**Doctor:** Any pain?\n**Patient**: Yes, here.\n*Nurse:* BP is 120/80.\n"
        "*Doctor*: Thanks.\n",
        [
            ("doctor", "Any pain?"),
            ("patient", "Yes, here."),
            ("nurse", "BP is 120/80."),
            ("doctor", "Thanks."),
        ],
        "text",
    ),
    (
        "timestamps before labels",
        "00:00:01 Doctor: Any pain?\n[00:04] Patient: Yes, here.\n(1:02:03.5) - Speaker 2: Hm.\n"
        "01:10 Speaker 2: Sure.\n",
        [
            ("doctor", "Any pain?"),
            ("patient", "Yes, here."),
            ("speaker 2", "Hm."),
            ("speaker 2", "Sure."),
        ],
        "text",
    ),
    (
        "WebVTT with voice tags, identifiers, multi-line cue and NOTE block",
        "WEBVTT\n\nNOTE recorded in clinic\n\n1\n00:00:01.000 --> 00:00:03.500\n"
        "<v Doctor>What brings you in\ntoday?</v>\n\n00:04.000 --> 00:06.000 align:start\n"
        "<v.loud Patient>My <i>knee</i> hurts &amp; swells.</v>\n",
        [("doctor", "What brings you in today?"), ("patient", "My knee hurts & swells.")],
        "vtt",
    ),
    (
        "WebVTT without voice tags, label in cue text",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNurse: Blood pressure is fine.\n\n"
        "00:00:02.000 --> 00:00:03.000\nThank you.\n",
        [("nurse", "Blood pressure is fine."), (None, "Thank you.")],
        "vtt",
    ),
    (
        "JSON list",
        json.dumps(
            [
                {"speaker": "Doctor", "text": "Any allergies?"},
                {"speaker": "PT", "text": "Penicillin."},
            ]
        ),
        [("doctor", "Any allergies?"), ("patient", "Penicillin.")],
        "json",
    ),
    (
        "JSON object with utterances, missing speaker, newline in text",
        json.dumps(
            {"utterances": [{"text": "Hello\nthere"}, {"speaker": "Aunt May", "text": "Hi"}]}
        ),
        [(None, "Hello there"), ("aunt may", "Hi")],
        "json",
    ),
]


@pytest.mark.parametrize(
    ("case", "data", "expected", "fmt"), TRANSCRIPTS, ids=[t[0] for t in TRANSCRIPTS]
)
def test_transcripts(
    case: str, data: str, expected: list[tuple[str | None, str]], fmt: str
) -> None:
    src = load_source(data, name="t.txt")
    assert src.kind == "transcript"
    assert src.meta["format"] == fmt
    assert [(s.speaker, s.text) for s in src.segments] == expected
    assert all(s.kind == "utterance" for s in src.segments)
    _ids_ok(src, "u")
    _check_offsets(src)


def test_json_rendering_offsets_point_at_rendered_lines() -> None:
    src = load_source(
        json.dumps([{"speaker": "doctor", "text": "Hi"}, {"speaker": "patient", "text": "Hello"}])
    )
    assert src.text == "doctor: Hi\npatient: Hello\n"
    assert src.segments[1].start == len("doctor: Hi\npatient: ")


def test_vtt_cue_timing_in_meta() -> None:
    src = load_source("WEBVTT\n\nc1\n00:01.000 --> 00:02.500\n<v Doctor>Hi.\n")
    assert src.segments[0].meta == {"t_start": "00:01.000", "t_end": "00:02.500", "cue": "c1"}


def test_timestamp_kept_in_meta() -> None:
    src = load_source("[00:04] Doctor: Hi.\n00:05 Patient: Hello.\n10:30 is my bus\n")
    assert [s.meta.get("time") for s in src.segments] == ["00:04", "00:05", None]
    assert src.segments[2].text == "10:30 is my bus"


def test_unlabelled_transcript_when_forced() -> None:
    src = load_source("How are you?\nFine thanks.\n", kind="transcript")
    assert [(s.speaker, s.text) for s in src.segments] == [
        (None, "How are you?"),
        (None, "Fine thanks."),
    ]


NOTE = """CHIEF COMPLAINT

Knee pain.

HISTORY OF PRESENT ILLNESS

Dr. Okafor saw the patient, e.g. for follow up. She takes 1.5 mg. daily. The pain started
after a fall on Monday. J. Smith drove her here!

Assessment and Plan: Continue ibuprofen 400 mg. Follow up in 2 weeks.
• Knee: Mild swelling. No redness.
1. Osteoarthritis.
2) Fall risk.
SUBJECTIVE:
Cough for 3 days.
Medications:
Lisinopril 10 mg daily.
"""

NOTE_EXPECTED = [
    ("Knee pain.", "CHIEF COMPLAINT", "chief_complaint", False),
    ("Dr. Okafor saw the patient, e.g. for follow up.", "HISTORY OF PRESENT ILLNESS", "hpi", False),
    ("She takes 1.5 mg. daily.", "HISTORY OF PRESENT ILLNESS", "hpi", False),
    ("The pain started\nafter a fall on Monday.", "HISTORY OF PRESENT ILLNESS", "hpi", False),
    ("J. Smith drove her here!", "HISTORY OF PRESENT ILLNESS", "hpi", False),
    ("Continue ibuprofen 400 mg.", "Assessment and Plan", "assessment_plan", False),
    ("Follow up in 2 weeks.", "Assessment and Plan", "assessment_plan", False),
    ("Knee: Mild swelling.", "Assessment and Plan", "assessment_plan", True),
    ("No redness.", "Assessment and Plan", "assessment_plan", True),
    ("Osteoarthritis.", "Assessment and Plan", "assessment_plan", True),
    ("Fall risk.", "Assessment and Plan", "assessment_plan", True),
    ("Cough for 3 days.", "SUBJECTIVE", "subjective", False),
    ("Lisinopril 10 mg daily.", "Medications", "medications", False),
]


def test_note_sentences_and_sections() -> None:
    src = load_source(NOTE, name="note.txt")
    assert src.kind == "note"
    got = [
        (
            s.text,
            s.meta.get("section"),
            s.meta.get("section_type"),
            s.meta.get("list_item") == "true",
        )
        for s in src.segments
    ]
    assert got == NOTE_EXPECTED
    assert all(s.kind == "sentence" and s.speaker is None for s in src.segments)
    _ids_ok(src, "s")
    _check_offsets(src)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Temp 38.5 today. Better now.", ["Temp 38.5 today.", "Better now."]),
        ("Seen by Dr. Adams. Stable.", ["Seen by Dr. Adams.", "Stable."]),
        ("Avoid NSAIDs, e.g. Ibuprofen. Fine.", ["Avoid NSAIDs, e.g. Ibuprofen.", "Fine."]),
        ("Is it better? Yes! Good.", ["Is it better?", "Yes!", "Good."]),
        ('She said "stop." Then left.', ['She said "stop."', "Then left."]),
        ("Metoprolol 25 mg. p.o. daily.", ["Metoprolol 25 mg. p.o. daily."]),
        # a body system's label that runs on inside a paragraph starts a new sentence
        (
            "BP 118/76, HR 70 General: alert, no distress Neck: supple Vital Signs: stable",
            [
                "BP 118/76, HR 70",
                "General: alert, no distress",
                "Neck: supple",
                "Vital Signs: stable",
            ],
        ),
        # ...not a label it does not know, a lower-case one, or one the sentence opens with
        ("Gout flare: better on colchicine.", ["Gout flare: better on colchicine."]),
        ("Pain in the neck: worse today.", ["Pain in the neck: worse today."]),
        ("HEENT: normal Skin: dry", ["HEENT: normal", "Skin: dry"]),
        # the label is the shortest run of words before the colon that is one
        (
            "CV: RRR, no M/R/G Respiratory: CTA bilaterally Musculoskeletal: tender",
            ["CV: RRR, no M/R/G", "Respiratory: CTA bilaterally", "Musculoskeletal: tender"],
        ),
        ("Ratio 1:2 today.", ["Ratio 1:2 today."]),
        ("Auscultation of Lungs: clear.", ["Auscultation of Lungs: clear."]),
        (
            "Respiratory: Auscultation of Lungs: clear. Examination of Abdomen: soft",
            ["Respiratory: Auscultation of Lungs: clear.", "Examination of Abdomen: soft"],
        ),
    ],
)
def test_sentence_splitting(text: str, sentences: list[str]) -> None:
    src = load_source(text, kind="note")
    assert [s.text for s in src.segments] == sentences
    _check_offsets(src)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[doctor] hi\n[patient] hello\n", "transcript"),
        ("Doctor: hi\nPatient: hello\n", "transcript"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "transcript"),
        ('[{"speaker": "a", "text": "b"}]', "transcript"),
        ("Plan: rest.\nAssessment: sprain.\n", "note"),
        ("The patient is well. No complaints.", "note"),
        ("Patient: Jane Roe, 45.\nShe reports cough.\nExam normal.\nPlan: fluids.\n", "note"),
    ],
)
def test_auto_detection(text: str, kind: str) -> None:
    assert load_source(text).kind == kind


@pytest.mark.parametrize(
    ("data", "kind", "fragment"),
    [
        (b"", "auto", "is empty"),
        (b"   \n\t\n", "auto", "is empty"),
        ("  \n", "auto", "is empty"),
        (b"[doctor] hi\x00there", "auto", "binary (NUL byte at offset 11)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "auto", "binary"),
        ("[doctor] hi\n".encode("utf-16-le"), "auto", "UTF-16 without a byte-order mark"),
        (b"[doctor] caf\xe9 ok", "auto", "undecodable byte at offset 12"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "auto", "not valid UTF-16-LE"),
        ("[doctor]\n[patient]   \n", "transcript", "no recognisable utterances"),
        ("CHIEF COMPLAINT\n\nPLAN:\n", "note", "no sentences"),
        ("[]", "auto", "no recognisable utterances"),
        (
            '[{"speaker": "doctor", "text": "hi"},\n {"speaker": "x"',
            "auto",
            "invalid JSON at line 2",
        ),
        ('[{"speaker": "doctor"}]', "auto", "item 1 has no string 'text'"),
        ('[{"speaker": "doctor", "text": "a"}, "b"]', "auto", "item 2 is not an object"),
        ('[{"speaker": 3, "text": "a"}]', "auto", "'speaker' that is not a string"),
        (
            '[{"speaker": "a", "text": "b", "mood": "c"}]',
            "auto",
            "a field other than end, id, speaker",
        ),
        ('{"turns": []}', "auto", "no list under 'utterances'"),
        ("WEBVTT\n\n00:01.000 --> 00:0x.000\nhi\n", "auto", "line 3: malformed cue timing"),
        ("WEBVTT\n\ncue-1\nhello there\n", "auto", "line 4: expected a cue timing line"),
        ("WEBVTT\n00:01.000 --> 00:02.000\nhi\n", "auto", "line 2: a blank line must follow"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n\n", "auto", "no recognisable utterances"),
        ("[doctor] hi", "memo", "unknown source kind"),
    ],
)
def test_bad_input(data: bytes | str, kind: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        load_source(data, kind=kind, name="in.txt")  # type: ignore[arg-type]
    message = str(err.value)
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "[doctor] café\n".encode(), "café"),
        (codecs.BOM_UTF16_LE + "[doctor] café\n".encode("utf-16-le"), "café"),
        (codecs.BOM_UTF16_BE + "[doctor] café\n".encode("utf-16-be"), "café"),
        ("[doctor] café\n".encode(), "café"),
    ],
)
def test_encodings(data: bytes, expected: str) -> None:
    src = load_source(data)
    assert src.segments[0].text == expected
    assert not src.text.startswith("\ufeff")
    _check_offsets(src)


def test_size_limit_argument_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "[doctor] " + "a" * 100
    with pytest.raises(InputError, match="109 bytes, over the limit of 50"):
        load_source(data, max_bytes=50)
    monkeypatch.setenv(MAX_BYTES_ENV, "60")
    with pytest.raises(InputError, match="over the limit of 60"):
        load_source(data)
    monkeypatch.setenv(MAX_BYTES_ENV, "lots")
    with pytest.raises(ConfigError, match=MAX_BYTES_ENV):
        load_source(data)
    monkeypatch.delenv(MAX_BYTES_ENV)
    assert load_source(data).segments[0].text == "a" * 100
    assert DEFAULT_MAX_BYTES >= 1_000_000


def test_read_source(tmp_path) -> None:
    path = tmp_path / "visit.vtt"
    path.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Doctor>Hello.\n", encoding="utf-8")
    src = read_source(path)
    assert src.id == "visit.vtt"
    assert src.segments[0].speaker == "doctor"
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"[doctor] hi\n" * 20)
    with pytest.raises(InputError, match=r"big\.txt' is 240 bytes"):
        read_source(big, max_bytes=100)
