"""Text renderings of care-gap results (JSON is :func:`results_json`)."""

from __future__ import annotations

import html

from evident.caregaps.engine import MeasureResult

__all__ = ["panel_html", "panel_text", "results_text"]

_SHORT = {
    "initial-population": "IP",
    "denominator": "DEN",
    "denominator-exclusion": "DENEX",
    "denominator-exception": "DENEXCEP",
    "numerator": "NUM",
    "numerator-exclusion": "NUMEX",
}


def results_text(results: list[MeasureResult]) -> str:
    """One block per measure: populations, gap, explanation and evidence."""
    lines = []
    for result in results:
        pops = " ".join(f"{_SHORT.get(k, k)}={v}" for k, v in result.populations.items())
        status = "GAP" if result.gap else ("met" if result.populations.get("numerator") else "-")
        lines.append(f"{result.measure}  [{status}]  {pops}")
        lines.append(f"  {result.explanation}")
        for key, refs in result.evidence.items():
            if refs:
                lines.append(f"  {key}: {', '.join(refs)}")
    return "\n".join(lines)


def panel_text(rows: list[tuple[str, list[MeasureResult]]]) -> str:
    """Patients x measures: ``GAP``, ``met``, ``excl`` or ``-`` (not in the denominator)."""
    if not rows:
        return "(no patients)"
    measures = [r.measure[:14] for r in rows[0][1]]
    width = max(len(name) for name, _ in rows)
    header = f"{'patient':<{width}}  " + "  ".join(f"{m:<14}" for m in measures)
    lines = [header]
    gaps = [0] * len(measures)
    for name, results in rows:
        cells = []
        for i, result in enumerate(results):
            gaps[i] += int(result.gap)
            cells.append(f"{_cell(result):<14}")
        lines.append(f"{name:<{width}}  " + "  ".join(cells))
    lines.append(f"{'gaps':<{width}}  " + "  ".join(f"{g:<14}" for g in gaps))
    return "\n".join(lines)


def _cell(result: MeasureResult) -> str:
    pops = result.populations
    if not pops.get("denominator"):
        return "-"
    if pops.get("denominator-exclusion") or pops.get("denominator-exception"):
        return "excl"
    return "GAP" if result.gap else "met"


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem}
th{background:#f4f4f4;text-align:left}td.GAP{background:#fde2e1;font-weight:600}
td.met{background:#e3f5e1}td.excl{background:#eee;color:#666}td.none{color:#aaa}
tfoot td{font-weight:600;background:#fafafa}
"""


def panel_html(rows: list[tuple[str, list[MeasureResult]]], period: str) -> str:
    """A self-contained monitoring page: patients x measures, gaps and rates per measure."""
    measures = [r.measure for r in rows[0][1]] if rows else []
    head = "".join(f"<th>{html.escape(m)}</th>" for m in measures)
    body = []
    for name, results in rows:
        cells = "".join(_html_cell(r) for r in results)
        body.append(f"<tr><th>{html.escape(name)}</th>{cells}</tr>")
    foot = []
    for i, _ in enumerate(measures):
        column = [results[i] for _, results in rows]
        counted = [r for r in column if _cell(r) in {"GAP", "met"}]
        gaps = sum(r.gap for r in column)
        rate = f" ({100 * gaps / len(counted):.0f}% of {len(counted)})" if counted else ""
        foot.append(f"<td>{gaps} gaps{rate}</td>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Care gaps</title>"
        f"<style>{_STYLE}</style></head><body><h1>Care gaps, {html.escape(period)}</h1>"
        f"<p>{len(rows)} patients. GAP: in the denominator, not excluded, numerator not met; "
        "met; excl: excluded or excepted; -: outside the denominator. Hover a cell for the "
        "measure's explanation.</p>"
        f"<table><thead><tr><th>patient</th>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"<tfoot><tr><td>gaps</td>{''.join(foot)}</tr></tfoot></table></body></html>"
    )


def _html_cell(result: MeasureResult) -> str:
    cell = _cell(result)
    css = "none" if cell == "-" else cell
    return f'<td class="{css}" title="{html.escape(result.explanation)}">{cell}</td>'
