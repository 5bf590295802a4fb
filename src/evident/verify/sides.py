"""The side checker: left against right, per body site.

A statement's side for a site is compared with the side of the source clause that best
matches it, then with the sides given near its evidence, then anywhere; a site the
source never gives a side is a missing side.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from evident.verify.clause import side_by_clause
from evident.verify.compare import Check
from evident.verify.facts import Analysis, Fact
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = ["laterality_checks"]


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
    """Sides the source gives this very finding at this site ("edema of the right knee").

    A side the source gives this finding in a single segment, while it gives the other
    side in two or more, is treated as a passing mention ("and your left knee?").
    """
    segs: dict[str, dict[int, IndexedSegment]] = {}
    for s, sf in index.by_key.get((f.kind, f.key), []):
        if sf.site == f.site and sf.laterality and sf.polarity not in {"negated", "asked"}:
            segs.setdefault(sf.laterality, {})[s.pos] = s
            # "in the toes of your right foot and your left toe also"
            for lat in _sides_later(s, sf, index):
                segs.setdefault(lat, {})[s.pos] = s
    top = max((len(v) for v in segs.values()), default=0)
    return {
        lat: next(iter(v.values())) for lat, v in segs.items() if not (len(v) == 1 and top >= 2)
    }


def _also_this_site(g: Fact, finding: Fact, an: Analysis) -> bool:
    """The other side given the finding's site later in its sentence, not found normal:
    the finding's too ("paresthesia in the toes of your right foot, and your left toe
    has the same problem"; not "swelling of the right knee, left knee normal")."""
    if not (_site_side(g, an) and g.key == finding.site and g.position > finding.position):
        return False
    return not any(
        a <= finding.position < b and not a <= g.position < b for a, b, _ in an.sentences
    )


def _site_side(g: Fact, an: Analysis) -> bool:
    """An affirmed body site with a side, not found normal: a side a finding can share."""
    return (
        g.kind == "anatomy"
        and bool(g.laterality)
        and g.polarity == "affirmed"
        and not _NORMAL.intersection(an.tokens[g.position : g.position + 5])
    )


def _sides_later(s: IndexedSegment, finding: Fact, index: SourceIndex) -> list[str]:
    """The sides, in fact order, that :func:`_also_this_site` finds for ``finding`` in
    ``s``: looked up by site, side and sentence end (built once per segment) instead of
    testing every fact of the segment against every sentence (quadratic on one long
    utterance)."""
    cache: dict[int, dict[str, dict[str, list[int]] | None]] = index.__dict__.setdefault(
        "_sides_by_segment", {}
    )
    an = s.analysis
    by_site = cache.get(s.pos)
    if by_site is None:
        by_site = cache[s.pos] = _site_sides(s)
    sides = by_site.get(finding.site) if finding.site else None
    if sides is None:  # no such site, or its sides out of position order: test each fact
        return list(dict.fromkeys(g.laterality for g in s.facts if _also_this_site(g, finding, an)))
    # sentences are ordered and disjoint: the finding's own sentence bounds the site
    k = bisect_right(an.sentences, (finding.position, math.inf)) - 1
    end = math.inf
    if k >= 0 and an.sentences[k][0] <= finding.position < an.sentences[k][1]:
        end = an.sentences[k][1]
    first: list[tuple[int, str]] = []
    for lat, positions in sides.items():
        i = bisect_right(positions, finding.position)
        if i < len(positions) and positions[i] < end:
            first.append((positions[i], lat))
    return [lat for _, lat in sorted(first)]


def _site_sides(s: IndexedSegment) -> dict[str, dict[str, list[int]] | None]:
    """Per body site, the positions of each side a finding can share (:func:`_site_side`);
    None for a site whose facts are not in position order (then looked at one by one)."""
    out: dict[str, dict[str, list[int]] | None] = {}
    last: dict[str, int] = {}
    for g in s.facts:
        if g.kind != "anatomy" or not _site_side(g, s.analysis):
            continue
        sides = out.setdefault(g.key, {})
        if sides is None:
            continue
        if g.position <= last.get(g.key, -1):
            out[g.key] = None
            continue
        last[g.key] = g.position
        sides.setdefault(g.laterality, []).append(g.position)
    return out


_NORMAL = frozenset({"normal", "fine", "unremarkable", "good", "okay", "ok", "intact"})


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


def _both_sides(lat: str, site: str, index: SourceIndex) -> tuple[str, tuple[str, ...]] | None:
    """The source gives the site both sides about as often ("you hurt your left foot" -
    "she fell onto my right foot"): the note's side cannot be borne out."""
    if lat not in {"left", "right"}:
        return None
    segs: dict[str, dict[int, IndexedSegment]] = {"left": {}, "right": {}}
    for (kind, _), ms in index.by_key.items():
        if kind not in ("anatomy", "finding", "order"):
            continue
        for s, g in ms:
            g_site = g.key if kind == "anatomy" else g.site
            if g_site == site and g.laterality in segs and g.polarity not in {"asked", "negated"}:
                segs[g.laterality][s.pos] = s
    n_left, n_right = len(segs["left"]), len(segs["right"])
    if min(n_left, n_right) < 3 or max(n_left, n_right) > 2 * min(n_left, n_right):
        return None
    first = {side: min(v.values(), key=lambda s: s.pos) for side, v in segs.items()}
    reason = (
        f"{index.kind_label} gives the {site} both sides (left in {first['left'].segment.id},"
        f" right in {first['right'].segment.id}); note says {lat}"
    )
    return reason, (first["left"].segment.id, first["right"].segment.id)


def _laterality_conflict(lat: str, lats: dict[str, IndexedSegment]) -> bool:
    """Only left against right conflicts; "bilateral" on either side is not judged."""
    return not (lat == "bilateral" or not lats or lat in lats or "bilateral" in lats)


def laterality_checks(an: Analysis, index: SourceIndex, local: set[int]) -> list[Check]:
    """Side conflicts per body site: the side of the source clause that best matches the
    statement first, then near the statement's evidence, then anywhere."""
    out: list[Check] = []
    done: set[str] = set()
    for f in an.facts:
        site = f.key if f.kind == "anatomy" else f.site
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
        if f.laterality != "bilateral" and site not in done and site not in index.sided_sites:
            done.add(site)
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
                both = _both_sides(f.laterality, site, index)
                if both is not None:
                    out.append(Check("missing", f, both[1], both[0], strict=True, checker="side"))
                continue
        said, seg = next(iter(lats.items()))
        reason = f"{index.kind_label} says {said} {site}, note says {f.laterality} {site}"
        out.append(Check("conflict", f, (seg.segment.id,), reason, checker="side"))
        break
    return out
