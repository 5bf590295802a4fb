"""Learned section placement: a small naive Bayes over note parts, shipped as data."""

from __future__ import annotations

import pytest

from evident.tasks.scribe.placement import PART_OF, features, load_model, train_model

TRAIN = [
    (features(["crackles", "lung", "base"], "hpi", "doctor"), "exam"),
    (features(["tenderness", "knee", "palpation"], "exam", "doctor"), "exam"),
    (features(["murmur", "heart"], "exam", "doctor"), "exam"),
    (features(["cough", "weeks", "started"], "hpi", "patient"), "history"),
    (features(["pain", "stairs", "weeks"], "hpi", "patient"), "history"),
    (features(["order", "mri", "knee"], "plan", "doctor"), "assessment_plan"),
    (features(["refer", "therapy", "physical"], "plan", "doctor"), "assessment_plan"),
] * 3


@pytest.mark.parametrize(
    ("words", "category", "speaker", "part"),
    [
        (["crackles", "lung"], "hpi", "doctor", "exam"),
        (["cough", "weeks"], "hpi", "patient", "history"),
        (["order", "mri"], "plan", "doctor", "assessment_plan"),
        (["tenderness", "palpation"], "hpi", "doctor", "exam"),
    ],
)
def test_learned_placement(words, category, speaker, part) -> None:
    model = train_model(TRAIN, min_count=2)
    assert model.predict(features(words, category, speaker)) == part


def test_rare_features_are_left_out_of_the_shipped_counts() -> None:
    model = train_model([*TRAIN, (["onlyonce"], "history")], min_count=2)
    assert all("onlyonce" not in c for c in model.counts.values())
    assert model.to_json()["version"] == 1


def test_shipped_model_loads_and_names_known_parts() -> None:
    model = load_model()
    assert model is not None and set(model.prior) <= set(PART_OF.values())
    assert model.predict(features(["heart", "murmur", "lungs", "clear"], "hpi", "doctor")) == "exam"
