"""What one reader found bears out what another missed: a denial the denial checker did
not find that the polarity checker or a fact checker found denied, and a finding the
phrase matcher did not find that the polarity readers found (:func:`_judge_statement` in
:mod:`evident.verify.check` applies both before the decision table)."""

from __future__ import annotations

from evident.verify.decide import CheckResult
from evident.verify.facts import Analysis

__all__ = ["FACT_READERS", "denials_borne_out", "fact_stems", "findings_borne_out", "overlap"]

#: Fact checkers that read a denied fact and find it denied ("no dysuria" - "any pain
#: with urination?" "no"): their synonyms are data the parse lacks.
FACT_READERS = frozenset({"finding", "history", "allergy"})


def denials_borne_out(results: list[CheckResult], an: Analysis) -> list[CheckResult]:
    """Drop the denial checker's missing denial where another reader found what it is
    about denied: a denial checker's agreement in another source, or the polarity
    checker's, on the same content (``about``); or a fact checker's agreement where the
    statement denies a fact named by the words of the missing denial (its synonyms are
    data the parse lacks). An agreement on something else the statement says ("lungs are
    not clear, no wheezing": the wheezing found denied) bears out nothing."""
    missing = [r for r in results if r.checker == "negation" and r.outcome == "missing"]
    if not missing:
        return results
    agreed = frozenset().union(
        *(r.about for r in results if r.outcome == "agree" and r.checker == "polarity")
    )
    denied_facts = frozenset().union(
        *(fact_stems(f.text) for f in an.facts if f.polarity == "negated")
    )
    facts_agreed = [r.about for r in results if r.outcome == "agree" and r.checker in FACT_READERS]

    def borne_out(r: CheckResult) -> bool:
        if overlap(r.about, agreed):
            return True
        if not r.about:
            return bool(facts_agreed) and bool(denied_facts)
        # the fact found must be the one denied: "will not take Tylenol ... to reduce her
        # pain" - the pain found bears out no denial of Tylenol (an agreement that names
        # nothing is on any of the denied facts)
        named = frozenset(s for s in r.about if overlap(frozenset({s}), denied_facts))
        return bool(named) and any(not about or overlap(named, about) for about in facts_agreed)

    return [r for r in results if r not in missing or not borne_out(r)]


def findings_borne_out(results: list[CheckResult]) -> list[CheckResult]:
    """Drop a fact reader's missing finding where the polarity readers found the same
    content, denied or affirmed as the statement has it: their synonyms are data read
    over a whole question and its answer ("no hemoptysis" - "any blood in what you cough
    up?" "no, no blood"), where the finding's phrase matcher needs the phrase as
    written."""
    agreed = frozenset().union(
        *(r.about for r in results if r.outcome == "agree" and r.checker == "polarity")
    )
    if not agreed:
        return results
    return [
        r
        for r in results
        if not (r.outcome == "missing" and r.checker in FACT_READERS and overlap(r.about, agreed))
    ]


def fact_stems(text: str) -> frozenset[str]:
    from evident.verify._polarity_cues import canonical
    from evident.verify.polarity import _stems

    return _stems(canonical(text))[0]


def overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of stems share one, a stem of a lemma and of a word alike
    ("surgeri" and "surger": one begins the other, four letters at least)."""
    return any(
        x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)))
        for x in a
        for y in b
    )
