"""HTML report of evaluation runs with inline SVG plots (no plotting dependency)."""

from __future__ import annotations

import html
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from evident.errors import ConfigError, InputError

__all__ = [
    "Reference",
    "bar_chart_svg",
    "collect_results",
    "context_of",
    "references",
    "run_label",
    "write_report",
]

logger = logging.getLogger(__name__)


class Reference(BaseModel):
    """A published figure drawn as a line (accuracy in percent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    value: float


class _References(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    references: dict[str, tuple[Reference, ...]]


@cache
def references() -> dict[str, tuple[Reference, ...]]:
    """Reference lines per benchmark, from ``resources/references.yaml``."""
    text = resources.files("evident.evals").joinpath("resources/references.yaml").read_text()
    try:
        return _References.model_validate(yaml.safe_load(text)).references
    except (ValidationError, yaml.YAMLError) as exc:
        raise ConfigError(f"invalid references.yaml: {exc}") from None


def collect_results(root: Path, allow_empty: bool = False) -> list[dict[str, Any]]:
    """Every ``results.json`` under ``root`` (or ``root`` itself if it is one).

    Raises:
        InputError: ``root`` does not exist or holds no results (unless ``allow_empty``).
    """
    root = Path(root)
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    paths = [root] if root.is_file() else sorted(root.rglob("results.json"))
    out = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InputError(f"{path}: not a readable results.json") from None
        if not isinstance(data, dict) or "accuracy" not in data or "benchmark" not in data:
            raise InputError(f"{path}: not an evident results.json (no accuracy/benchmark)")
        data["_dir"] = str(path.parent)
        out.append(data)
    if not out and not allow_empty:
        raise InputError(f"{root}: no results.json found (run 'evident eval run' first)")
    return out


_W, _LABEL_W, _BAR_H, _GAP, _TOP = 760, 260, 22, 10, 30


def _short(label: str, width: int = 40) -> str:
    """A label cut to ``width`` in the middle: its end (mode, context) stays readable."""
    if len(label) <= width:
        return label
    tail = width // 2
    return label[: width - tail - 1] + "…" + label[-tail:]


def bar_chart_svg(
    bars: Sequence[tuple[str, float, float, float]], refs: Sequence[Reference], title: str
) -> str:
    """A horizontal bar chart of accuracies with 95% CI whiskers and reference lines.

    Args:
        bars: (label, accuracy, ci_low, ci_high) as fractions.
        refs: Reference lines (percent).
        title: Chart title (escaped).

    Returns:
        An ``<svg>`` element as text.
    """
    plot_w = _W - _LABEL_W - 20
    height = _TOP + len(bars) * (_BAR_H + _GAP) + 30 + 14 * len(refs)

    def x(frac: float) -> float:
        return _LABEL_W + plot_w * max(0.0, min(1.0, frac))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}" font-family="sans-serif" font-size="12">',
        f'<text x="4" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    bottom = _TOP + len(bars) * (_BAR_H + _GAP)
    for tick in range(0, 101, 20):
        tx = x(tick / 100)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{_TOP - 4}" x2="{tx:.1f}" y2="{bottom}" stroke="#ddd"/>'
            f'<text x="{tx:.1f}" y="{bottom + 14}" text-anchor="middle">{tick}%</text>'
        )
    for i, (label, acc, low, high) in enumerate(bars):
        y = _TOP + i * (_BAR_H + _GAP)
        mid = y + _BAR_H / 2
        parts.append(
            f'<text x="{_LABEL_W - 6}" y="{mid + 4:.1f}" text-anchor="end">'
            f"{html.escape(_short(label))}</text>"
            f'<rect x="{_LABEL_W}" y="{y}" width="{x(acc) - _LABEL_W:.1f}" height="{_BAR_H}" '
            f'fill="#4a78b5"><title>{100 * acc:.1f}% (95% CI {100 * low:.1f}-{100 * high:.1f})'
            f"</title></rect>"
            f'<line x1="{x(low):.1f}" y1="{mid:.1f}" x2="{x(high):.1f}" y2="{mid:.1f}" '
            f'stroke="#111" stroke-width="1.5"/>'
            f'<text x="{min(x(high) + 4, _W - 40):.1f}" y="{mid + 4:.1f}">{100 * acc:.1f}%</text>'
        )
    colours = ["#c0392b", "#27ae60", "#8e44ad", "#d35400"]
    for j, ref in enumerate(refs):
        rx, colour = x(ref.value / 100), colours[j % len(colours)]
        parts.append(
            f'<line x1="{rx:.1f}" y1="{_TOP - 6}" x2="{rx:.1f}" y2="{bottom}" stroke="{colour}" '
            f'stroke-dasharray="5,3" stroke-width="1.5"/>'
            f'<text x="{_LABEL_W}" y="{bottom + 30 + 14 * j}" fill="{colour}">'
            f"- - {html.escape(ref.label)}: {ref.value:.2f}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def context_of(r: dict[str, Any]) -> str:
    """How a run's items got their context: ``kb bm25 k5`` (``--kb``) or ``no kb``.

    Read from the prompt versions, which carry the retrieval tag (``+kb-bm25-k5``) for
    runs made with ``--kb``; results written before the tag existed read as ``no kb``.
    """
    for version in r.get("prompt_version") or ():
        _, sep, tag = str(version).partition("+kb-")
        if sep:
            search, _, k = tag.partition("-")
            return f"kb {search} {k}".strip()
    return "no kb"


def run_label(r: dict[str, Any]) -> str:
    """The label of a run in the report: model, mode and context (``kb ...``/``no kb``)."""
    return f"{r.get('model')} ({r.get('mode')}, {context_of(r)})"


def _row(r: dict[str, Any]) -> str:
    cells = [
        html.escape(str(r.get("model", "")))
        + (" <em>(offline engine)</em>" if r.get("offline") else ""),
        html.escape(str(r.get("mode", ""))),
        html.escape(context_of(r)),
        str(r.get("n", 0)),
        f"{100 * r['accuracy']:.1f}%",
        f"{100 * r.get('ci_low', 0):.1f}-{100 * r.get('ci_high', 1):.1f}",
        str(r.get("abstained", 0)),
        str(len(r.get("unparsed", []))),
        str(len(r.get("failed", []))),
        f"{r.get('mean_latency_ms', 0):.0f}",
        f"{r.get('mean_harness_ms', 0):.2f}",
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


_HEAD = (
    "<tr><th>model</th><th>mode</th><th>context</th><th>n</th><th>accuracy</th><th>95% CI</th>"
    "<th>abstained</th><th>unparsed</th><th>failed</th><th>model ms/item</th>"
    "<th>harness ms/item</th></tr>"
)
_STYLE = (
    "body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "font-size:13px}th{background:#f3f3f3}.note{color:#666;font-size:13px}"
)


def render_html(results: Sequence[dict[str, Any]], extra_sections: Sequence[str] = ()) -> str:
    """The full HTML page for a list of results (grouped by benchmark)."""
    by_benchmark: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_benchmark[str(r["benchmark"])].append(r)
    body = [
        "<h1>Evident evaluation report</h1>",
        '<p class="note">Accuracy with Wilson 95% confidence intervals (whiskers). Dashed '
        "lines are published reference figures. Abstentions and unparsed outputs count as "
        "wrong. Rows marked <em>offline engine</em> come from Evident's lexical engine (no "
        "model): it answers from the item's context by retrieval or abstains. The context "
        "column says where items' context came from: <em>kb bm25 k5</em> for runs made "
        "with <code>--kb</code> (the 5 passages the knowledge base retrieved), <em>no kb</em> "
        "for the benchmark's own context or none.</p>",
    ]
    for bench in sorted(by_benchmark):
        rows = sorted(by_benchmark[bench], key=lambda r: (str(r.get("model")), run_label(r)))
        bars = [
            (
                run_label(r),
                r["accuracy"],
                r.get("ci_low", 0.0),
                r.get("ci_high", 1.0),
            )
            for r in rows
        ]
        body.append(f"<h2>{html.escape(bench)}</h2>")
        body.append(bar_chart_svg(bars, references().get(bench, ()), f"{bench}: accuracy"))
        body.append("<table>" + _HEAD + "".join(_row(r) for r in rows) + "</table>")
    body.extend(extra_sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Evident evaluation report</title><style>{_STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def write_report(root: Path, out: Path | None = None) -> Path:
    """Write ``report.html`` for every run under ``root``; returns its path."""
    from evident.evals.report_extra import extra_sections

    root = Path(root)
    results = collect_results(root, allow_empty=True)
    sections = extra_sections(root)
    if not results and not sections:
        collect_results(root)  # raises the "nothing to report" error
    target = Path(out) if out else (root if root.is_dir() else root.parent) / "report.html"
    target.write_text(render_html(results, sections), encoding="utf-8")
    return target
