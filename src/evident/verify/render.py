"""Renderings of a verification report: plain text, the JSON contract, and HTML.

The JSON contract (other tools rely on it)::

    {"statements": [{"text", "section", "verdict", "evidence": [ids], "reason", "score",
                     "decided_by"}],
     "omissions": [{"segment", "text", "kind", "importance"}],
     "metrics": {...}, "findings": [{"kind", "severity", "where", "message"}],
     "verifier": "rules/2+entail:llm:..."}

The HTML page is self-contained (inline CSS and JS, no network): each statement is
highlighted by its verdict; clicking it shows its reason and highlights its evidence in
the source panel.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from evident.types import Draft, Report, Source, Verdict

__all__ = ["EXPLANATIONS", "render_html", "render_json", "render_text", "report_counts"]

#: What each number of a report means, shown once in every format.
EXPLANATIONS: dict[str, str] = {
    "verdict": "supported: the source says it; unsupported: the source does not say it; "
    "contradicted: the source says otherwise; no clinical content: nothing to check",
    "score": "a statement's score (0-1) is how much of it the evidence found in the source "
    "carries (by default the learned support model's probability; with --entailer lexical "
    "the share of its words covered); the verdict comes from the checkers and the decision "
    "table, not the score alone",
    "shares": "supported/unsupported/contradicted shares are fractions of the statements "
    "with clinical content",
    "importance": "an omission's importance (0-1) ranks how much the left-out source fact "
    "matters (allergies, medications and abnormal results rank highest; a 'noteworthy' "
    "turn, one a note would carry by a learned reading of the dialogue, ranks last)",
}
_COUNTED = ("supported", "unsupported", "contradicted", "no_clinical_content")

_MARK = {
    "supported": "✓",
    "unsupported": "?",
    "contradicted": "✗",
    "no_clinical_content": "·",
}


def _verdict(report: Report, statement_id: str) -> Verdict:
    v = report.verdict(statement_id)
    return v or Verdict(statement_id=statement_id, label="unsupported", reason="not judged")


def report_counts(draft: Draft, report: Report) -> dict[str, int]:
    """Whole-number counts of a report: statements by verdict, and omissions."""
    labels: list[str] = [_verdict(report, st.id).label for st in draft.statements]
    counts = {"statements": len(labels)}
    counts.update({k: labels.count(k) for k in _COUNTED})
    counts["omissions"] = len(report.omissions)
    return counts


def _summary_line(counts: dict[str, int]) -> str:
    parts = ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in _COUNTED if counts[k])
    return f"{counts['statements']} statements ({parts or 'none'}); {counts['omissions']} omissions"


def _metrics_json(metrics: dict[str, float]) -> dict[str, float | int]:
    """Metrics with counts as integers ("statements": 22, not 22.0)."""
    return {
        k: int(v) if float(v).is_integer() and k not in _SHARES else v for k, v in metrics.items()
    }


_SHARES = {"supported", "unsupported", "contradicted"}


def render_json(draft: Draft, report: Report, sources: Sequence[Source]) -> dict[str, Any]:
    """The report as the JSON contract of ``evident verify --format json``."""
    del sources  # part of the signature so all renderers are interchangeable
    statements = []
    for st in draft.statements:
        v = _verdict(report, st.id)
        statements.append(
            {
                "text": st.text,
                "section": st.section,
                "verdict": v.label,
                "evidence": list(v.evidence),
                "reason": v.reason,
                "score": v.score,
                "decided_by": v.decided_by,
            }
        )
    return {
        "statements": statements,
        "omissions": [o.model_dump() for o in report.omissions],
        "counts": report_counts(draft, report),
        "metrics": _metrics_json(dict(report.metrics)),
        "findings": [f.model_dump() for f in report.findings],
        "verifier": report.verifier,
        "explanations": dict(EXPLANATIONS),
    }


def render_text(draft: Draft, report: Report, sources: Sequence[Source]) -> str:
    """A plain-text report: each statement with its verdict mark, reason and evidence."""
    del sources
    lines: list[str] = [f"!! {f.message.upper()}" for f in _errors(report)]
    if lines:
        lines.append("")
    for sec in draft.sections:
        if sec.name:
            lines.append(f"{sec.name.upper()}:")
        for st in sec.statements:
            v = _verdict(report, st.id)
            lines.append(f"  {_MARK[v.label]} {st.text}")
            if v.label != "no_clinical_content":
                ev = ", ".join(v.evidence) or "-"
                lines.append(f"      [{v.label} {v.score:.2f}; evidence {ev}] {v.reason}")
        lines.append("")
    if report.omissions:
        lines.append("OMISSIONS (source facts the draft leaves out):")
        for o in report.omissions:
            lines.append(f"  ! [{o.kind} {o.importance:.2f}] {o.segment}: {o.text}")
        lines.append("")
    lines.append(f"summary: {_summary_line(report_counts(draft, report))}")
    lines.extend(f"  {k}: {text}" for k, text in EXPLANATIONS.items())
    return "\n".join(lines) + "\n"


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}
header{padding:10px 16px;background:#f4f4f4;border-bottom:1px solid #ddd}
main{display:flex;gap:12px;padding:12px}
#draft,#source{flex:1;overflow:auto;max-height:80vh;border:1px solid #ddd;padding:8px}
h2{font-size:15px;margin:12px 0 4px}
.st{cursor:pointer;border-radius:3px;padding:1px 2px;margin-right:2px}
.supported{background:#d8f5d0}.unsupported{background:#ffe2a8}
.contradicted{background:#ffc4c4}.no_clinical_content{background:#e6e6e6;color:#555}
.st.active{outline:2px solid #333}
.seg{padding:2px 4px;margin:1px 0;border-left:3px solid transparent}
.seg .id{color:#888;font-size:11px;margin-right:6px}
.seg.ev{background:#fff7b3;border-left-color:#d4a000}
.seg.conflict{background:#ffc4c4;border-left-color:#c00}
#detail{padding:8px 16px;border-top:1px solid #ddd;min-height:40px;background:#fafafa}
.error{margin:0;padding:8px 16px;background:#c00;color:#fff;font-weight:bold}
#omissions{padding:0 16px 16px}.legend span{margin-right:8px;padding:1px 4px}
"""

_JS = """
const data=JSON.parse(document.getElementById('verdicts').textContent);
function show(el){
 document.querySelectorAll('.st.active').forEach(e=>e.classList.remove('active'));
 document.querySelectorAll('.seg').forEach(e=>e.classList.remove('ev','conflict'));
 el.classList.add('active');
 const v=data[el.dataset.id];const d=document.getElementById('detail');
 d.textContent=v.label+' ('+v.score.toFixed(2)+'): '+(v.reason||'')+
  (v.evidence.length?'  evidence: '+v.evidence.join(', '):'');
 let first=null;
 v.evidence.forEach(id=>{const s=document.getElementById('seg-'+id);
  if(s){s.classList.add(v.label==='contradicted'?'conflict':'ev');first=first||s;}});
 if(first)first.scrollIntoView({block:'center'});
}
document.querySelectorAll('.st').forEach(e=>{
 e.addEventListener('click',()=>show(e));
 e.addEventListener('keydown',k=>{if(k.key==='Enter')show(e);});});
"""


def _errors(report: Report) -> list[Any]:
    """The report's error findings (a source that may not match): shown first."""
    return [f for f in report.findings if f.severity == "error"]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _draft_html(draft: Draft, report: Report) -> str:
    parts: list[str] = []
    for sec in draft.sections:
        if sec.name:
            parts.append(f"<h2>{_esc(sec.name)}</h2>")
        spans = []
        for st in sec.statements:
            v = _verdict(report, st.id)
            title = _esc(f"{v.label}: {v.reason}")
            spans.append(
                f'<span class="st {v.label}" tabindex="0" data-id="{_esc(st.id)}" '
                f'title="{title}">{_esc(st.text)}</span>'
            )
        parts.append("<p>" + " ".join(spans) + "</p>")
    return "\n".join(parts)


def _source_html(sources: Sequence[Source]) -> str:
    parts: list[str] = []
    for src in sources:
        parts.append(f"<h2>{_esc(src.id)} ({_esc(src.kind)})</h2>")
        for seg in src.segments:
            who = f"<b>{_esc(seg.speaker)}:</b> " if seg.speaker else ""
            parts.append(
                f'<div class="seg" id="seg-{_esc(seg.id)}"><span class="id">{_esc(seg.id)}'
                f"</span>{who}{_esc(seg.text)}</div>"
            )
    return "\n".join(parts)


def _omissions_html(report: Report) -> str:
    if not report.omissions:
        return "<p>No important source fact is missing from the draft.</p>"
    items = "".join(
        f"<li><b>{_esc(o.kind)}</b> ({o.importance:.2f}) "
        f'<a href="#seg-{_esc(o.segment)}">{_esc(o.segment)}</a>: {_esc(o.text)}</li>'
        for o in report.omissions
    )
    return f"<ol>{items}</ol>"


def render_html(draft: Draft, report: Report, sources: Sequence[Source]) -> str:
    """A self-contained HTML page: the draft highlighted by verdict beside the source.

    Clicking (or pressing Enter on) a statement shows its verdict, score and reason and
    highlights its evidence segments in the source panel; the omissions are listed
    below. All text is HTML-escaped; the page loads nothing from the network.
    """
    data = {
        st.id: {
            "label": (v := _verdict(report, st.id)).label,
            "reason": v.reason,
            "score": v.score,
            "evidence": list(v.evidence),
        }
        for st in draft.statements
    }
    payload = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e")
    summary = _summary_line(report_counts(draft, report))
    notes = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in EXPLANATIONS.items())
    legend = "".join(f'<span class="{k}">{_esc(k.replace("_", " "))}</span>' for k in _MARK)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>Evident verification</title><style>{_CSS}</style></head><body>"
        f"<header><b>Evident verification</b> — {_esc(summary)} · "
        f'<span class="legend">{legend}</span></header>'
        + "".join(f'<p class="error" role="alert">{_esc(f.message)}</p>' for f in _errors(report))
        + f'<main><section id="draft">{_draft_html(draft, report)}</section>'
        f'<section id="source">{_source_html(sources)}</section></main>'
        '<div id="detail">Click a statement to see its evidence.</div>'
        f'<section id="omissions"><h2>Omissions</h2>{_omissions_html(report)}'
        f'<h2>What the numbers mean</h2><dl id="explanations">{notes}</dl></section>'
        f'<script type="application/json" id="verdicts">{payload}</script>'
        f"<script>{_JS}</script></body></html>"
    )
