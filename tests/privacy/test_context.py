"""PHI found by context (fields, positions, organisations) and masked document-wide."""

from __future__ import annotations

import pytest

from evident.privacy import Detector, detect

NAMES = [
    ("Kwaku Ezeudu was admitted overnight with dyspnea.", "Kwaku Ezeudu"),
    ("Goldberg, Anjali was seen in follow-up.", "Goldberg, Anjali"),
    ("C. Nakagawa presents for a recheck.", "C. Nakagawa"),
    ("Ottilie Brzezinski is a 54-year-old woman with diabetes.", "Ottilie Brzezinski"),
    ("Saoirse denies chest pain.", "Saoirse"),
    ("Oisin reports the swelling is better.", "Oisin"),
    ("Patient: Tesfaye Mekonnen    MRN: 00482913    DOB: 5/21", "Tesfaye Mekonnen"),
    ("[doctor] hi saoirse how are you doing today", "saoirse"),
    ("[patient] this is kwaku boateng calling about my refill", "kwaku boateng"),
    ("[doctor] mehrnaz van wyk was admitted overnight", "mehrnaz van wyk"),
    ("so, Teodoro, what brings you in?", "Teodoro"),
]


@pytest.mark.parametrize(("text", "name"), NAMES)
def test_names_by_position(text: str, name: str) -> None:
    assert ("NAME", name) in [(s.type, s.text) for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "value", "phi_type"),
    [
        ("Patient: Tesfaye Mekonnen    MRN: 00482913    DOB: 5/21", "00482913", "MRN"),
        ("Patient: Tesfaye Mekonnen    MRN: 00482913    DOB: 5/21", "5/21", "DATE"),
        ("Name: ABEBE, TIRUNESH | Plate: 8ABC123 | Member #: XA06495211", "8ABC123", "VEHICLE"),
        ("Parking validated, vehicle plate GXY-1268.", "GXY-1268", "VEHICLE"),
        ("plate number KA 89456", "KA 89456", "VEHICLE"),
        (
            "Transferred from Lakeshore Family Health after the fall.",
            "Lakeshore Family Health",
            "HOSPITAL",
        ),
        ("Referred to Northgate Orthopedics.", "Northgate Orthopedics", "HOSPITAL"),
        ("Seen at Riverbend last spring.", "Riverbend", "HOSPITAL"),
        (
            "[doctor] referred to copperfield senior care last spring",
            "copperfield senior care",
            "HOSPITAL",
        ),
        ("Birthday 10/4", "10/4", "DATE"),
        ("Oonagh Grabowski, 97, lives with family.", "97", "AGE"),
    ],
)
def test_fields_organisations_and_values(text: str, value: str, phi_type: str) -> None:
    assert (phi_type, value) in [(s.type, s.text) for s in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Patient: Absolutely.",
        "Patient: I came in for a refill of my blood pressure medicine.",
        "The patient denies fever. She reports the cough is better.",
        "Referred to Physical Therapy for strengthening.",
        "He understands and agrees with the recommended medical treatment plan.",
        "Medical Reasoning: stable.",
        "[doctor] hi there how are you doing today",
        "[patient] everything was fine so i think it's okay",
        "Continue lisinopril. Metformin denies? no.",
    ],
)
def test_no_phi_in_ordinary_clinical_text(text: str) -> None:
    assert [s.text for s in detect(text) if s.type in ("NAME", "HOSPITAL")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "it's Marisol Quenneville, I think.\nMs. Quenneville is here.",
            ["Marisol Quenneville", "Quenneville"],
        ),
        ("Dr. Ezeudu saw her. ezeudu's note and EZEUDU agree.", ["Ezeudu", "ezeudu", "EZEUDU"]),
        (
            "Patient: Kwaku Mensah    MRN: 1234567\nKwaku is tired. mensah's wife called.",
            ["Kwaku Mensah", "Kwaku", "mensah"],
        ),
    ],
)
def test_a_value_found_once_is_masked_everywhere(text: str, expected: list[str]) -> None:
    assert [s.text for s in detect(text) if s.type == "NAME"] == expected


def test_known_values_from_other_documents() -> None:
    spans = Detector().detect("Seen today, doing well.\nokay thanks obinna", {"Obinna Eze": "NAME"})
    assert [s.text for s in spans] == ["obinna"]


@pytest.mark.parametrize(
    ("name", "content", "loader"),
    [
        ("fields.yaml", "version: 2\n", "fields"),
        ("fields.yaml", "version: 1\nfields: {NOPE: [x]}\n", "fields"),
        ("gender.yaml", "version: 1\nbefore: {F: []}\n", "gender"),
    ],
)
def test_broken_context_vocabulary_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, name: str, content: str, loader: str
) -> None:
    from evident.errors import ConfigError
    from evident.privacy import _fields, gender

    monkeypatch.setattr(_fields, "_read", lambda _: content)
    monkeypatch.setattr(gender, "_read", lambda _: content)
    load = _fields._vocab if loader == "fields" else gender._cues
    load.cache_clear()
    try:
        with pytest.raises(ConfigError, match=name):
            load()
    finally:
        load.cache_clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[doctor] went to the emergency department and underwent labs and", []),
        ("seen at urgent care and given fluids", []),
        ("[doctor] referred to copperfield senior care last spring", ["copperfield senior care"]),
        ("Doctor: Ms. al-Masri tolerated the procedure well.", ["al-Masri"]),
        ("Ryota D'Alessandro is a 40-year-old man.", ["Ryota D'Alessandro"]),
    ],
)
def test_run_boundaries(text: str, expected: list[str]) -> None:
    assert [s.text for s in detect(text) if s.type in ("HOSPITAL", "NAME")] == expected
