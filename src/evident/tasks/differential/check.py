"""Check a differential against its case, whoever wrote it.

Every quote must be an exact substring of the case; a supporting finding whose quote the
case denies (every finding mention inside the quoted words is negated) or whose finding
the case denies and never affirms is a contradiction. Offending citations are removed and
each removal is named in ``issues``. A diagnosis left with no supporting finding is of
``low`` likelihood, whatever its writer said (named in ``issues`` when that changes it).
With a table, a model's disease-finding link that the
table does not hold is named too (it is kept: the table is not the whole of medicine).
"""

from __future__ import annotations

from evident.tasks.differential.case import Case
from evident.tasks.differential.schema import Candidate, Cite, Differential
from evident.tasks.differential.table import Table
from evident.tasks.differential.terms import normalise_name

__all__ = ["check_differential", "denied_quote"]


def denied_quote(case: Case, quote: str) -> bool:
    """True when every occurrence of ``quote`` in the case only names denied findings."""
    start = case.text.find(quote)
    if start < 0:
        return False
    while start >= 0:
        end = start + len(quote)
        inside = [m for m in case.mentions if m.start >= start and m.end <= end and not m.family]
        if not inside or any(not m.negated for m in inside):
            return False
        start = case.text.find(quote, start + 1)
    return True


def _denied_finding(case: Case, finding: str) -> bool:
    term = " ".join(finding.lower().split())
    return term in case.denied and term not in case.present


def _keep(cite: Cite, case: Case, supporting: bool, where: str, issues: list[str]) -> bool:
    if cite.quote not in case.text:
        issues.append(f"{where}: quote for '{cite.finding}' is not in the case; removed")
        return False
    if supporting and (denied_quote(case, cite.quote) or _denied_finding(case, cite.finding)):
        issues.append(f"{where}: '{cite.finding}' is denied by the case; removed from supporting")
        return False
    return True


def _evidenced(c: Candidate, supported: bool, where: str, issues: list[str]) -> str:
    """The likelihood a diagnosis keeps: ``low`` when no finding of the case supports it
    (a case in another language, a record of nothing but demographics, citations all
    removed), since a ranking that rests on no stated finding is no evidence of it."""
    if supported or c.likelihood == "low":
        return c.likelihood
    issues.append(f"{where}: no finding of the case supports it; {c.likelihood} -> low")
    return "low"


def _link_known(table: Table, diagnosis: str, finding: str) -> bool | None:
    name = normalise_name(diagnosis)
    term = " ".join(finding.lower().split())
    for cond in table.conditions:
        if name in cond.names:
            words = set(term.split())
            return term in cond.findings or any(w in cond.findings for w in words)
    return None


def check_differential(diff: Differential, case: Case, table: Table | None = None) -> Differential:
    """Return the differential with bad citations removed and ``issues`` filled in."""
    issues = list(diff.issues)
    cands = []
    for c in diff.differential:
        where = f"#{c.rank} {c.diagnosis}"
        sup = [x for x in c.supporting if _keep(x, case, True, where, issues)]
        opp = [x for x in c.opposing if _keep(x, case, False, where, issues)]
        if table is not None and diff.model != "offline":
            for x in sup:
                if _link_known(table, c.diagnosis, x.finding) is False:
                    issues.append(f"{where}: the table does not link '{x.finding}' to it")
        likelihood = _evidenced(c, bool(sup), where, issues)
        cands.append(
            c.model_copy(update={"supporting": sup, "opposing": opp, "likelihood": likelihood})
        )
    flags = []
    for f in diff.red_flags:
        sup = [x for x in f.supporting if _keep(x, case, True, f"red flag {f.diagnosis}", issues)]
        flags.append(f.model_copy(update={"supporting": sup}))
    return diff.model_copy(update={"differential": cands, "red_flags": flags, "issues": issues})
