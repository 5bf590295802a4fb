"""The side checker: left against right, per body site.

A statement's side for a site is compared with the side of the source clause that best
matches it, then with the sides given near its evidence, then anywhere; a site the
source never gives a side is a missing side.
"""

from __future__ import annotations

from evident.verify._normal_exams import normal_words
from evident.verify._polarity_cues import cues
from evident.verify.clause import side_by_clause
from evident.verify.compare import Check
from evident.verify.facts import Analysis, Fact
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = ["laterality_checks"]


def _unsited_lateralities(f: Fact, index: SourceIndex) -> dict[str, IndexedSegment]:
    """Sides the source gives the statement's finding with no body site ("crackles on the
    right side", "it hurts on the right side" for any pain), affirmed, each with the
    first segment that gives it: where the source names the finding's side but not its
    site, the side is said."""
    if f.kind != "finding":
        return {}
    key = "pain@" if f.key.startswith("pain@") else f.key
    lats: dict[str, IndexedSegment] = {}
    for s, sf in index.by_key.get(("finding", key), []):
        if not sf.site and sf.laterality and sf.polarity not in {"negated", "asked"}:
            lats.setdefault(sf.laterality, s)
    return lats


def _unsited_conflict(f: Fact, lats: dict[str, IndexedSegment], index: SourceIndex) -> Check | None:
    """The conflict of a statement's side with the sides its finding is given unsited."""
    if not _laterality_conflict(f.laterality, lats):
        return None
    said, seg = next(iter(lats.items()))
    reason = f"{index.kind_label} says the {said} side ({seg.segment.id}), note says {f.laterality}"
    return Check("conflict", f, (seg.segment.id,), reason, checker="side")


def _site_lateralities(
    site: str,
    index: SourceIndex,
    positions: set[int] | None,
    skip: frozenset[str] = frozenset({"asked", "negated"}),
) -> dict[str, IndexedSegment]:
    """Sides the source gives ``site`` (in ``positions``, None for anywhere), with the
    first segment that gives each; mentions of a polarity in ``skip`` do not count."""
    lats: dict[str, IndexedSegment] = {}
    for (kind, _), ms in index.by_key.items():
        if kind not in ("anatomy", "finding", "order"):
            continue
        for s, sf in ms:
            if positions is not None and s.pos not in positions:
                continue
            sf_site = sf.key if kind == "anatomy" else sf.site
            if sf_site == site and sf.laterality and sf.polarity not in skip:
                lats.setdefault(sf.laterality, s)
    return lats


def _finding_lateralities(f: Fact, index: SourceIndex) -> dict[str, IndexedSegment]:
    """Sides the source gives this very finding at this site ("edema of the right knee");
    a finding the statement names without a site ("wheezing on the right") is compared
    with the sides the source gives it at any site ("wheezing in the left lung").

    A side the source gives this finding in a single segment, while it gives the other
    side in two or more, is treated as a passing mention ("and your left knee?").
    """
    segs: dict[str, dict[int, IndexedSegment]] = {}
    for s, sf in index.by_key.get((f.kind, f.key), []):
        if (
            (sf.site == f.site or not f.site)
            and sf.laterality
            and sf.polarity not in {"negated", "asked"}
        ):
            segs.setdefault(sf.laterality, {})[s.pos] = s
    top = max((len(v) for v in segs.values()), default=0)
    return {
        lat: next(iter(v.values())) for lat, v in segs.items() if not (len(v) == 1 and top >= 2)
    }


def _dominant_side(lat: str, site: str, index: SourceIndex) -> dict[str, IndexedSegment]:
    """The other side, when the source gives the site that side in two or more
    segments and the statement's side in at most one (a slip: "left leg, right leg")."""
    if lat not in {"left", "right"}:
        return {}
    other = "right" if lat == "left" else "left"
    segs: dict[str, dict[int, IndexedSegment]] = {"left": {}, "right": {}}
    for s, g in index.by_key.get(("anatomy", site), []):
        if g.laterality in segs and g.polarity not in {"asked", "negated"}:
            segs[g.laterality][s.pos] = s
    if len(segs[lat]) <= 1 and len(segs[other]) >= 2:
        return {other: next(iter(segs[other].values()))}
    return {}


def _laterality_conflict(lat: str, lats: dict[str, IndexedSegment]) -> bool:
    """Only left against right conflicts; "bilateral" on either side is not judged."""
    return not (lat == "bilateral" or not lats or lat in lats or "bilateral" in lats)


def _denied_side_conflict(f: Fact, site: str, index: SourceIndex, done: set[str]) -> Check | None:
    """A denial's side that the source never gives its site, in any polarity, while it
    gives the other side (left against right; asked sides do not count)."""
    if f.laterality not in {"left", "right"} or not site or site in done:
        return None
    done.add(site)
    lats = _site_lateralities(site, index, None, skip=frozenset({"asked"}))
    if not _laterality_conflict(f.laterality, lats):
        return None
    said, seg = next(iter(lats.items()))
    reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
    return Check("conflict", f, (seg.segment.id,), reason, checker="side")


def _side_claimed(f: Fact, an: Analysis, own_site: bool) -> bool:
    """Whether a statement claims its fact's side so that the source must give one: not
    for a denial or a condition ("denies right upper quadrant pain", "go in for pain
    under the right ribs": a denial or a warning of the region holds whatever side the
    source names), nor for a finding that is its own site whose side the statement says
    after it, of a site the lexicon does not name ("gout of the *right* first MTP
    joint": the joint's side, not the gout's)."""
    if f.polarity != "affirmed" or f.conditional:
        return False
    if not own_site:
        return True
    before = an.tokens[max(0, f.position - _SIDE_BEFORE) : f.position]
    return any(w in _SIDE_WORDS or w.partition("-")[0] in _SIDE_WORDS for w in before)


def _said_normal(f: Fact, an: Analysis) -> bool:
    """A part the statement examines and finds normal on its side ("*left lung* clear"
    beside "crackles at the right base"): what a normal exam implies is judged on that
    side by the finding checker; a source's finding on the other side is no conflict."""
    if f.kind != "anatomy":
        return False
    after = an.tokens[f.position + 1 : f.position + 1 + _NORMAL_AFTER]
    if normal_words().intersection(after) and not cues().negators.intersection(after):
        return True  # "left hand asymptomatic", "the right knee is normal"
    return any(
        g.implied and g.laterality == f.laterality and 0 < g.position - f.position <= _NORMAL_AFTER
        for g in an.facts
    )


_NORMAL_AFTER = 4  # "left lung clear", "right ear canal is normal"
_SIDE_BEFORE = 3  # "left kidney stone", "right-sided pleural effusion"
_SIDE_WORDS = frozenset({"left", "right", "bilateral"})


def laterality_checks(an: Analysis, index: SourceIndex, local: set[int]) -> list[Check]:
    """Side conflicts per body site: the side of the source clause that best matches the
    statement first, then near the statement's evidence, then anywhere."""
    out: list[Check] = []
    done: set[str] = set()
    for f in an.facts:
        site = f.key if f.kind == "anatomy" else f.site
        if f.polarity == "negated":
            # "no pain in the left knee": a denied side against every side the source
            # gives the site, denied ones too ("no tenderness in the right upper
            # quadrant" against "no tenderness in the left upper quadrant")
            conflict = _denied_side_conflict(f, site, index, done)
            if conflict is not None:
                out.append(conflict)
                break
            continue
        if f.kind == "finding" and not site and not f.key.startswith("pain@"):
            site = f.key  # "left kidney stone": the finding is its own site
        if f.key == "pain@" and f.laterality and not site and "pain@" not in done:
            # "pain on the left side": the sides the source gives pain with no named site
            done.add("pain@")
            lats = _finding_lateralities(f, index)
            if _laterality_conflict(f.laterality, lats):
                said, seg = next(iter(lats.items()))
                reason = (
                    f"{index.kind_label} says pain on the {said} side, note says {f.laterality}"
                )
                out.append(Check("conflict", f, (seg.segment.id,), reason, checker="side"))
                break
            continue
        if not f.laterality or not site:
            continue
        if _said_normal(f, an):
            # "left lung clear" beside "crackles at the right base" is no conflict: only
            # the source clause that best matches the statement decides ("right knee
            # exam is normal" where "the left knee looks fine")
            by_clause = side_by_clause(f, site, an, index) if site not in done else None
            done.add(site)
            if by_clause is not None and _laterality_conflict(
                f.laterality, {by_clause[0]: by_clause[1][0]}
            ):
                said, segs = by_clause
                reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
                out.append(Check("conflict", f, (segs[0].segment.id,), reason, checker="side"))
                break
            continue
        if f.laterality != "bilateral" and site not in done and site not in index.sided_sites:
            done.add(site)
            unsited = _unsited_lateralities(f, index)
            if unsited:  # "crackles on the right side" gives the crackles a side
                conflict = _unsited_conflict(f, unsited, index)
                if conflict is not None:
                    out.append(conflict)
                    break
                continue
            if not _side_claimed(f, an, own_site=site == f.key and f.kind == "finding"):
                continue
            reason = (
                f"{index.kind_label} never gives a side for the {site}; note says {f.laterality}"
            )
            out.append(Check("missing", f, reason=reason, strict=True, checker="side"))
            continue
        by_clause = side_by_clause(f, site, an, index) if site not in done else None
        if by_clause is not None:
            done.add(site)
            said, segs = by_clause
            if f.laterality == said or "bilateral" in {said, f.laterality}:
                continue
            reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
            out.append(Check("conflict", f, (segs[0].segment.id,), reason, checker="side"))
            break
        lats = _finding_lateralities(f, index) if f.kind in {"finding", "order"} else {}
        if not lats:
            if site in done:
                continue
            done.add(site)
            near = _site_lateralities(site, index, local)
            lats = near if near else _site_lateralities(site, index, None)
            if not lats and f.laterality in {"left", "right"}:
                # no side affirmed: every side given is a denied or asked one
                denied = set(_site_lateralities(site, index, None, skip=frozenset()))
                if denied and f.laterality not in denied:
                    # the site's only sides are denied ones, and the note's is not among them
                    reason = (
                        f"{index.kind_label} gives the {site} no {f.laterality} side"
                        f" (only {', '.join(sorted(denied))}, denied)"
                    )
                    out.append(Check("missing", f, reason=reason, strict=True, checker="side"))
                    continue
        if not _laterality_conflict(f.laterality, lats):
            lats = _dominant_side(f.laterality, site, index)
            if not lats:
                continue
        said, seg = next(iter(lats.items()))
        reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
        out.append(Check("conflict", f, (seg.segment.id,), reason, checker="side"))
        break
    return out
