"""Monitoring figures from the audit trail: per task, model and ISO week, with equity slices.

For each cell (task, model, ISO week of the run's start, and optionally patient sex and
age band):

* ``runs``: number of runs;
* ``supported`` / ``unsupported`` / ``contradicted``: share of the judged clinical
  statements (statements labelled ``no_clinical_content`` are left out);
* ``omissions_per_draft``: mean number of omissions the verify stage reported;
* ``acceptance_rate`` / ``edit_rate`` / ``rejection_rate``: among statements a clinician
  acted on, the share whose last decision was accept, that were edited at least once,
  and whose last decision was reject (None when nobody reviewed);
* ``signed_rate``: share of runs signed;
* ``latency_p50_ms`` / ``latency_p95_ms``: nearest-rank percentiles of the run's total
  pipeline time.

Cells with fewer than ``min_cell`` runs are suppressed: every value is None and text
output prints ``<min_cell``, so small patient groups cannot be singled out.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from evident.errors import InputError

__all__ = ["SLICES", "MetricsRow", "MetricsTable", "compute_metrics", "percentile"]

SLICES = ("sex", "age_band")
_LABELS = ("supported", "unsupported", "contradicted")


class MetricsRow(BaseModel):
    """One cell of the monitoring table (values None when suppressed or undefined)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str
    model: str
    week: str
    sex: str | None = None
    age_band: str | None = None
    suppressed: bool = False
    runs: int | None = None
    statements: int | None = None
    supported: float | None = None
    unsupported: float | None = None
    contradicted: float | None = None
    omissions_per_draft: float | None = None
    acceptance_rate: float | None = None
    edit_rate: float | None = None
    rejection_rate: float | None = None
    signed_rate: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None


_VALUE_COLUMNS = [f for f in MetricsRow.model_fields if f not in {"task", "model", "week"}]


class MetricsTable(BaseModel):
    """The monitoring table.

    Attributes:
        rows: Cells sorted by week, task, model and slices.
        by: The slices used (``sex``, ``age_band``).
        min_cell: The suppression threshold.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows: tuple[MetricsRow, ...] = ()
    by: tuple[str, ...] = ()
    min_cell: int = 5

    def columns(self) -> list[str]:
        """Column names in display order (slice columns only when sliced)."""
        skip = {"suppressed"} | {s for s in SLICES if s not in self.by}
        return ["task", "model", "week"] + [c for c in _VALUE_COLUMNS if c not in skip]

    def _cell(self, row: MetricsRow, col: str) -> str:
        if col == "runs" and row.suppressed:
            return f"<{self.min_cell}"
        value = getattr(row, col)
        if value is None:
            return "-"
        if isinstance(value, float):
            return (
                f"{value:.1f}"
                if col.startswith("latency") or col.startswith("omis")
                else (f"{value:.2f}")
            )
        return str(value)

    def _raw(self, row: MetricsRow, col: str) -> str:
        if col == "runs" and row.suppressed:
            return f"<{self.min_cell}"
        value = getattr(row, col)
        return "" if value is None else str(value)

    def to_text(self) -> str:
        """An aligned text table."""
        cols = self.columns()
        body = [[self._cell(r, c) for c in cols] for r in self.rows]
        widths = [max([len(c), *(len(line[i]) for line in body)]) for i, c in enumerate(cols)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
        lines += [
            "  ".join(v.ljust(w) for v, w in zip(b, widths, strict=True)).rstrip() for b in body
        ]
        if not self.rows:
            lines.append("(no runs)")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """CSV with a header; suppressed counts print as ``<N``, undefined values empty."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        cols = self.columns()
        writer.writerow(cols)
        for r in self.rows:
            writer.writerow([self._raw(r, c) for c in cols])
        return out.getvalue()

    def to_json(self) -> str:
        """JSON: ``{"min_cell", "by", "rows": [...]}``; suppressed values are null."""
        return json.dumps(self.model_dump(mode="json"), indent=2) + "\n"


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (``p`` in 0..100) of the values, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[rank - 1])


def _bound(value: date | datetime | None, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    start = datetime.combine(value, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if end else start


def _decisions(actions: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per run: final decision per statement, statements edited, and whether signed."""
    per_run: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"final": {}, "edited": set(), "signed": False}
    )
    for run_id, act in actions:
        entry = per_run[run_id]
        if act["action"] == "sign":
            entry["signed"] = True
            continue
        entry["final"][act["statement_id"]] = act["action"]
        if act["action"] == "edit":
            entry["edited"].add(act["statement_id"])
    return per_run


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _row(key: tuple[Any, ...], cell: list[dict[str, Any]], min_cell: int) -> MetricsRow:
    task, model, week, sex, band = key
    base: dict[str, Any] = {
        "task": task,
        "model": model,
        "week": week,
        "sex": sex,
        "age_band": band,
    }
    if len(cell) < min_cell:
        return MetricsRow(**base, suppressed=True)
    labels = {lab: sum(c["summary"]["labels"].get(lab, 0) for c in cell) for lab in _LABELS}
    judged = sum(labels.values())
    reviewed = sum(len(c["decisions"]["final"]) for c in cell)
    accepted = sum(sum(1 for a in c["decisions"]["final"].values() if a == "accept") for c in cell)
    rejected = sum(sum(1 for a in c["decisions"]["final"].values() if a == "reject") for c in cell)
    edited = sum(len(c["decisions"]["edited"]) for c in cell)
    latencies = [float(c["summary"]["latency_ms"]) for c in cell]
    return MetricsRow(
        **base,
        runs=len(cell),
        statements=sum(int(c["summary"]["statements"]) for c in cell),
        supported=_ratio(labels["supported"], judged),
        unsupported=_ratio(labels["unsupported"], judged),
        contradicted=_ratio(labels["contradicted"], judged),
        omissions_per_draft=round(sum(c["summary"]["omissions"] for c in cell) / len(cell), 3),
        acceptance_rate=_ratio(accepted, reviewed),
        edit_rate=_ratio(edited, reviewed),
        rejection_rate=_ratio(rejected, reviewed),
        signed_rate=_ratio(sum(1 for c in cell if c["decisions"]["signed"]), len(cell)),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )


def compute_metrics(
    runs: Iterable[tuple[str, Mapping[str, Any]]],
    actions: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    min_cell: int = 5,
    by: tuple[str, ...] = (),
) -> MetricsTable:
    """Aggregate run summaries and actions into the monitoring table.

    Args:
        runs: ``(run_id, summary)`` pairs (summaries as the store writes them).
        actions: ``(run_id, action payload)`` pairs in chain order.
        since: Only runs started at or after this time (a date means its midnight UTC).
        until: Only runs started before this time (a date includes that whole day).
        min_cell: Suppression threshold (1 shows every cell).
        by: Slices among ``sex`` and ``age_band``.

    Raises:
        InputError: Unknown slice or a threshold below 1.
    """
    unknown = [s for s in by if s not in SLICES]
    if unknown or min_cell < 1:
        raise InputError(f"metrics slices must be among {', '.join(SLICES)} and min_cell >= 1")
    lo, hi = _bound(since, end=False), _bound(until, end=True)
    decisions = _decisions(actions)
    cells: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for run_id, summary in runs:
        started = datetime.fromisoformat(summary["created"])
        started = started if started.tzinfo else started.replace(tzinfo=UTC)
        if (lo and started < lo) or (hi and started >= hi):
            continue
        iso = started.astimezone(UTC).isocalendar()
        key = (
            summary["task"],
            summary["model"],
            f"{iso.year}-W{iso.week:02d}",
            (summary.get("sex") or "unknown") if "sex" in by else None,
            (summary.get("age_band") or "unknown") if "age_band" in by else None,
        )
        cells[key].append({"summary": summary, "decisions": decisions[run_id]})
    order = sorted(cells, key=lambda k: (k[2], k[0], k[1], k[3] or "", k[4] or ""))
    return MetricsTable(
        rows=tuple(_row(k, cells[k], min_cell) for k in order), by=tuple(by), min_cell=min_cell
    )
