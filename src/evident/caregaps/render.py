"""Text renderings of care-gap results (JSON is :func:`results_json`)."""

from __future__ import annotations

from evident.caregaps.engine import MeasureResult

__all__ = ["panel_text", "results_text"]

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
