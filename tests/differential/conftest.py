"""A small disease-finding table written for the tests (no dataset text)."""

from __future__ import annotations

import pytest

from evident.tasks.differential.table import Condition, Table


def condition(name: str, findings: dict[str, float], **kw: object) -> Condition:
    """A table condition with defaults for what a test does not care about."""
    return Condition(
        name=name,
        names=tuple(sorted({name.lower(), *kw.pop("names", ())})),  # type: ignore[misc]
        common=bool(kw.pop("common", True)),
        sex=kw.pop("sex", None),  # type: ignore[arg-type]
        child=float(kw.pop("child", 0.0)),  # type: ignore[arg-type]
        older=float(kw.pop("older", 0.0)),  # type: ignore[arg-type]
        findings=findings,
        risk=dict(kw.pop("risk", {})),  # type: ignore[call-overload]
        tests=tuple(kw.pop("tests", ())),  # type: ignore[call-overload]
    )


@pytest.fixture(scope="session")
def table() -> Table:
    """Eight conditions with hand-written weights."""
    return Table.of(
        [
            condition(
                "Pneumonia",
                {
                    "fever": 0.5,
                    "cough": 0.5,
                    "productive cough": 0.4,
                    "dyspnea": 0.3,
                    "chills": 0.3,
                },
                tests=("chest x-ray",),
            ),
            condition("Common cold", {"cough": 0.3, "sore throat": 0.5, "nasal congestion": 0.6}),
            condition(
                "Heart attack",
                {"chest pain": 0.7, "dyspnea": 0.3, "diaphoresis": 0.4, "nausea": 0.2},
                names=("myocardial infarction",),
                risk={"smoking": 0.5, "hypertension": 0.5},
            ),
            condition("Pulmonary embolism", {"dyspnea": 0.6, "chest pain": 0.4, "hemoptysis": 0.4}),
            condition("Migraine", {"headache": 0.7, "nausea": 0.4, "vomiting": 0.3}),
            condition("Ovarian cyst", {"abdominal pain": 0.6, "bloating": 0.5}, sex="female"),
            condition("Prostatitis", {"dysuria": 0.6, "fever": 0.2}, sex="male"),
            condition("Kawasaki disease", {"fever": 0.6, "rash": 0.6}, child=0.9),
        ]
    )
