"""Monitoring metrics from runs with chosen verdicts, actions, weeks and patient slices."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from evident.audit import PatientInfo, open_store
from evident.audit.metrics import percentile
from evident.cli.main import main
from evident.errors import InputError
from tests.audit.factories import make_run

WEEK47 = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # ISO week 2026-W47
WEEK48 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # ISO week 2026-W48


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 50, None),
        ([7.0], 95, 7.0),
        ([1, 2, 3, 4], 50, 2.0),
        ([1, 2, 3, 4, 5], 50, 3.0),
        (list(range(1, 101)), 95, 95.0),
        ([5, 1, 4, 2, 3], 100, 5.0),
        ([10, 20], 0, 10.0),
    ],
)
def test_percentile_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


def _fill(store) -> list[str]:
    """Week 47: 6 offline runs and 2 openai runs; week 48: 5 offline runs."""
    ids = []
    for i in range(6):
        labels = ("supported", "supported", "unsupported", "contradicted")
        run = make_run(labels, created_at=WEEK47, latency_ms=100.0 * (i + 1), omissions=i % 2)
        store.record_run(run, patient=PatientInfo(sex="F" if i < 4 else "M", age=30 + i))
        ids.append(run.id)
    for _ in range(2):
        store.record_run(make_run(("supported",), spec="openai:gpt-4o", created_at=WEEK47))
    for _ in range(5):
        run = make_run(("supported", "no_clinical_content"), created_at=WEEK48, latency_ms=50)
        store.record_run(run)
    return ids


def test_metrics_per_task_model_week(sqlite_url):
    with open_store(sqlite_url) as store:
        ids = _fill(store)
        # On the first run: accept st1, edit then accept st2, reject st3; sign the second.
        store.record_action(ids[0], user="dr.a", statement_id="st1", action="accept")
        store.record_action(ids[0], user="dr.a", statement_id="st2", action="edit", after="x")
        store.record_action(ids[0], user="dr.a", statement_id="st2", action="accept")
        store.record_action(ids[0], user="dr.a", statement_id="st3", action="reject")
        store.record_action(ids[1], user="dr.a", statement_id=None, action="sign")
        table = store.metrics()
    rows = {(r.model, r.week): r for r in table.rows}
    assert list(rows) == [
        ("offline", "2026-W47"),
        ("openai:gpt-4o", "2026-W47"),
        ("offline", "2026-W48"),
    ]
    w47 = rows[("offline", "2026-W47")]
    assert (w47.runs, w47.statements) == (6, 24)
    assert (w47.supported, w47.unsupported, w47.contradicted) == (0.5, 0.25, 0.25)
    assert w47.omissions_per_draft == 0.5
    assert (w47.acceptance_rate, w47.edit_rate, w47.rejection_rate) == (0.6667, 0.3333, 0.3333)
    assert w47.signed_rate == round(1 / 6, 4)
    assert (w47.latency_p50_ms, w47.latency_p95_ms) == (300.0, 600.0)
    small = rows[("openai:gpt-4o", "2026-W47")]
    assert small.suppressed and small.runs is None and small.supported is None
    w48 = rows[("offline", "2026-W48")]
    assert w48.supported == 1.0  # no_clinical_content is not judged
    assert w48.acceptance_rate is None  # nobody reviewed


def test_metrics_slices_and_suppression(sqlite_url):
    with open_store(sqlite_url) as store:
        _fill(store)
        by_sex = store.metrics(by=["sex"], min_cell=3, until=date(2026, 11, 22))
        by_band = store.metrics(by=("sex", "age_band"), min_cell=1, since=date(2026, 11, 18))
    cells = {(r.model, r.sex): r for r in by_sex.rows}
    assert cells[("offline", "female")].runs == 4
    assert cells[("offline", "male")].suppressed  # 2 runs < 3
    assert cells[("openai:gpt-4o", "unknown")].suppressed
    assert all(r.week == "2026-W47" for r in by_sex.rows)  # until excludes week 48
    bands = {(r.week, r.sex, r.age_band): r.runs for r in by_band.rows if r.model == "offline"}
    assert bands == {
        ("2026-W47", "female", "30-44"): 4,
        ("2026-W47", "male", "30-44"): 2,
        ("2026-W48", "unknown", "unknown"): 5,
    }


def test_metrics_rejects_bad_options(sqlite_url):
    with open_store(sqlite_url) as store:
        with pytest.raises(InputError):
            store.metrics(by=["ethnicity"])
        with pytest.raises(InputError):
            store.metrics(min_cell=0)


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_metrics_cli_formats(sqlite_url, capsys, fmt):
    with open_store(sqlite_url) as store:
        _fill(store)
    args = ["metrics", "--db", sqlite_url, "--format", fmt, "--since", "2026-11-16"]
    assert main([*args, "--until", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads(out)
        runs = [(r["model"], r["runs"], r["suppressed"]) for r in data["rows"]]
        assert runs == [("offline", 6, False), ("openai:gpt-4o", None, True)]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [(r["model"], r["runs"]) for r in rows] == [
            ("offline", "6"),
            ("openai:gpt-4o", "<5"),
        ]
        assert rows[1]["supported"] == ""
    else:
        lines = out.splitlines()
        assert lines[0].split()[:4] == ["task", "model", "week", "runs"]
        assert lines[2].split()[:4] == ["scribe", "openai:gpt-4o", "2026-W47", "<5"]
        assert len(lines) == 3


def test_metrics_cli_empty_and_bad_slice(sqlite_url, capsys):
    open_store(sqlite_url).close()  # an empty trail; a missing one is an error
    assert main(["metrics", "--db", sqlite_url]) == 0
    assert "(no runs)" in capsys.readouterr().out
    assert main(["metrics", "--db", sqlite_url, "--by", "race"]) == 2
