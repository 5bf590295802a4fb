"""CMS125, CMS130, CMS124 and CMS349 on patients written for these tests.

The published content has no test cases for these four measures, and lacks the
expansions of some of their value sets. The fixture content links the shared CQL, Measure
and expanded value sets, and supplements each missing expansion (in
``vocabulary/valueset/local/``) with one made-up code, so every branch of each measure's
logic can be exercised; codes of the present value sets are read from the content.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from evident.caregaps import Content, Record, evaluate_measures, load_content, measurement_period
from tests.caregaps.conftest import ECQM
from tests.conftest import require_or_skip

TEST_SYSTEM = "http://example.org/test-codes"
VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
MP = measurement_period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    require_or_skip(ECQM.is_dir(), "EVIDENT_REQUIRE_DATASETS", f"no eCQM content under {ECQM}")
    root = tmp_path_factory.mktemp("content")
    (root / "cql").symlink_to(ECQM / "cql")
    (root / "resources").symlink_to(ECQM / "resources")
    (root / "vocabulary" / "valueset").mkdir(parents=True)
    (root / "vocabulary" / "valueset" / "external").symlink_to(
        ECQM / "vocabulary/valueset/external"
    )
    local = root / "vocabulary" / "valueset" / "local"
    local.mkdir()
    present = {
        p.stem.removeprefix("valueset-")
        for p in (ECQM / "vocabulary/valueset/external").glob("*.json")
    }
    for cql in (ECQM / "cql").glob("*.cql"):
        for name, url in re.findall(
            r"^valueset \"([^\"]+)\": '([^']+)'", cql.read_text(encoding="utf-8"), re.M
        ):
            oid = url.rsplit("/", 1)[-1]
            if oid not in present:
                contains = [{"system": TEST_SYSTEM, "code": name}]
                vs = {"resourceType": "ValueSet", "url": url, "expansion": {"contains": contains}}
                (local / f"valueset-{oid}.json").write_text(json.dumps(vs), encoding="utf-8")
    return load_content(root)


def code(content: Content, library: str, valueset: str) -> dict[str, Any]:
    system, value = sorted(content.library(library).vs(valueset))[0]
    return {"coding": [{"system": system, "code": value}]}


def patient(birth: str, sex: str | None = "248152002", **extra: Any) -> dict[str, Any]:
    ext = (
        [{"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex", "valueCode": sex}]
        if sex
        else []
    )
    return {"resourceType": "Patient", "id": "p", "birthDate": birth, "extension": ext, **extra}


def encounter(
    content: Content, library: str, valueset: str, start: str = "2026-03-01T09:00:00Z"
) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": "e1",
        "status": "finished",
        "type": [code(content, library, valueset)],
        "period": {"start": start, "end": start.replace("09:00", "09:30")},
    }


def observation(
    rid: str, concept: dict[str, Any], when: str, category: str = "laboratory", value: bool = True
) -> dict[str, Any]:
    obs = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": category,
                    }
                ]
            }
        ],
        "code": concept,
        "effectiveDateTime": when,
    }
    if value:
        obs["valueCodeableConcept"] = {"text": "result"}
    return obs


def procedure(rid: str, concept: dict[str, Any], when: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Procedure",
        "id": rid,
        "status": "completed",
        "code": concept,
        "performedDateTime": when,
        **extra,
    }


def condition(rid: str, concept: dict[str, Any], onset: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": rid,
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": concept,
        "onsetDateTime": onset,
        **extra,
    }


def populations(
    content: Content, cms: str, resources: list[dict[str, Any]]
) -> tuple[dict[str, int], bool]:
    result = evaluate_measures(Record(resources), content, [cms], MP)[0]
    return result.populations, result.gap


def t(name: str) -> dict[str, Any]:
    """A made-up code of a value set the published content lacks."""
    return {"coding": [{"system": TEST_SYSTEM, "code": name}]}


AOE = "AdultOutpatientEncounters"


@pytest.mark.parametrize(
    ("case", "expected", "gap"),
    [
        ("screened", (1, 1, 0, 1), False),
        ("no mammogram", (1, 1, 0, 0), True),
        ("mammogram Oct 1 two years prior", (1, 1, 0, 1), False),
        ("mammogram Sep 30 two years prior", (1, 1, 0, 0), True),
        ("mammogram not imaging", (1, 1, 0, 0), True),
        ("male", (0, 0, 0, 0), False),
        ("age 41", (0, 0, 0, 0), False),
        ("age 74", (1, 1, 0, 0), True),
        ("bilateral mastectomy", (1, 1, 1, 0), False),
        ("right and left mastectomy", (1, 1, 1, 0), False),
        ("right mastectomy only", (1, 1, 0, 0), True),
        ("unspecified laterality right + left procedure", (1, 1, 1, 0), False),
    ],
)
def test_cms125(content: Content, case: str, expected: tuple[int, ...], gap: bool) -> None:
    birth = {"age 41": "1985-01-01", "age 74": "1952-06-01"}.get(case, "1966-05-05")
    res: list[dict[str, Any]] = [patient(birth, "248153007" if case == "male" else "248152002")]
    res.append(encounter(content, AOE, "Office Visit"))
    mammo = {
        "screened": "2025-11-01",
        "mammogram Oct 1 two years prior": "2024-10-01",
        "mammogram Sep 30 two years prior": "2024-09-30",
    }
    if case in mammo:
        res.append(observation("m1", t("Mammography"), mammo[case], category="imaging"))
    if case == "mammogram not imaging":
        res.append(observation("m1", t("Mammography"), "2025-11-01", category="laboratory"))
    if case == "bilateral mastectomy":
        res.append(procedure("x1", t("Bilateral Mastectomy"), "2010-01-01"))
    if case in {"right and left mastectomy", "right mastectomy only"}:
        res.append(procedure("x1", t("Unilateral Mastectomy Right"), "2010-01-01"))
    if case in {"right and left mastectomy", "unspecified laterality right + left procedure"}:
        res.append(procedure("x2", t("Unilateral Mastectomy Left"), "2011-01-01"))
    if case == "unspecified laterality right + left procedure":
        right = {"coding": [{"system": "http://snomed.info/sct", "code": "24028007"}]}
        res.append(
            condition(
                "d1",
                t("Unilateral Mastectomy, Unspecified Laterality"),
                "2012-01-01",
                bodySite=[right],
            )
        )
    pops, is_gap = populations(content, "CMS125", res)
    assert tuple(pops.values()) == expected
    assert is_gap is gap


@pytest.mark.parametrize(
    ("case", "numerator", "excluded"),
    [
        ("nothing", 0, 0),
        ("colonoscopy 9 years before", 1, 0),
        ("colonoscopy 10 years before", 0, 0),
        ("FOBT this year", 1, 0),
        ("FOBT last year", 0, 0),
        ("FOBT without value", 0, 0),
        ("sDNA 2 years before", 1, 0),
        ("sigmoidoscopy 4 years before", 1, 0),
        ("CT colonography 4 years before", 1, 0),
        ("total colectomy", 0, 1),
        ("colon cancer", 0, 1),
    ],
)
def test_cms130(content: Content, case: str, numerator: int, excluded: int) -> None:
    res: list[dict[str, Any]] = [patient("1970-01-01"), encounter(content, AOE, "Office Visit")]
    add = {
        "colonoscopy 9 years before": procedure("s", t("Colonoscopy"), "2017-01-01"),
        "colonoscopy 10 years before": procedure("s", t("Colonoscopy"), "2016-12-31"),
        "FOBT this year": observation("s", t("Fecal Occult Blood Test (FOBT)"), "2026-05-01"),
        "FOBT last year": observation("s", t("Fecal Occult Blood Test (FOBT)"), "2025-12-31"),
        "FOBT without value": observation(
            "s", t("Fecal Occult Blood Test (FOBT)"), "2026-05-01", value=False
        ),
        "sDNA 2 years before": observation("s", t("sDNA FIT Test"), "2024-01-01"),
        "sigmoidoscopy 4 years before": procedure("s", t("Flexible Sigmoidoscopy"), "2022-01-01"),
        "CT colonography 4 years before": observation(
            "s", t("CT Colonography"), "2022-01-01", category="imaging"
        ),
        "total colectomy": procedure("s", t("Total Colectomy"), "2015-01-01"),
        "colon cancer": condition("s", t("Malignant Neoplasm of Colon"), "2014-01-01"),
    }
    if case in add:
        res.append(add[case])
    pops, is_gap = populations(content, "CMS130", res)
    assert (pops["initial-population"], pops["denominator-exclusion"], pops["numerator"]) == (
        1,
        excluded,
        numerator,
    )
    assert is_gap is (not numerator and not excluded)


@pytest.mark.parametrize(
    ("birth", "case", "expected"),
    [
        ("1996-01-01", "Pap 2 years before", (1, 1, 0, 1)),
        ("1996-01-01", "Pap 3 years before", (1, 1, 0, 0)),
        ("1990-01-01", "HPV at 32", (1, 1, 0, 1)),
        ("1996-06-01", "HPV at 29", (1, 1, 0, 0)),
        ("1996-01-01", "hysterectomy", (1, 1, 1, 0)),
        ("2003-01-01", "nothing", (0, 0, 0, 0)),  # 23 at the end of the period
        ("1962-01-01", "nothing", (0, 0, 0, 0)),  # 64 -> in; 1961 would be 65
    ],
)
def test_cms124(content: Content, birth: str, case: str, expected: tuple[int, ...]) -> None:
    res: list[dict[str, Any]] = [
        patient(birth),
        encounter(content, "CMS124FHIRCervicalCancerScreening", "Office Visit"),
    ]
    add = {
        "Pap 2 years before": observation("s", t("Pap Test"), "2024-01-01"),
        "Pap 3 years before": observation("s", t("Pap Test"), "2023-12-31"),
        "HPV at 32": observation("s", t("HPV Test"), "2022-06-01"),
        "HPV at 29": observation("s", t("HPV Test"), "2026-03-01"),
        "hysterectomy": procedure("s", t("Hysterectomy with No Residual Cervix"), "2020-01-01"),
    }
    if case in add:
        res.append(add[case])
    pops, _ = populations(content, "CMS124", res)
    if birth == "1962-01-01":
        expected = (1, 1, 0, 0)
    assert tuple(pops.values()) == expected


@pytest.mark.parametrize(
    ("birth", "case", "expected"),
    [
        ("1990-01-01", "tested at 30", {"numerator": 1}),
        ("1990-01-01", "nothing", {"numerator": 0}),
        ("2008-06-01", "tested at 14", {"numerator": 0}),
        ("1990-01-01", "HIV before the period", {"denominator-exclusion": 1, "numerator": 0}),
        ("1990-01-01", "HIV refuted", {"denominator-exclusion": 0}),
        ("1990-01-01", "died in the period", {"denominator-exception": 1}),
        ("1960-01-01", "nothing", {"initial-population": 0}),  # 66 at the start of the period
    ],
)
def test_cms349(content: Content, birth: str, case: str, expected: dict[str, int]) -> None:
    hiv_test = code(
        content,
        "CMS349FHIRHIVScreening",
        "Human Immunodeficiency Virus (HIV) Laboratory Test Codes (Ab and Ag)",
    )
    hiv = code(content, "CMS349FHIRHIVScreening", "HIV")
    person = (
        patient(birth, deceasedDateTime="2026-05-01")
        if case == "died in the period"
        else patient(birth)
    )
    res: list[dict[str, Any]] = [
        person,
        encounter(content, "CMS349FHIRHIVScreening", "Office Visit"),
    ]
    add = {
        "tested at 30": observation("s", hiv_test, "2020-06-01"),
        "tested at 14": observation("s", hiv_test, "2022-06-01"),
        "HIV before the period": condition("s", hiv, "2025-01-01"),
        "HIV refuted": condition(
            "s",
            hiv,
            "2025-01-01",
            verificationStatus={"coding": [{"system": VER, "code": "refuted"}]},
        ),
    }
    if case in add:
        res.append(add[case])
    pops, _ = populations(content, "CMS349", res)
    for key, value in expected.items():
        assert pops[key] == value, key


MID_YEAR = measurement_period(date(2025, 7, 1), date(2026, 6, 30))


@pytest.mark.parametrize(
    ("birth", "case", "expected"),
    [
        # A partial date is the range it denotes: a window is met only by all of it.
        ("1970-01-01", "FOBT 2026-03", (1, 0, 1)),
        ("1970-01-01", "FOBT 2026", (1, 0, 0)),  # January to June in, July on out: unknown
        ("1970-01-01", "FOBT 2025-06", (1, 0, 0)),
        ("1970-01-01", "colonoscopy 2016-07", (1, 0, 1)),
        ("1970-01-01", "colectomy 2026", (1, 0, 0)),  # may have been after the period
        ("1970-01-01", "colectomy 2026-06", (1, 1, 0)),
        ("1951", "nothing", (1, 0, 0)),  # 74 or 75 at the end: in 46-75 either way
        ("1980", "nothing", (0, 0, 0)),  # 45 or 46: unknown, not in the population
        ("1980-01", "nothing", (1, 0, 0)),  # 46 whatever the day of January
    ],
)
def test_cms130_partial_dates(
    content: Content, birth: str, case: str, expected: tuple[int, int, int]
) -> None:
    add = {
        "FOBT 2026-03": observation("s", t("Fecal Occult Blood Test (FOBT)"), "2026-03"),
        "FOBT 2026": observation("s", t("Fecal Occult Blood Test (FOBT)"), "2026"),
        "FOBT 2025-06": observation("s", t("Fecal Occult Blood Test (FOBT)"), "2025-06"),
        "colonoscopy 2016-07": procedure("s", t("Colonoscopy"), "2016-07"),
        "colectomy 2026": procedure("s", t("Total Colectomy"), "2026"),
        "colectomy 2026-06": procedure("s", t("Total Colectomy"), "2026-06"),
    }
    res = [patient(birth), encounter(content, AOE, "Office Visit", "2025-09-01T09:00:00Z")]
    res += [add[case]] if case in add else []
    result = evaluate_measures(Record(res), content, ["CMS130"], MID_YEAR)[0]
    pops = result.populations
    got = (pops["initial-population"], pops["denominator-exclusion"], pops["numerator"])
    assert got == expected
