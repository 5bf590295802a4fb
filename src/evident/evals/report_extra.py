"""Report sections for bias probes and conversation tests (``bias.json``, ``conversation.json``)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

__all__ = ["extra_sections"]


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _bias_section(data: dict[str, Any]) -> str:
    rows = []
    for attr in data.get("attributes", []):
        for gap in attr.get("gaps", []):
            rows.append(
                "<tr>"
                f"<td>{html.escape(attr['attribute'])}</td><td>{attr['n']}</td>"
                f"<td>{attr['excluded']}</td>"
                f"<td>{_pct(attr['flip_rate'])} "
                f"({_pct(attr['flip_ci'][0])}-{_pct(attr['flip_ci'][1])})</td>"
                f"<td>{html.escape(gap['value'])} vs {html.escape(attr['reference'])}</td>"
                f"<td>{100 * gap['gap']:+.1f} pts "
                f"({100 * gap['ci'][0]:+.1f} to {100 * gap['ci'][1]:+.1f})</td>"
                "</tr>"
            )
    return (
        f"<h2>Bias probes: {html.escape(str(data.get('benchmark')))}, "
        f"{html.escape(str(data.get('model')))}</h2>"
        "<table><tr><th>attribute</th><th>vignettes</th><th>excluded</th>"
        "<th>answer-flip rate (95% CI)</th><th>variant</th><th>accuracy gap (95% CI)</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _conversation_section(data: dict[str, Any]) -> str:
    conv, vig = data["conversation"], data["vignette"]
    return (
        f"<h2>Conversation test: {html.escape(str(data.get('benchmark')))}, "
        f"{html.escape(str(data.get('model')))}</h2>"
        "<table><tr><th>setting</th><th>n</th><th>accuracy</th><th>95% CI</th></tr>"
        f"<tr><td>full vignette</td><td>{vig['n']}</td><td>{_pct(vig['accuracy'])}</td>"
        f"<td>{_pct(vig['ci'][0])}-{_pct(vig['ci'][1])}</td></tr>"
        f"<tr><td>conversation (max {data.get('max_turns')} questions)</td><td>{conv['n']}</td>"
        f"<td>{_pct(conv['accuracy'])}</td><td>{_pct(conv['ci'][0])}-{_pct(conv['ci'][1])}</td></tr>"
        f'</table><p class="note">mean questions asked: {conv.get("mean_turns", 0):.1f}</p>'
    )


def extra_sections(root: Path) -> list[str]:
    """HTML sections for every ``bias.json`` and ``conversation.json`` under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return []
    sections = []
    for path in sorted(root.rglob("bias.json")):
        sections.append(_bias_section(json.loads(path.read_text(encoding="utf-8"))))
    for path in sorted(root.rglob("conversation.json")):
        sections.append(_conversation_section(json.loads(path.read_text(encoding="utf-8"))))
    return sections
