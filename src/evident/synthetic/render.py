"""The synthetic-data report as JSON, text or one HTML page with its plots embedded."""

from __future__ import annotations

import base64
import html
import io
import json
import math
from typing import Any

__all__ = ["render_html", "render_json", "render_text"]


def _lines(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(section, measure, value) rows shared by the text and HTML renderings."""
    rows: list[tuple[str, str, str]] = []
    fid = result["fidelity"]
    rows.append(("fidelity", "SDMetrics quality", f"{fid['quality']:.1f}%"))
    for name, score in fid["properties"].items():
        value = f"{score:.1f}%" if score is not None and math.isfinite(score) else "not scored"
        if name == "Column Pair Trends" and "pairs" in fid:
            value += f" ({fid['pairs_scored']} of {fid['pairs']} pairs scored)"
        rows.append(("fidelity", name, value))
    if fid.get("note"):
        rows.append(("fidelity", "note", fid["note"]))
    util = result.get("utility")
    if util:
        rows.append(
            ("utility", f"target ({util['target']})", f"{util['holdout_rows']} holdout rows")
        )
        for key in ("trtr_auroc", "tstr_auroc", "gap"):
            if util.get(key) is not None:
                rows.append(
                    (
                        "utility",
                        key.replace("_", " ").upper() if key != "gap" else "gap (TRTR - TSTR)",
                        f"{util[key]:.3f}",
                    )
                )
    priv = result.get("privacy")
    if priv:
        rows.append(("privacy", "DCR median, synthetic", f"{priv['synthetic_median']:.3f}"))
        rows.append(("privacy", "DCR median, real holdout", f"{priv['holdout_median']:.3f}"))
        if priv.get("ratio") is not None:
            rows.append(("privacy", "DCR ratio (synthetic / holdout)", f"{priv['ratio']:.3f}"))
        rows.append(
            ("privacy", "exact copies of real rows", f"{100 * priv['synthetic_exact_copies']:.2f}%")
        )
    link = result.get("linkability")
    if link:
        lo, hi = link["risk_ci"]
        rows.append(("linkability", "risk (95% bounds)", f"{link['risk']:.3f} ({lo:.3f}-{hi:.3f})"))
        rows.append(("linkability", "success on trained-on rows", f"{link['attack_rate']:.3f}"))
        rows.append(("linkability", "success on control rows", f"{link['control_rate']:.3f}"))
        rows.append(("linkability", "attacks per group", str(link["n_attacks"])))
    for line in result.get("not_measured", ()):
        part, _, need = line.partition(": ")
        rows.append(("not measured", part, need))
    return rows


def render_json(result: dict[str, Any]) -> str:
    """The report as strict JSON: a score that is undefined (NaN) is ``null``."""
    return json.dumps(_finite(result), indent=2, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def render_text(result: dict[str, Any]) -> str:
    """A plain table with one line saying what each section means."""
    out = []
    current = ""
    for section, measure, value in _lines(result):
        if section != current:
            out.append(f"\n{section.upper()}: {result['meaning'][section]}")
            current = section
        out.append(f"  {measure:<40} {value}")
    return "\n".join(out).lstrip("\n") + "\n"


def _png(figure: Any) -> str:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _plots(result: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    shapes = result["fidelity"]["column_shapes"]
    names = sorted(shapes, key=shapes.__getitem__)
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.22 * len(names))))
    ax.barh(names, [shapes[n] for n in names], color="#4a78b5")
    ax.set_xlim(0, 1)
    ax.set_xlabel("column shape similarity (1 = identical distribution)")
    ax.tick_params(axis="y", labelsize=7)
    plots = [("Column shapes", _png(fig))]
    plt.close(fig)
    return plots


def render_html(result: dict[str, Any]) -> str:
    """One self-contained page: the measures, what they mean, and the plots."""
    body = ["<h1>Synthetic data report</h1>"]
    current = ""
    for section, measure, value in _lines(result):
        if section != current:
            if current:
                body.append("</table>")
            body.append(
                f"<h2>{section.title()}</h2><p>{html.escape(result['meaning'][section])}</p><table>"
            )
            current = section
        body.append(f"<tr><td>{html.escape(measure)}</td><td>{html.escape(value)}</td></tr>")
    body.append("</table>")
    for title, data in _plots(result):
        name = html.escape(title)
        img = f'<img alt="{name}" src="data:image/png;base64,{data}">'
        body.append(f"<h2>{name}</h2>{img}")
    style = "body{font-family:sans-serif;max-width:60rem;margin:2rem auto}td{padding:.2rem 1rem}"
    head = f"<meta charset='utf-8'><title>Synthetic data report</title><style>{style}</style>"
    return f"<!doctype html><html><head>{head}</head><body>{''.join(body)}</body></html>\n"
