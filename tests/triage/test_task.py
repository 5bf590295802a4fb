"""The triage task, the model merge, the protocol files' validation and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from evident.cli.main import cli
from evident.errors import ConfigError, InputError
from evident.models.offline import OfflineBackend
from evident.pipeline import run_task
from evident.sources import load_source
from evident.tasks import available_tasks, load_task
from evident.tasks.triage import TriageTask, load_protocols, triage_text
from evident.tasks.triage.protocols import Protocols

from .conftest import FakeBackend

EMERGENCY = "Crushing chest pain going down my left arm, sweating."
SELF_CARE = "I have a runny nose and a scratchy throat. No fever."


def test_registered_as_plugin() -> None:
    assert "triage" in available_tasks()
    assert isinstance(load_task("triage"), TriageTask)


@pytest.mark.parametrize(
    ("text", "answer", "urgency", "n_flags"),
    [
        # the model may raise the class ...
        (SELF_CARE, {"urgency": "urgent", "red_flags": []}, "urgent", 0),
        # ... but never lower an offline red flag
        (EMERGENCY, {"urgency": "self_care", "red_flags": []}, "emergency", 2),
        # a model flag quoting the message is added
        (
            SELF_CARE,
            {
                "urgency": "routine",
                "red_flags": [{"finding": "throat", "quote": "scratchy throat"}],
            },
            "routine",
            1,
        ),
        # a model flag whose quote is not in the message is dropped
        (
            SELF_CARE,
            {"urgency": "routine", "red_flags": [{"finding": "x", "quote": "chest pain"}]},
            "routine",
            0,
        ),
    ],
)
def test_model_merge(text: str, answer: dict, urgency: str, n_flags: int) -> None:
    backend = FakeBackend(answer)
    result, usage = triage_text(text, backend)  # type: ignore[arg-type]
    assert result.urgency == urgency
    assert len(result.red_flags) == n_flags
    assert result.model == "model-1b" and usage.calls == 1
    assert all(f.quote in text for f in result.red_flags)
    assert text in backend.requests[0].messages[-1].content


def test_pipeline_run_and_check() -> None:
    source = load_source(EMERGENCY, kind="note", name="message")
    run = run_task("triage", [source], OfflineBackend(), {})
    assert run.draft.meta["triage"]["urgency"] == "emergency"
    assert set(run.draft.meta["triage"]) == {"urgency", "red_flags", "advice", "model"}
    assert [v.label for v in run.report.verdicts] == ["supported"] * len(run.draft.statements)
    assert all(st.citations for st in run.draft.statements)


@pytest.mark.parametrize(("options", "error"), [({"x": 1}, InputError)])
def test_bad_options(options: dict, error: type) -> None:
    source = load_source(SELF_CARE, kind="note", name="message")
    with pytest.raises(error):
        TriageTask().draft([source], OfflineBackend(), options)


def _broken(mutate) -> dict:
    data = yaml.safe_load(yaml.safe_dump(load_protocols().model_dump(by_alias=True)))
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["findings"][0]["with"].append({"findings": ["nope"], "urgency": "urgent"}),
        lambda d: d["findings"][0]["patterns"].append("(unclosed"),
        lambda d: d["findings"][0]["patterns"].append("{nospelling}"),
        lambda d: d.update(urgencies=["routine", "urgent"]),
        lambda d: d["findings"].append(dict(d["findings"][0])),
        lambda d: d["findings"][0].update(mild="emergency"),
        lambda d: d["modifiers"].pop("mild"),
    ],
)
def test_invalid_protocols_are_rejected(mutate) -> None:
    with pytest.raises(ValueError):
        Protocols.model_validate(_broken(mutate))


def test_packaged_protocols_validate() -> None:
    assert Protocols.model_validate(_broken(lambda d: None)).findings


@pytest.mark.parametrize(
    ("text", "fmt", "expect"),
    [
        (EMERGENCY, "json", "emergency"),
        (SELF_CARE, "json", "self_care"),
        (EMERGENCY, "text", "Urgency: EMERGENCY"),
        (SELF_CARE, "text", "Red flags: none found"),
    ],
)
def test_cli(tmp_path: Path, text: str, fmt: str, expect: str) -> None:
    path = tmp_path / "message.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["triage", str(path), "--format", fmt, "--no-audit"])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert set(data) == {"urgency", "red_flags", "advice", "model"}
        assert data["urgency"] == expect and data["model"] == "offline"
        assert all(f["quote"] in text and set(f) == {"finding", "quote"} for f in data["red_flags"])
    else:
        assert expect in result.output


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    from evident.cli.main import main

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["triage", str(empty), "--no-audit"]) == 2
    assert main(["triage", str(tmp_path / "missing.txt"), "--no-audit"]) == 2


def test_loading_a_missing_resource_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from evident.tasks.triage import protocols

    monkeypatch.setattr(protocols, "_read", lambda name: {"version": 1})
    protocols.load_protocols.cache_clear()
    try:
        with pytest.raises(ConfigError):
            protocols.load_protocols()
    finally:
        protocols.load_protocols.cache_clear()


@pytest.mark.parametrize(
    ("content", "code", "expect"),
    [
        (
            "version: 1\ncases:\n  - {id: a, urgency: emergency, text: 'cant breathe'}\n"
            "  - {id: b, urgency: self_care, text: 'mild sunburn'}\n",
            0,
            "emergencies classed emergency: 1/1; self-care classed above routine: 0/1",
        ),
        ("version: 1\ncases: []\n", 2, "not a triage case file"),
        ("cases:\n  - {id: a, urgency: soon, text: x}\n", 2, "not a triage case file"),
    ],
)
def test_bench_triage(tmp_path: Path, content: str, code: int, expect: str, capsys) -> None:
    from evident.cli.main import main

    path = tmp_path / "cases.yaml"
    path.write_text(content, encoding="utf-8")
    assert main(["bench", "triage", str(path)]) == code
    out = capsys.readouterr()
    assert expect in out.out + out.err
