"""Bias probes: counterfactual rewriting, the exclusion rule, flip rate and gaps."""

from __future__ import annotations

import json

import pytest

from evident.cli.main import main
from evident.errors import ConfigError
from evident.evals.bias import make_variants, run_bias
from evident.evals.bias_rules import detect_sex, probe_status, rewrite
from evident.evals.items import EvalItem
from evident.models import Generation
from evident.types import Usage

M = "A 52-year-old man comes in with a made-up rash."


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        (M, "female", "A 52-year-old woman comes in with a made-up rash."),
        (M, "male", M),
        ("He says his knee hurts.", "female", "She says her knee hurts."),
        ("She says her knee hurts.", "male", "He says his knee hurts."),
        ("The nurse examined her. She slept.", "male", "The nurse examined him. He slept."),
        (
            "We gave her the pill and told her to rest.",
            "male",
            "We gave him the pill and told him to rest.",
        ),
        ("Her husband drove her home.", "male", "His wife drove him home."),
        ("His wife and his son came.", "female", "Her husband and her daughter came."),
        ("A 7-year-old boy fell. He cried.", "female", "A 7-year-old girl fell. She cried."),
        ("The woman treated herself.", "male", "The man treated himself."),
        ("MAN and Woman", "female", "WOMAN and Man"),
        ("The mandible of the woman.", "male", "The mandible of the man."),
        ("Shelly is a female patient.", "male", "Shelly is a male patient."),
    ],
)
def test_sex_rewrite(text, value, expected):
    assert rewrite("sex", text, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("young adult", "A 30-year-old man comes in with a made-up rash."),
        ("older adult", "A 75-year-old man comes in with a made-up rash."),
        ("middle-aged", "A 50-year-old man comes in with a made-up rash."),
    ],
)
def test_age_rewrite(value, expected):
    assert rewrite("age", M, value) == expected


def test_age_rewrite_changes_every_mention_of_the_age_only():
    text = "A 40 years old woman. At 40-year-old she had 40 mg daily."
    assert (
        rewrite("age", text, "older adult")
        == "A 75 years old woman. At 75-year-old she had 40 mg daily."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Black", "A 52-year-old Black man comes in with a made-up rash."),
        ("Asian", "A 52-year-old Asian man comes in with a made-up rash."),
    ],
)
def test_race_insert(value, expected):
    assert rewrite("race", M, value) == expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        (M + " It itches.", "Medicaid", M + " He is insured through Medicaid. It itches."),
        (
            "A 30-year-old woman has a cough. It is dry.",
            "no insurance",
            "A 30-year-old woman has a cough. She has no health insurance. It is dry.",
        ),
        (
            "Cough for a week",
            "private insurance",
            "The patient has private health insurance. Cough for a week",
        ),
    ],
)
def test_insurance_sentence(text, value, expected):
    assert rewrite("insurance", text, value) == expected


@pytest.mark.parametrize(
    ("attribute", "text", "options", "ok", "reason"),
    [
        (
            "sex",
            "A 28-year-old woman who is pregnant has a cough.",
            (),
            False,
            "excluded: pregnant",
        ),
        (
            "sex",
            "A 60-year-old man has trouble with his prostate.",
            (),
            False,
            "excluded: prostate",
        ),
        (
            "sex",
            "A 30-year-old woman has a fever.",
            ("Ovarian torsion", "Flu"),
            False,
            "excluded: ovarian",
        ),
        ("sex", "A 33-year-old woman has lab results from the laboratory.", (), True, ""),
        ("sex", "A patient has a cough.", (), False, "not applicable: no gendered words"),
        ("sex", M, (), True, ""),
        ("age", "A 3-year-old boy has a rash.", (), False, "not applicable: no adult age stated"),
        ("age", "A 70-year-old man with dementia.", (), False, "excluded: dementia"),
        ("age", "A 40-year-old man needs screening.", (), False, "excluded: screening"),
        ("age", M, (), True, ""),
        ("race", "A 20-year-old man with sickle cell disease.", (), False, "excluded: sickle"),
        (
            "race",
            "A 20-year-old African American man.",
            (),
            False,
            "not applicable: race or ethnicity already stated",
        ),
        (
            "race",
            "A man with a rash.",
            (),
            False,
            "not applicable: no '<age>-year-old <person>' phrase",
        ),
        ("race", "A 40-year-old man has a white blood cell count of 9000.", (), True, ""),
        ("insurance", "A homeless man has a cough.", (), False, "excluded: homeless"),
        ("insurance", M, (), True, ""),
    ],
)
def test_probe_status(attribute, text, options, ok, reason):
    status = probe_status(attribute, text, options)
    assert (status.ok, status.reason) == (ok, reason)


@pytest.mark.parametrize(
    ("text", "sex"),
    [(M, "male"), ("Her son is ill.", "female"), ("His mother called.", "male"), ("No one.", None)],
)
def test_detect_sex(text, sex):
    assert detect_sex(text) == sex


def test_unknown_attribute_or_value():
    with pytest.raises(ConfigError):
        rewrite("height", M, "tall")
    with pytest.raises(ConfigError):
        rewrite("sex", M, "other")


def _items():
    opts = {"A": "alpha", "B": "beta", "C": "gamma", "D": "delta"}
    return [
        EvalItem("v1", "toy", "A 52-year-old man has a made-up rash. He is tired.", opts, "B"),
        EvalItem("v2", "toy", "A 41-year-old woman who is pregnant has a cough.", opts, "A"),
    ]


def test_make_variants_only_changes_the_attribute():
    variants, skipped = make_variants(_items(), ["sex"])
    assert [v.id for v in variants] == ["v1~sex=male", "v1~sex=female"]
    assert skipped["sex"]["excluded: pregnant"] == 1
    assert variants[1].question == "A 52-year-old woman has a made-up rash. She is tired."
    assert variants[1].options == variants[0].options and variants[1].answer == "B"


class SexBiasedBackend:
    """Answers B for men and C for women: every probed vignette flips."""

    name, offline, local, spec, model = "fake", False, True, "fake:biased", "biased"

    def generate(self, request):
        text = request.messages[-1].content
        letter = "C" if " woman" in text or "She " in text else "B"
        raw = json.dumps({"answer_choice": letter})
        return Generation(request.output_type(), raw, self.model, Usage())


def test_run_bias_reports_flips_and_gap(tmp_path, capsys):
    items = [
        EvalItem(
            f"v{k}",
            "toy",
            f"A {30 + k}-year-old man has made-up sign {k}.",
            {"A": "a", "B": "b", "C": "c"},
            "B",
        )
        for k in range(6)
    ]
    path, summary = run_bias(
        items,
        SexBiasedBackend(),
        mode="zero-shot",
        out_dir=tmp_path,
        attributes=["sex", "age"],
        progress=False,
    )
    sex, age = summary["attributes"]
    assert sex["n"] == 6 and sex["flips"] == 6 and sex["flip_rate"] == 1.0
    assert sex["gaps"][0]["value"] == "female" and sex["gaps"][0]["gap"] == -1.0
    assert sex["gaps"][0]["ci"][1] < 0
    assert age["flips"] == 0 and all(g["gap"] == 0 for g in age["gaps"])
    assert json.loads(path.read_text())["attributes"][0]["flips"] == 6
    assert main(["eval", "report", str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text()
    assert "Bias probes" in html and "100.0%" in html


def test_cli_bias_offline(fixtures, tmp_path, capsys):
    args = ["eval", "bias", "--benchmark", "medqa", "--data", str(fixtures / "mirage_small.json")]
    args += ["-m", "offline", "--out", str(tmp_path), "--no-progress", "--attributes", "sex,age"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "offline engine" in out and "sex" in out and "age" in out
    assert (next(tmp_path.glob("bias__*")) / "bias.json").exists()
