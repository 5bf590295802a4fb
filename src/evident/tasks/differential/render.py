"""Renderings of a differential: JSON (the contract), text and HTML."""

from __future__ import annotations

import html
import json
from typing import Any

from evident.tasks.differential.schema import Candidate, Differential

__all__ = ["render", "to_json"]


def to_json(diff: Differential) -> dict[str, Any]:
    """The JSON contract; ``issues`` appears only when verification changed or noted something."""
    data = diff.model_dump()
    if not data["issues"]:
        del data["issues"]
    return data


def _text_candidate(c: Candidate) -> list[str]:
    flag = "  [MUST NOT MISS]" if c.must_not_miss else ""
    lines = [f"{c.rank:>2}. {c.diagnosis} ({c.likelihood}){flag}"]
    for x in c.supporting:
        lines.append(f'      + {x.finding}: "{x.quote}"')
    for x in c.opposing:
        lines.append(f'      - {x.finding}: "{x.quote}"')
    if c.missing:
        lines.append(f"      ? ask or test: {', '.join(c.missing)}")
    return lines


def _text(diff: Differential) -> str:
    lines = [f"Differential ({diff.model}):"]
    for c in diff.differential:
        lines.extend(_text_candidate(c))
    if diff.red_flags:
        lines.append("Red flags:")
        for f in diff.red_flags:
            quotes = "; ".join(f'"{x.quote}"' for x in f.supporting)
            lines.append(f"  ! {f.diagnosis}: {quotes}")
    if diff.next_steps:
        lines.append("Next steps:")
        lines.extend(f"  > {s.test} - {s.why}" for s in diff.next_steps)
    if diff.issues:
        lines.append("Verification:")
        lines.extend(f"  x {i}" for i in diff.issues)
    lines.append("Decision support only: the clinician decides.")
    return "\n".join(lines) + "\n"


def _html_cites(c: Candidate) -> str:
    items = [
        f'<li class="for">{html.escape(x.finding)}: <q>{html.escape(x.quote)}</q></li>'
        for x in c.supporting
    ] + [
        f'<li class="against">{html.escape(x.finding)}: <q>{html.escape(x.quote)}</q></li>'
        for x in c.opposing
    ]
    return "<ul>" + "".join(items) + "</ul>"


def _html(diff: Differential) -> str:
    rows = []
    for c in diff.differential:
        mnm = ' <strong class="mnm">must not miss</strong>' if c.must_not_miss else ""
        missing = html.escape(", ".join(c.missing))
        rows.append(
            f"<tr><td>{c.rank}</td><td>{html.escape(c.diagnosis)}{mnm}</td>"
            f"<td>{c.likelihood}</td><td>{_html_cites(c)}</td><td>{missing}</td></tr>"
        )
    steps = "".join(
        f"<li>{html.escape(s.test)}: {html.escape(s.why)}</li>" for s in diff.next_steps
    )
    issues = "".join(f"<li>{html.escape(i)}</li>" for i in diff.issues)
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Differential</title>'
        "<style>body{font-family:sans-serif}td{vertical-align:top;padding:4px}"
        ".for{color:#064}.against{color:#a00}.mnm{color:#a00}</style></head><body>"
        f"<h1>Differential ({html.escape(diff.model)})</h1><table><tr><th>#</th>"
        "<th>Diagnosis</th><th>Likelihood</th><th>Findings (quoted)</th><th>Missing</th></tr>"
        + "".join(rows)
        + f"</table><h2>Next steps</h2><ul>{steps}</ul>"
        + (f"<h2>Verification</h2><ul>{issues}</ul>" if issues else "")
        + "<p>Decision support only: the clinician decides.</p></body></html>\n"
    )


def render(diff: Differential, fmt: str) -> str:
    """Render as ``json``, ``text`` or ``html``."""
    if fmt == "json":
        return json.dumps(to_json(diff), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _html(diff)
    return _text(diff)
