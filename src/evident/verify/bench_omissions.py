"""The omission benchmark (``evident bench omissions``).

Omissions are made, not guessed: each reference note is verified whole against its own
source, then drafts are made from it with a growing share of its supported sentences
removed (the same shuffled order, so a larger share removes what a smaller one did and
more). What a removed sentence summarised is the evidence its full-note verdict cited;
the segments that only removed sentences cited are *lost*: a complete omission list
points at them. The ground truth never reads the omission finder's facts or lexicons:
it is the note's own sentences and the segments that support them.

Each draft is verified as ``evident verify`` does (omissions on, at most 25), and so is
a peer a user might build instead: a coverage baseline that reports each answer or
statement of the patient (not a clinician's question) whose content words the draft
mostly lacks. Per system and share removed: the omissions reported, the share of lost
segments they point at (within one turn: an answer's omission may cite its question),
and the share of new omissions (not reported for the whole note) that point at a lost
segment; over all drafts, Spearman's correlation of the count reported with the share of
sentences actually removed and with the share of evidence lost (the issue's goal
correlates the count with the human omission rate).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from evident.errorgen import half
from evident.types import Draft, Omission, Source, Statement
from evident.verify.bench import Encounter, parse
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.omissions import find_omissions
from evident.verify.options import VerifyOptions

__all__ = [
    "RATES",
    "Drafted",
    "Lost",
    "OmissionSystem",
    "coverage_baseline",
    "lost_segments",
    "pointed",
    "run_encounter",
    "spearman",
    "systems",
]

#: Shares of the note's supported sentences removed (0: the whole note).
RATES = (0.0, 0.25, 0.5, 0.75)
#: An omission points at a lost segment when it cites it or a neighbour this close.
REACH = 1
#: The coverage baseline: a patient segment with at least this many content words ...
BASELINE_MIN_TERMS = 3
#: ... of which the draft has less than this share is an omission.
BASELINE_COVERAGE = 0.5

# statements, index, limit, the segments the statements' supported verdicts rest on
OmissionFinder = Callable[
    [Sequence[Statement], SourceIndex, int, Sequence[str]], tuple[Omission, ...]
]


@dataclass(frozen=True)
class OmissionSystem:
    """A column: a name and how it lists a draft's omissions."""

    name: str
    find: OmissionFinder


@dataclass(frozen=True)
class Lost:
    """What removing some sentences lost: the segments only they cited, out of all the
    segments the note's supported sentences cite."""

    removed: int
    segments: frozenset[str]
    evidence: int

    @property
    def share(self) -> float:
        """The share of the note's evidence segments lost."""
        return len(self.segments) / self.evidence if self.evidence else 0.0


@dataclass
class Drafted:
    """One draft's outcome for one system."""

    encounter: str
    half: str
    rate: float
    lost: Lost
    reported: tuple[str, ...]  # segment ids of the omissions, in the order given
    new: tuple[str, ...]  # those not reported for the whole note
    pointed: int  # lost segments an omission points at
    new_pointing: int  # new omissions that point at a lost segment
    capped: bool = False
    missed: tuple[str, ...] = field(default=())  # lost segments no omission points at
    supported: int = 0  # the note's supported sentences with evidence

    @property
    def removed_share(self) -> float:
        """The share of those sentences actually removed (a quarter of two sentences
        rounds to none or one)."""
        return self.lost.removed / self.supported if self.supported else 0.0


def _evident(
    statements: Sequence[Statement], index: SourceIndex, limit: int, cited: Sequence[str]
) -> tuple[Omission, ...]:
    """Evident's omission search, as ``verify`` runs it (with the segments the kept
    statements' supported verdicts rest on)."""
    return find_omissions(statements, index, limit=limit, cited=cited)


def _fact_kinds(
    statements: Sequence[Statement], index: SourceIndex, limit: int, cited: Sequence[str]
) -> tuple[Omission, ...]:
    """Evident's search by fact kinds alone, without the noteworthy turns."""
    return find_omissions(statements, index, limit=limit, noteworthy=False)


def coverage_baseline(
    statements: Sequence[Statement], index: SourceIndex, limit: int, cited: Sequence[str] = ()
) -> tuple[Omission, ...]:
    """Each segment of the patient (or record) with enough content words, not a
    question, whose content words the draft mostly lacks, in source order."""
    from evident.verify.omissions import question_speakers

    draft_terms = {t for st in statements for t in analyze(st.text).terms}
    clinicians = question_speakers()
    out: list[Omission] = []
    for seg in index.segments:
        speaker = (seg.segment.speaker or "").lower()
        if speaker in clinicians or seg.analysis.is_question:
            continue
        terms = {t for t in seg.analysis.terms if not t.startswith("#")}
        if len(terms) < BASELINE_MIN_TERMS:
            continue
        if len(terms & draft_terms) / len(terms) < BASELINE_COVERAGE:
            out.append(
                Omission(
                    segment=seg.segment.id,
                    text=seg.segment.text[:300],
                    kind="segment",
                    importance=0.5,
                )
            )
    return tuple(out[:limit])


def systems() -> list[OmissionSystem]:
    """Evident's omission search, its fact kinds alone, and the coverage baseline."""
    return [
        OmissionSystem("evident", _evident),
        OmissionSystem("fact kinds only", _fact_kinds),
        OmissionSystem("coverage baseline", coverage_baseline),
    ]


def lost_segments(evidence: dict[str, tuple[str, ...]], removed: Iterable[str]) -> Lost:
    """The segments only removed statements cited.

    Args:
        evidence: Each supported statement's evidence segment ids (full-note verdicts).
        removed: The removed statements' ids.
    """
    gone = set(removed)
    kept = {s for sid, segs in evidence.items() if sid not in gone for s in segs}
    lost = {s for sid in gone for s in evidence.get(sid, ()) if s not in kept}
    every = {s for segs in evidence.values() for s in segs}
    return Lost(len(gone), frozenset(lost), len(every))


def pointed(cited: Iterable[str], lost: Iterable[str], position: dict[str, int]) -> set[str]:
    """The lost segments that a cited segment is, or is within :data:`REACH` turns of."""
    at = {position[c] for c in cited if c in position}
    return {s for s in lost if s in position and any(abs(position[s] - p) <= REACH for p in at)}


def _without(draft: Draft, removed: set[str]) -> list[Statement]:
    return [st for st in draft.statements if st.id not in removed]


def run_encounter(
    enc: Encounter,
    cols: Sequence[OmissionSystem],
    seed: int,
    limit: int = 25,
    options: VerifyOptions | None = None,
) -> list[tuple[str, Drafted]]:
    """Verify the whole note, remove shares of its supported sentences, and list each
    draft's omissions with every system. Returns (system name, outcome) pairs."""
    src, draft = parse(enc)
    opts = (options or VerifyOptions()).model_copy(update={"omissions": False})
    report = verify(draft, [src], options=opts)
    evidence = {
        v.statement_id: v.evidence for v in report.verdicts if v.label == "supported" and v.evidence
    }
    order = sorted(evidence)
    random.Random(f"{seed}:{enc.id}").shuffle(order)
    index = SourceIndex([src])
    position = {s.segment.id: s.pos for s in index.segments}
    which = half(enc.id)
    out: list[tuple[str, Drafted]] = []
    for col in cols:
        every = [s for segs in evidence.values() for s in segs]
        whole = set(o.segment for o in col.find(draft.statements, index, limit, every))
        for rate in RATES:
            removed = set(order[: math.floor(rate * len(order) + 0.5)])
            lost = lost_segments(evidence, removed)
            kept = [s for sid, segs in evidence.items() if sid not in removed for s in segs]
            found = col.find(_without(draft, removed), index, limit, kept)
            cited = tuple(o.segment for o in found)
            new = tuple(c for c in cited if c not in whole)
            hit = pointed(cited, lost.segments, position)
            new_pointing = sum(bool(pointed([c], lost.segments, position)) for c in new)
            out.append(
                (
                    col.name,
                    Drafted(
                        enc.id,
                        which,
                        rate,
                        lost,
                        cited,
                        new,
                        len(hit),
                        new_pointing,
                        capped=len(found) >= limit,
                        missed=tuple(sorted(lost.segments - hit, key=position.__getitem__)),
                        supported=len(order),
                    ),
                )
            )
    return out


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None when either side is
    constant or there are fewer than three pairs."""
    if len(x) != len(y) or len(x) < 3:
        return None
    rx, ry = _ranks(x), _ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return float(sxy / (sxx * syy) ** 0.5)


def source_of(enc: Encounter) -> Source:
    """The encounter's source (for printing a development miss)."""
    return parse(enc)[0]
