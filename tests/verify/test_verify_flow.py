"""Verify options and entailers end to end: the decision table's deciders in real reports,
the statement-level checker hook, advice, and options flowing from every entry point."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.types import Segment, Source
from evident.verify import check, verify
from evident.verify.decide import CheckResult
from evident.verify.entail import Entailment
from evident.verify.options import VerifyOptions
from tests.support.openai_server import ScriptedServer, start_server

from .conftest import TRANSCRIPT, make_draft, make_transcript


@pytest.fixture(autouse=True)
def no_user_models_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENT_MODELS_FILE", "")


@pytest.mark.parametrize("entailer", ["support", "lexical"])
@pytest.mark.parametrize(
    ("statement", "label", "decided_by"),
    [
        ("She takes ibuprofen 800 mg twice a day.", "contradicted", "check:dose"),
        ("She was started on metformin 500 mg.", "unsupported", "check:drug"),
        ("Her LDL was 130.", "unsupported", "check:lab"),
        # wording decides: the configured entailer (the default is the support model)
        ("Her right knee swells after walking.", "supported", "entail:{entailer}"),
        ("Hello.", "no_clinical_content", "no_clinical_content"),
        ("Tenderness of the left knee.", "contradicted", "check:side"),
    ],
)
def test_every_verdict_names_its_decider(
    statement: str, label: str, decided_by: str, entailer: str
) -> None:
    opts = VerifyOptions(omissions=False, entailer=entailer)
    v = verify(make_draft(statement), [make_transcript(TRANSCRIPT)], options=opts).verdicts[0]
    assert (v.label, v.decided_by) == (label, decided_by.format(entailer=entailer)), v.reason


def test_the_default_entailer_is_the_support_model() -> None:
    assert VerifyOptions().entailer == "support"
    draft = make_draft("Her right knee swells after walking.")
    report = verify(draft, [make_transcript(TRANSCRIPT)], omissions=False)
    assert report.verdicts[0].decided_by == "entail:support"
    assert report.verifier == "rules/2"  # the default is not recorded as a change


def test_a_missing_model_file_falls_back_to_lexical(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from evident.verify import support_model

    monkeypatch.setattr(support_model, "shipped_path", lambda: tmp_path / "absent.json")
    draft = make_draft("Her right knee swells after walking.")
    with caplog.at_level("WARNING", logger="evident.verify.support_model"):
        report = verify(draft, [make_transcript(TRANSCRIPT)], omissions=False)
    assert report.verdicts[0].decided_by == "entail:lexical"
    assert report.verifier == "rules/2+entail:lexical"  # the report says what ran
    assert any("falling back to the lexical entailer" in r.getMessage() for r in caplog.records)


ADVICE_VISIT = """\
[doctor] any fever ?
[patient] no fever .
[doctor] any chest pain or trouble breathing ?
[patient] no .
[doctor] if you get a fever or chest pain , come back to the emergency room right away .
"""


@pytest.mark.parametrize("entailer", ["support", "lexical"])
@pytest.mark.parametrize(
    ("statement", "label", "decided_by"),
    [
        ("Return to the emergency room for new fever.", "supported", "advice"),
        # not contradicted by the denied fever; the dyspnea is nowhere in the visit
        ("ED precautions for fever, chest pain or worsening dyspnea.", "unsupported", "advice"),
        ("Return if fever develops.", "supported", "advice"),
        ("She will call if chest pain develops.", "supported", "advice"),
        # advice the visit never gave: judged on its wording, not waved through
        ("Return if the rash spreads to her face.", "unsupported", "advice"),
        # a claim that the condition exists is still read as one
        ("She reports fever.", "contradicted", "check:finding"),
        ("She denies fever.", "supported", "entail:{entailer}"),
    ],
)
def test_advice_is_not_a_claim_that_its_condition_exists(
    statement: str, label: str, decided_by: str, entailer: str
) -> None:
    """Advice gets the same verdict whichever entailer is configured."""
    opts = VerifyOptions(omissions=False, entailer=entailer)
    report = verify(make_draft(statement), [make_transcript(ADVICE_VISIT)], options=opts)
    v = report.verdicts[0]
    assert (v.label, v.decided_by) == (label, decided_by.format(entailer=entailer)), v.reason


def _fake_polarity(statement: str, candidates: Sequence[Segment], source: Source) -> CheckResult:
    return CheckResult("polarity", "conflict", "transcript denies it", (candidates[0].id,))


def _silent(statement: str, candidates: Sequence[Segment], source: Source) -> None:
    assert source.kind == "transcript" and candidates
    return None


@pytest.mark.parametrize(
    ("checkers", "polarity", "label", "decided_by"),
    [
        ((_silent,), True, "supported", "entail:support"),
        ((_fake_polarity,), True, "contradicted", "check:polarity"),
        ((_silent, _fake_polarity), True, "contradicted", "check:polarity"),
        ((_fake_polarity,), False, "supported", "entail:support"),
    ],
)
def test_statement_checkers_hook(
    monkeypatch: pytest.MonkeyPatch, checkers: tuple, polarity: bool, label: str, decided_by: str
) -> None:
    monkeypatch.setattr(check, "CHECKERS", checkers)
    opts = VerifyOptions(polarity=polarity, omissions=False)
    draft = make_draft("Her right knee swells after walking.")
    v = verify(draft, [make_transcript(TRANSCRIPT)], options=opts).verdicts[0]
    assert (v.label, v.decided_by) == (label, decided_by)


class _Broken:
    name = "broken"

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        raise RuntimeError("model went away")


class _Always:
    name = "always"

    def entail(self, statement: str, evidence: Sequence[Segment]) -> Entailment:
        return Entailment("entailed", 0.9, (evidence[0].id,), "said", "always")


@pytest.mark.parametrize(
    ("entailer", "labels", "errors"),
    [
        # the dose conflict and the missing drug stand whatever the entailer says
        (_Always(), ["contradicted", "unsupported", "supported"], 0),
        # a failing entailer is a finding; the statement is decided on its wording
        (_Broken(), ["contradicted", "unsupported", "supported"], 1),
    ],
)
def test_entailer_never_overrides_checkers_and_its_errors_are_findings(
    entailer: object, labels: list[str], errors: int
) -> None:
    draft = make_draft(
        "She takes ibuprofen 800 mg twice a day.",
        "She was started on metformin 500 mg.",
        "Her right knee swells after walking.",
    )
    report = verify(draft, [make_transcript(TRANSCRIPT)], entailer=entailer, omissions=False)  # type: ignore[arg-type]
    assert [v.label for v in report.verdicts] == labels
    found = [f for f in report.findings if f.kind == "entailer_error"]
    assert len(found) == errors and report.metrics["entailer_errors"] == errors
    assert all("model went away" not in f.message for f in found)  # no text of the error
    assert report.verifier.endswith(f"+entail:{entailer.name}")  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    with start_server([]) as running:
        yield running


def _files(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "visit.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text(
        "Her knee has been bothering her for a couple of weeks.\n"
        "She takes ibuprofen 800 mg twice a day.\n",
        encoding="utf-8",
    )
    return src, note


@pytest.mark.parametrize(
    ("reply", "first", "error"),
    [
        (
            {
                "content": json.dumps(
                    {"label": "entailed", "score": 0.9, "segments": ["u2"], "reason": "u2 says so"}
                )
            },
            ("supported", "entail:llm"),
            False,
        ),
        (
            {
                "content": json.dumps(
                    {"label": "neutral", "score": 0.1, "segments": [], "reason": "not said"}
                )
            },
            ("unsupported", "entail:llm"),
            False,
        ),
        ({"status": 400, "error": "bad request"}, ("supported", "entail:lexical"), True),
    ],
)
def test_cli_llm_entailer_against_a_scripted_server(
    tmp_path: Path, capsys, server: ScriptedServer, reply: dict, first: tuple, error: bool
) -> None:
    server.set_script({"default": reply})
    src, note = _files(tmp_path)
    spec = f"llm:openai-compatible:{server.base_url}#m"
    args = ["verify", "--source", str(src), "--draft", str(note), "--format", "json"]
    assert main([*args, "--entailer", spec, "--no-omissions"]) == 0
    data = json.loads(capsys.readouterr().out)
    st = data["statements"]
    assert (st[0]["verdict"], st[0]["decided_by"]) == first
    assert (st[1]["verdict"], st[1]["decided_by"]) == ("contradicted", "check:dose")
    assert data["verifier"] == f"rules/2+entail:{spec}"
    assert data["omissions"] == []
    assert any(f["kind"] == "entailer_error" for f in data["findings"]) == error
    # the checkers decided the dose: the model was asked about the first statement only
    assert len(server.chat_requests) == 1


@pytest.mark.parametrize(
    ("args", "verifier"),
    [
        ([], "rules/2"),
        (["--entailer", "support"], "rules/2"),
        (["--entailer", "lexical"], "rules/2+entail:lexical"),
        (["--support-threshold", "0.3"], "rules/2+threshold:0.3"),
        (["--support-threshold", "0.4"], "rules/2+threshold:0.4"),  # given, so recorded
        (["--no-polarity"], "rules/2+no-polarity"),
        (["--substitution"], "rules/2+substitution"),
    ],
)
def test_cli_options_are_recorded(tmp_path: Path, capsys, args: list[str], verifier: str) -> None:
    src, note = _files(tmp_path)
    base = ["verify", "--source", str(src), "--draft", str(note), "--format", "json"]
    assert main([*base, *args]) == 0
    assert json.loads(capsys.readouterr().out)["verifier"] == verifier


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entailer", "nope"], "unknown entailer 'nope'"),
        (["--entailer", "llm:offline"], "not 'offline'"),
    ],
)
def test_cli_bad_entailer_is_one_line(
    tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    src, note = _files(tmp_path)
    assert main(["verify", "--source", str(src), "--draft", str(note), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_run_task_passes_verify_options() -> None:
    from evident.pipeline import run_task

    opts = VerifyOptions(support_threshold=0.3, omissions=False)
    run = run_task("scribe", [make_transcript(TRANSCRIPT)], "offline", verify_options=opts)
    assert run.report.verifier == "rules/2+threshold:0.3"
    assert run.report.omissions == ()
    assert all(v.decided_by for v in run.report.verdicts)


def test_server_settings_reach_the_runs(tmp_path) -> None:
    from evident.audit import open_store
    from evident.audit.db import create_store_engine, resolve_url
    from evident.server.jobs import RunManager
    from evident.server.queue import JobQueue

    class Store:
        def __init__(self) -> None:
            self.runs: list = []

        def record_run(self, run: object, **_: object) -> None:
            self.runs.append(run)

        def has_run(self, *_: object) -> bool:
            return False

        def record_failure(self, *_: object, **__: object) -> None:
            pass

    url = f"sqlite:///{tmp_path / 'q.db'}"
    open_store(url).close()  # the queue's table
    store = Store()
    queue = JobQueue(create_store_engine(resolve_url(url)))
    manager = RunManager(
        store, queue, workers=1, verify_options=VerifyOptions(support_threshold=0.5)
    )
    try:
        job = manager.submit(
            user="u",
            task="scribe",
            sources=[make_transcript(TRANSCRIPT)],
            model="offline",
            options={},
        )
        assert manager.wait(job.id, timeout=60).status == "done"
    finally:
        manager.shutdown()
    assert store.runs[0].report.verifier == "rules/2+threshold:0.5"


@pytest.mark.parametrize("command", ["verify", "scribe", "ask", "serve"])
def test_every_verifying_command_takes_the_verify_options(command: str, capsys) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--entailer", "--support-threshold", "--no-omissions", "--no-polarity"):
        assert option in out
    assert "--substitution" in out


def test_scribe_cli_passes_its_verify_options(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evident.pipeline

    seen: list[object] = []
    real = evident.pipeline.run_task

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("verify_options"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evident.pipeline, "run_task", spy)
    src = tmp_path / "visit.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    args = ["scribe", str(src), "--format", "json", "--no-audit", "--support-threshold", "0.3"]
    assert main(args) == 0
    assert seen == [VerifyOptions(support_threshold=0.3)]
