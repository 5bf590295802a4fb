"""The audit store's API on SQLite and PostgreSQL: runs, actions, listing, errors."""

from __future__ import annotations

import json
import os
import threading

import pytest
from sqlalchemy import create_engine, text

from evident.audit import PatientInfo, RunNotFound, RunSignedError, open_store
from evident.audit.db import resolve_url
from evident.errors import AuditError, ConfigError, EvidentError, InputError
from tests.audit.factories import make_run


def _raw_payload(url: str, seq: int) -> dict:
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT payload FROM audit_records WHERE seq = :s"), {"s": seq}
            ).one()
        return json.loads(row.payload)
    finally:
        engine.dispose()


def test_record_and_get_run_round_trips(store, db_url):
    run = make_run(("supported", "contradicted"))
    store.record_run(run, user="dr.a", patient=PatientInfo(sex="F", age=47))
    stored = store.get_run(run.id)
    assert stored.run == run
    assert (stored.user, stored.status, stored.seq) == ("dr.a", "draft", 1)
    assert stored.patient == {"sex": "female", "age_band": "45-64"}
    assert [s.label for s in stored.statements.values()] == ["supported", "contradicted"]
    raw = _raw_payload(db_url, 1)
    assert "age" not in raw["patient"]  # only the band is stored
    assert raw["run"]["input_digest"] == run.input_digest


def test_actions_update_statement_states_and_sign_locks(store):
    run = make_run(("supported", "unsupported", "supported"))
    store.record_run(run, user="dr.a")
    store.record_action(run.id, user="dr.a", statement_id="st1", action="accept")
    edit = store.record_action(
        run.id, user="dr.b", statement_id="st2", action="edit", after="Corrected text."
    )
    assert (edit.before, edit.after, edit.seq) == ("Statement number 2.", "Corrected text.", 3)
    store.record_action(run.id, user="dr.b", statement_id="st3", action="reject")
    store.record_action(run.id, user="dr.b", statement_id=None, action="sign")
    stored = store.get_run(run.id)
    states = stored.statements
    assert (states["st1"].decision, states["st1"].by) == ("accepted", "dr.a")
    assert (states["st2"].decision, states["st2"].text, states["st2"].edited) == (
        "edited",
        "Corrected text.",
        True,
    )
    assert states["st2"].original == "Statement number 2."
    assert states["st3"].decision == "rejected"
    assert (stored.status, stored.signed_by) == ("signed", "dr.b")
    assert [a.action for a in stored.actions] == ["accept", "edit", "reject", "sign"]
    with pytest.raises(RunSignedError):
        store.record_action(run.id, user="dr.a", statement_id="st1", action="reject")
    assert store.verify_chain().ok


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"statement_id": "st1", "action": "approve"}, InputError),
        ({"statement_id": "st1", "action": "sign"}, InputError),
        ({"statement_id": None, "action": "accept"}, InputError),
        ({"statement_id": "", "action": "reject"}, InputError),
        ({"statement_id": "st1", "action": "edit"}, InputError),
        ({"statement_id": "st99", "action": "accept"}, InputError),
    ],
)
def test_bad_actions_are_refused(sqlite_url, kwargs, error):
    with open_store(sqlite_url) as store:
        run = make_run()
        store.record_run(run)
        with pytest.raises(error):
            store.record_action(run.id, user="dr.a", **kwargs)
        assert store.head()[0] == 1  # nothing appended


def test_unknown_run_and_duplicate_run(store):
    with pytest.raises(RunNotFound) as info:
        store.get_run("nope")
    assert isinstance(info.value, EvidentError) and isinstance(info.value, LookupError)
    with pytest.raises(RunNotFound):
        store.record_action("nope", user="dr.a", statement_id="st1", action="accept")
    run = make_run()
    store.record_run(run)
    with pytest.raises(AuditError, match="already recorded"):
        store.record_run(run)


def test_list_runs_filters_pages_and_reports_status(store):
    runs = [make_run() for _ in range(5)]
    for i, run in enumerate(runs):
        store.record_run(run, user="dr.a" if i % 2 == 0 else "dr.b")
    store.record_action(runs[0].id, user="dr.a", statement_id=None, action="sign")
    listed = store.list_runs()
    assert [r.run_id for r in listed] == [r.id for r in reversed(runs)]
    assert [r.run_id for r in store.list_runs(user="dr.b")] == [runs[3].id, runs[1].id]
    page = store.list_runs(limit=2, offset=1)
    assert [r.run_id for r in page] == [runs[3].id, runs[2].id]
    first = next(r for r in listed if r.run_id == runs[0].id)
    assert (first.status, first.statements, first.labels) == (
        "signed",
        2,
        {"supported": 1, "unsupported": 1},
    )
    assert (store.count_runs(), store.count_runs(user="dr.b"), store.count_runs(user="x")) == (
        5,
        2,
        0,
    )
    with pytest.raises(InputError):
        store.list_runs(limit=0)


def test_reopen_keeps_chain(db_url):
    run = make_run()
    with open_store(db_url) as store:
        store.record_run(run)
    with open_store(db_url) as again:  # migrations are idempotent
        again.record_action(run.id, user="dr.a", statement_id="st1", action="accept")
        report = again.verify_chain()
    assert (report.ok, report.checked, report.head_seq) == (True, 2, 2)


def test_concurrent_appends_never_fork(db_url):
    stores = [open_store(db_url), open_store(db_url)]  # two engines, two connections
    errors: list[BaseException] = []

    def work(store) -> None:
        try:
            for _ in range(5):
                run = make_run()
                store.record_run(run, user="dr.a")
                store.record_action(run.id, user="dr.a", statement_id="st1", action="accept")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(stores[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = stores[0].verify_chain()
    assert (report.ok, report.checked, report.head_seq) == (True, 40, 40)
    assert len(stores[1].list_runs(limit=100)) == 20
    for s in stores:
        s.close()


@pytest.mark.parametrize(
    ("given", "env", "expected"),
    [
        (None, {"EVIDENT_DB_URL": "sqlite:///x/y.db"}, "sqlite:///x/y.db"),
        (None, {"EVIDENT_HOME": "/tmp/evhome"}, "sqlite:////tmp/evhome/audit.sqlite3"),
        ("postgresql://u:p@h:5432/d", {}, "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u@h/d", {}, "postgresql+psycopg://u@h/d"),
        ("/data/trail.db", {}, "sqlite:////data/trail.db"),
        ("sqlite://", {}, "sqlite://"),
    ],
)
def test_url_resolution(monkeypatch, given, env, expected):
    monkeypatch.delenv("EVIDENT_DB_URL", raising=False)
    monkeypatch.delenv("EVIDENT_HOME", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    chosen = given if given is not None else os.environ.get("EVIDENT_DB_URL")
    url = resolve_url(chosen)
    assert url.render_as_string(hide_password=False) == expected


@pytest.mark.parametrize("bad", ["mysql://u@h/d", "oracle://x", "postgresql://u@h:notaport/d"])
def test_bad_urls_are_config_errors(bad):
    with pytest.raises(ConfigError):
        resolve_url(bad)


def test_unreachable_database_is_one_line_audit_error():
    with pytest.raises(AuditError) as info:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    message = str(info.value)
    assert "secret" not in message and "\n" not in message


@pytest.mark.parametrize(
    ("sex", "age", "expected"),
    [
        ("F", 0, {"sex": "female", "age_band": "0-17"}),
        ("male", 18, {"sex": "male", "age_band": "18-29"}),
        ("Woman", 64, {"sex": "female", "age_band": "45-64"}),
        ("nonbinary", 80, {"sex": "other", "age_band": "80+"}),
        ("zzz", None, {"sex": "other", "age_band": None}),
        (None, 150, {"sex": None, "age_band": "80+"}),
    ],
)
def test_patient_slices(sex, age, expected):
    assert PatientInfo(sex=sex, age=age).slice_record() == expected


@pytest.mark.parametrize("age", [-1, 151])
def test_patient_age_out_of_range(age):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        PatientInfo(age=age)


def test_store_is_an_audit_hook(sqlite_url):
    from evident.audit import AuditHook

    with open_store(sqlite_url) as store:
        hook: AuditHook = store
        hook.record_run(make_run())
        assert store.list_runs()[0].user == "system"


def _script_head() -> str:
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(resources.files("evident.audit") / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_schema_is_migrated_to_head(db_url):
    from evident.audit.db import create_store_engine, current_revision

    engine = create_store_engine(resolve_url(db_url))
    try:
        assert current_revision(engine) is None
        open_store(db_url).close()
        assert current_revision(engine) == _script_head()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("field", "value"),
    [("run_id", "r" * 65), ("user", ""), ("user", "u" * 201), ("task", "t" * 101)],
)
def test_oversized_identifiers_are_refused(store, field, value):
    run = make_run()
    user = "dr.a"
    if field == "run_id":
        run = run.model_copy(update={"id": value})
    elif field == "task":
        run = run.model_copy(update={"task": value})
    else:
        user = value
    with pytest.raises(InputError, match=field):
        store.record_run(run, user=user)
    assert store.head()[0] == 0


def test_concurrent_first_opens_migrate_once(db_url):
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            open_store(db_url).close()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(db_url) as store:
        assert store.head() == (0, "0" * 64)


@pytest.mark.parametrize(
    ("target", "error"),
    [("om1", None), ("om2", None), ("om3", InputError), ("st1", InputError), (None, InputError)],
)
def test_acknowledge_names_an_omission_of_the_run(sqlite_url, target, error):
    with open_store(sqlite_url) as store:
        run = make_run(omissions=2)
        store.record_run(run)
        if error is not None:
            with pytest.raises(error):
                store.record_action(run.id, user="dr.a", statement_id=target, action="acknowledge")
            assert store.head()[0] == 1
            return
        store.record_action(run.id, user="dr.a", statement_id=target, action="acknowledge")
        stored = store.get_run(run.id)
        assert stored.acknowledged == (target,)
        assert all(s.decision == "pending" for s in stored.statements.values())


@pytest.mark.parametrize(
    ("attestation", "clinician"), [("I have reviewed this note.", "Dr A Example"), (None, None)]
)
def test_sign_keeps_the_attestation_and_name(sqlite_url, attestation, clinician):
    with open_store(sqlite_url) as store:
        run = make_run()
        store.record_run(run)
        store.record_action(
            run.id,
            user="dr.a",
            statement_id=None,
            action="sign",
            attestation=attestation,
            clinician=clinician,
        )
        stored = store.get_run(run.id)
        assert (stored.attestation, stored.attested_by) == (attestation, clinician)
        assert (stored.actions[-1].attestation, stored.actions[-1].clinician) == (
            attestation,
            clinician,
        )
        raw = _raw_payload(sqlite_url, 2)  # stored only when given: older records unchanged
        assert ("attestation" in raw) is (attestation is not None)
        assert ("clinician" in raw) is (clinician is not None)
        assert store.verify_chain().ok
