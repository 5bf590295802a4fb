"""``evident bench chart`` and ``evident bench caregaps``: figures on data you point at.

``bench chart DIR`` runs the whole offline chart pipeline (parse, draft, verify, fact
check) on every FHIR Bundle in DIR and reports parse success, verdicts, how much of each
record the summary names (read from the Bundle JSON itself, :mod:`evident.tasks.chart.
coverage`) and seconds per patient. Patients are split by their sorted position: the
first ``--dev`` files were read while building the engine (development), the rest are
held out; the table reports both and never lists a held-out miss.

``bench caregaps CONTENT`` reproduces every test case under ``CONTENT/tests/measure`` and
prints the share of cases whose population counts match the expected MeasureReport.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from evident.errors import InputError

__all__ = ["chart_rows", "register"]

_KINDS = ("condition", "medication", "allergy", "abnormal")


def chart_rows(files: list[Path], verify: bool = True) -> list[dict[str, Any]]:
    """One row of figures per Bundle (parse failures are rows with ``ok`` false)."""
    from evident.pipeline import run_task
    from evident.privacy.hooks import NoPrivacy
    from evident.sources import read_source
    from evident.tasks.chart import chart_record, write_chart
    from evident.tasks.chart.coverage import summary_coverage

    rows: list[dict[str, Any]] = []
    for path in tqdm(files, desc="patients", disable=not sys.stderr.isatty(), leave=False):
        start = time.perf_counter()
        try:
            source = read_source(path, kind="fhir")
        except InputError:
            rows.append({"ok": False})
            continue
        record = chart_record([source])
        if verify:
            run = run_task("chart", [source], "offline", {}, privacy=NoPrivacy())
            statements = run.draft.statements
            labels = Counter[str](v.label for v in run.report.verdicts)
        else:
            statements = tuple(st for s in write_chart(record) for st in s.statements)
            labels = Counter[str]()
        seconds = time.perf_counter() - start
        text = "\n".join(st.text for st in statements)
        bundle = json.loads(path.read_text(encoding="utf-8"))
        coverage = summary_coverage(bundle, text, record.as_of)
        resolvable = all(c in record.by_ref for st in statements for c in st.citations)
        rows.append(
            {
                "ok": True,
                "seconds": seconds,
                "statements": len(statements),
                "labels": labels,
                "resolvable": resolvable,
                "expected": {k: len(coverage.expected[k]) for k in _KINDS},
                "missed": {k: len(coverage.missed[k]) for k in _KINDS},
            }
        )
    return rows


def _summary(name: str, rows: list[dict[str, Any]]) -> list[str]:
    ok = [r for r in rows if r["ok"]]
    labels: Counter[str] = Counter()
    for r in ok:
        labels.update(r["labels"])
    verdicts = sum(labels.values())
    seconds = sorted(r["seconds"] for r in ok)
    lines = [f"{name}: {len(rows)} patients, {len(ok)} parsed ({_pct(len(ok), len(rows))})"]
    if not ok:
        return lines
    statements = sum(r["statements"] for r in ok)
    lines.append(
        f"  statements {statements}; citations resolvable in {sum(r['resolvable'] for r in ok)}"
        f"/{len(ok)} patients"
    )
    if verdicts:
        shown = ", ".join(f"{k} {v} ({_pct(v, verdicts)})" for k, v in sorted(labels.items()))
        lines.append(f"  verdicts: {shown}")
    for kind in _KINDS:
        expected = sum(r["expected"][kind] for r in ok)
        named = expected - sum(r["missed"][kind] for r in ok)
        lines.append(f"  named {kind:<10} {named}/{expected} ({_pct(named, expected)})")
    p90 = seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))]
    lines.append(f"  seconds per patient: median {statistics.median(seconds):.2f}, p90 {p90:.2f}")
    return lines


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def _case_result(case: Path, cms: str, content: Any) -> bool:
    from evident.caregaps import Record, evaluate_measures, measurement_period

    resources, report = [], None
    for path in sorted(case.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("resourceType") == "MeasureReport":
            report = data
        elif data.get("resourceType") != "Bundle":
            resources.append(data)
    if report is None:
        raise InputError(f"test case {case.name} has no MeasureReport")
    period = report["period"]
    mp = measurement_period(
        date.fromisoformat(period["start"][:10]), date.fromisoformat(period["end"][:10])
    )
    expected = {
        p["code"]["coding"][0]["code"]: p["count"] for p in report["group"][0]["population"]
    }
    result = evaluate_measures(Record(resources), content, [cms], mp)[0]
    return result.populations == expected


def register(root: click.Group) -> None:
    """Add ``bench chart`` and ``bench caregaps``."""
    from evident.cli.main import bench_group

    @bench_group.command("chart")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    @click.option(
        "--dev", default=13, show_default=True, help="How many sorted files are development."
    )
    @click.option(
        "--no-verify", is_flag=True, help="Draft only (no verify stage): coverage and speed."
    )
    def bench_chart(folder: Path, dev: int, no_verify: bool) -> None:
        """Chart summaries of every FHIR Bundle in FOLDER: parse, verdicts, coverage, speed."""
        files = sorted(folder.glob("*.json"))
        if not files:
            raise InputError(f"no *.json Bundles in {folder}")
        rows = chart_rows(files, verify=not no_verify)
        for name, part in (("development", rows[:dev]), ("held out", rows[dev:]), ("all", rows)):
            if part:
                click.echo("\n".join(_summary(name, part)))

    @bench_group.command("caregaps")
    @click.argument("content", type=click.Path(file_okay=False, path_type=Path))
    def bench_caregaps(content: Path) -> None:
        """Reproduce the measure test cases under CONTENT/tests/measure; share per measure."""
        from evident.caregaps import load_content

        loaded = load_content(content)
        root = content / "tests" / "measure"
        folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        if not folders:
            raise InputError(f"no test cases under {root}")
        click.echo(f"{'measure':<48} {'cases':>5} {'match':>5} {'share':>7}")
        for folder in folders:
            cms = folder.name.split("FHIR", 1)[0]
            cases = sorted(p for p in folder.iterdir() if p.is_dir())
            matched = sum(_case_result(case, cms, loaded) for case in cases)
            click.echo(
                f"{folder.name:<48} {len(cases):>5} {matched:>5} {_pct(matched, len(cases)):>7}"
            )
        if loaded.missing:
            click.echo(f"missing value-set expansions: {len(loaded.missing)}")
