"""Building the disease-finding table from MedQuAD-format rows written for the test."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from evident.errors import ConfigError, InputError
from evident.tasks.differential import load_table, read_case, run_offline
from evident.tasks.differential.build import BuildOptions, build_table, write_table

ROWS = [
    ("Alpha fever", "symptoms", "Alpha fever causes a high fever, chills and a dry cough."),
    ("Alpha fever", "causes", "Alpha fever follows contact with sick birds."),
    ("Alpha fever", "exams and tests", "A blood culture and a chest x-ray confirm it."),
    ("Beta rash (BR)", "symptoms", "Beta rash shows an itchy rash on the arms and a mild fever."),
    (
        "Beta rash (BR)",
        "information",
        "Beta rash, also called red-spot disease, has signs in children.",
    ),
    (
        "Gamma cramps",
        "symptoms",
        "Women have pelvic pain in menstruation; the uterus and ovary hurt.",
    ),
    ("Gamma cramps", "treatment", "Rest helps."),
]


def _medquad(tmp: Path, rows: list[tuple[str, str, str]] = ROWS, source: str = "4_X") -> Path:
    path = tmp / "mq.jsonl"
    lines = [
        json.dumps(
            {"source": source, "url": "", "focus": f, "qtype": q, "question": "", "answer": a}
        )
        for f, q, a in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_table(_medquad(tmp_path_factory.mktemp("mq")), BuildOptions(max_terms=10))


def test_conditions_and_names(built: dict) -> None:
    names = {c["name"]: c for c in built["conditions"]}
    assert set(names) == {"Alpha fever", "Beta rash (BR)", "Gamma cramps"}
    assert "red spot disease" in names["Beta rash (BR)"]["names"]
    assert "br" in names["Beta rash (BR)"]["names"]
    assert "CC BY 4.0" in built["license"] and "MedQuAD" in built["attribution"]


@pytest.mark.parametrize(
    ("condition", "field", "term"),
    [
        ("Alpha fever", "findings", "fever"),
        ("Alpha fever", "findings", "dry cough"),
        ("Alpha fever", "risk", "bird"),
        ("Beta rash (BR)", "findings", "rash"),
        ("Gamma cramps", "findings", "pelvic pain"),
    ],
)
def test_terms_by_role(built: dict, condition: str, field: str, term: str) -> None:
    cond = next(c for c in built["conditions"] if c["name"] == condition)
    assert term in cond[field]


def test_tests_and_demographics(built: dict) -> None:
    conds = {c["name"]: c for c in built["conditions"]}
    assert any("culture" in t or "x" in t for t in conds["Alpha fever"]["tests"])
    assert conds["Gamma cramps"]["demographics"]["sex"] == "female"
    assert conds["Beta rash (BR)"]["demographics"]["child"] > 0


def test_weights_are_unit_length_and_shared_terms_weigh_less(built: dict) -> None:
    for cond in built["conditions"]:
        assert sum(w * w for w in cond["findings"].values()) == pytest.approx(1.0, abs=1e-2)
    alpha = next(c for c in built["conditions"] if c["name"] == "Alpha fever")["findings"]
    assert alpha["fever"] < alpha["cough"]  # fever is shared with beta rash


def test_written_table_is_deterministic_and_loads_as_kb(tmp_path: Path, built: dict) -> None:
    a, b = tmp_path / "a" / "t.json.gz", tmp_path / "b" / "t.json.gz"
    write_table(built, a)
    write_table(built, b)
    assert a.read_bytes() == b.read_bytes()
    table = load_table(a.parent, include_shipped=False)
    assert len(table.conditions) == 3
    diff = run_offline(read_case("A 30 year old man with fever, chills and a dry cough."), table)
    assert diff.differential[0].diagnosis == "Alpha fever"


def test_cache_is_reused(tmp_path: Path) -> None:
    src, cache = _medquad(tmp_path), tmp_path / "cache.jsonl"
    first = build_table(src, cache=cache)
    assert cache.is_file()
    lines = cache.read_text().splitlines()
    assert build_table(src, cache=cache) == first
    assert cache.read_text().splitlines() == lines


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("not json\n", InputError),
        ('{"focus": "x"}\n', InputError),
        ("", InputError),
    ],
)
def test_bad_medquad_input(tmp_path: Path, content: str, error: type[Exception]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(error):
        build_table(path)


@pytest.mark.parametrize(
    "content",
    [b"{}", b'{"version": 1, "conditions": [{"name": "x", "findings": {}}]}', b"\x1f\x8bjunk"],
)
def test_bad_kb_table_is_a_config_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.json").write_bytes(content)
    with pytest.raises(ConfigError):
        load_table(tmp_path, include_shipped=False)


def test_kb_must_be_a_folder_with_tables(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_table(tmp_path / "missing")
    with pytest.raises(InputError):
        load_table(tmp_path)
    assert gzip  # gzip tables are read too (see the deterministic test)


@pytest.mark.parametrize(
    ("answer", "names", "not_names"),
    [
        ("The infection is called delta otitis. It hurts.", {"delta otitis"}, set()),
        ("It is also known as red ear or hot ear.", {"red ear", "hot ear"}, set()),
        ("Often it is called a benign lump.", set(), {"a benign lump", "benign lump"}),
        ("A doctor uses a tool called an otoscope.", set(), {"an otoscope", "otoscope"}),
        (
            "It is sometimes called pre-ear syndrome - a rare form.",
            {"pre ear syndrome"},
            {"pre"},
        ),
    ],
)
def test_other_names_from_the_answer(answer: str, names: set[str], not_names: set[str]) -> None:
    from evident.tasks.differential.build import _other_names
    from evident.tasks.differential.terms import normalise_name

    found = {normalise_name(n) for n in _other_names("Delta ear", answer)}
    assert names <= found
    assert not (not_names & found)


@pytest.mark.parametrize(("all_information", "present"), [(True, True), (False, False)])
def test_information_answers_without_symptom_talk(
    tmp_path: Path, all_information: bool, present: bool
) -> None:
    rows = [
        *ROWS,
        ("Epsilon itch", "information", "Epsilon itch makes itchy red bumps on the skin."),
    ]
    table = build_table(_medquad(tmp_path, rows), BuildOptions(all_information=all_information))
    assert ("Epsilon itch" in {c["name"] for c in table["conditions"]}) is present


@pytest.mark.parametrize(
    ("answer", "finding", "present"),
    [
        # A negator opening a verbless fragment holds what follows it.
        ("Delta ache brings a stiff neck. No leg swelling or chest pain.", "swelling", False),
        ("Delta ache brings a stiff neck. No leg swelling or chest pain.", "chest pain", False),
        ("Delta ache brings a stiff neck and leg swelling.", "swelling", True),
        # A contrast ends a coordination's denial.
        ("Delta ache brings a stiff neck, no fever but a productive cough.", "cough", True),
        ("Delta ache brings a stiff neck, no fever but a productive cough.", "fever", False),
    ],
)
def test_findings_read_shorthand_negation_as_cases_are(
    tmp_path: Path, answer: str, finding: str, present: bool
) -> None:
    table = build_table(_medquad(tmp_path, [*ROWS, ("Delta ache", "symptoms", answer)]))
    delta = next(c for c in table["conditions"] if c["name"] == "Delta ache")
    assert (finding in delta["findings"]) is present


def test_cache_of_an_older_reading_is_parsed_again(tmp_path: Path) -> None:
    src, cache = _medquad(tmp_path), tmp_path / "cache.jsonl"
    build_table(src, cache=cache)
    lines = cache.read_text().splitlines()
    stamp = json.loads(lines[0])
    stale = [{"focus": "Stale", "source": "4_X", "role": "findings", "qtype": "symptoms"}]
    old = [json.dumps({**stamp, "version": stamp["version"] - 1}), json.dumps(stale[0])]
    cache.write_text("\n".join(old) + "\n")
    table = build_table(src, cache=cache)
    assert "Stale" not in {c["name"] for c in table["conditions"]}
    assert json.loads(cache.read_text().splitlines()[0]) == stamp
