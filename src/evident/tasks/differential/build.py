"""Build the disease-finding table from MedQuAD (``evident train differential-table``).

MedQuAD (Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019, CC BY 4.0) answers
consumer questions about thousands of conditions from NIH sites. For each condition
(questions grouped by their ``focus``, merged by normalised name) the builder reads:

- findings from the ``symptoms`` and ``information`` answers (MedlinePlus topics have
  no other);
- risk factors from the ``causes`` and ``susceptibility`` answers;
- tests from the ``exams and tests`` answers (phrases naming a test);
- demographic cues (sex, child, older age) from every answer about it;
- other names from ``also called`` / ``also known as`` phrases and parentheses.

Terms are read with :func:`evident.tasks.differential.terms.mentions` (the same reader
the engine applies to a case, shorthand negation included) and weighted TF-IDF-like
across conditions: weight = (1 + log tf) * log(1 + N / df), scaled so a condition's
weights have unit length; the strongest ``--max-terms`` are kept. The output is
deterministic for a given input.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.jsonl import json_lines
from evident.tasks.differential.lexicon import Lexicon, load_lexicon
from evident.tasks.differential.named import condition_like, find_named, head_shapes, named_terms
from evident.tasks.differential.terms import mentions, normalise_name, parse_all
from evident.tasks.differential.topics import (
    MIN_LABELLED,
    Topics,
    fit_judge,
    heldout_figures,
    load_topics,
    page_vectors,
)

__all__ = [
    "ATTRIBUTION",
    "BuildOptions",
    "build_table",
    "focus_key",
    "judge_figures",
    "read_medquad",
    "write_table",
]

_FINDING_QTYPES = {"symptoms"}
_RISK_QTYPES = {"causes", "susceptibility"}
_TEST_QTYPES = {"exams and tests"}
_ALSO = re.compile(
    r"\b(?:also (?:called|known as)|(?:is|are) (?:also |sometimes |often |usually )?"
    r"(?:called|known as)|or simply)\s+([^.,;:()\n\"']{3,60})",
    re.I,
)
_ARTICLE = re.compile(r"^(?:a|an|the|this|these|its|their)\b", re.I)
_PAREN = re.compile(r"\(([^()]{2,40})\)")
_EXTRACT_VERSION = 4
log = logging.getLogger(__name__)
_SYMPTOM_TALK = re.compile(r"\b(symptoms?|signs?)\b", re.I)
ATTRIBUTION = (
    "MedQuAD (Ben Abacha A, Demner-Fushman D. A question-entailment approach to question "
    "answering. BMC Bioinformatics 2019;20:511), CC BY 4.0, github.com/abachaa/MedQuAD"
)


@dataclass(frozen=True)
class BuildOptions:
    """Parameters of the build (recorded in the table).

    Attributes:
        max_terms: Finding terms kept per condition.
        max_risk: Risk-factor terms kept per condition.
        max_tests: Tests kept per condition.
        max_chars: Characters read from each answer (long answers repeat themselves).
        finding_boost: Weight factor for clinical finding names (the aliases lexicon).
        all_information: Read findings from every ``information`` answer, not only those
            that speak of symptoms or signs (many common conditions have no other).
        named: Add the conditions general-health pages name without a page of their
            own (:mod:`evident.tasks.differential.named`).
        named_weight: How many times a named condition's description counts against
            the findings of the page that names it.
        named_min_shape: Distinct head words of the table's names that must share an
            ending for it to mark a condition's name (``-itis``).
    """

    max_terms: int = 40
    max_risk: int = 12
    max_tests: int = 5
    max_chars: int = 1200
    finding_boost: float = 3.0
    all_information: bool = True
    named: bool = True
    named_weight: int = 3
    named_min_shape: int = 8


@dataclass
class _Condition:
    name: str
    names: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    findings: Counter[str] = field(default_factory=Counter)
    risk: Counter[str] = field(default_factory=Counter)
    tests: Counter[str] = field(default_factory=Counter)
    demo: Counter[str] = field(default_factory=Counter)


def read_medquad(path: Path) -> list[dict[str, str]]:
    """Read MedQuAD JSONL rows (``source, focus, qtype, answer``).

    Raises:
        InputError: The file is missing, not JSONL, or lacks the fields.
    """
    rows = []
    for n, row in json_lines(path, "MedQuAD"):
        if not all(isinstance(row.get(k), str) for k in ("source", "focus", "qtype", "answer")):
            raise InputError(f"{path}:{n}: needs source, focus, qtype and answer")
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def _role(row: dict[str, str]) -> str | None:
    qtype = row["qtype"]
    if qtype in _FINDING_QTYPES:
        return "findings"
    if qtype in _RISK_QTYPES:
        return "risk"
    if qtype in _TEST_QTYPES:
        return "tests"
    if qtype == "information":
        return "findings"
    return None


def _other_names(focus: str, answer: str) -> set[str]:
    """The focus, its parenthesised forms, and names the answer gives it.

    ``also called X``, ``is called X or Y``: each alternative of at most four words that
    does not open with an article (``a benign tumor`` describes, it does not name).
    """
    names = {focus}
    names.update(m.group(1) for m in _PAREN.finditer(focus))
    names.add(_PAREN.sub("", focus))
    for m in _ALSO.finditer(answer[:600]):
        for alt in re.split(r"\s+or\s+", m.group(1).split(" - ")[0].strip()):
            if alt and not _ARTICLE.match(alt) and len(alt.split()) <= 4:
                names.add(alt)
    return {n.strip() for n in names if n.strip() and len(n.split()) <= 6}


def _test_term(term: str, lex: Lexicon) -> bool:
    words = term.split()
    return any(w in lex.test_cues for w in words) and (
        len(words) > 1 or words[0] not in lex.generic
    )


def _demo_counts(doc: Any, lex: Lexicon) -> Counter[str]:
    out: Counter[str] = Counter()
    for tok in doc:
        low = tok.lower_
        for key, words in lex.demographics.items():
            if low in words:
                out[key] += 1
        if low in lex.female_only:
            out["female_only"] += 1
        if low in lex.male_only:
            out["male_only"] += 1
    return out


def _extract(
    rows: list[dict[str, str]], opts: BuildOptions, progress: Callable[[Iterable[Any]], Any]
) -> Iterator[dict[str, Any]]:
    """One record per answer read: its condition, role, terms and demographic cues."""
    lex = load_lexicon()
    picked = [(row, role) for row in rows if (role := _role(row))]
    texts = (row["answer"][: opts.max_chars] for row, _ in picked)
    docs = parse_all(texts, batch_size=32)
    for (row, role), doc in progress(zip(picked, docs, strict=True)):
        terms = sorted({m.term for m in mentions(doc, notes=True) if not m.negated})
        yield {
            "focus": row["focus"],
            "source": row["source"],
            "role": role,
            "qtype": row["qtype"],
            "talk": bool(_SYMPTOM_TALK.search(row["answer"])),
            "names": sorted(_other_names(row["focus"], row["answer"])),
            "demo": dict(_demo_counts(doc, lex)),
            "terms": terms,
        }


def _records(
    medquad: Path,
    opts: BuildOptions,
    progress: Callable[[Iterable[Any]], Any],
    cache: Path | None,
) -> list[dict[str, Any]]:
    """Extracted records, read from ``cache`` when it was made from the same input."""
    digest = hashlib.sha256(medquad.read_bytes()).hexdigest()[:16]
    stamp = {"input": digest, "max_chars": opts.max_chars, "version": _EXTRACT_VERSION}
    if cache is not None and cache.is_file():
        lines = cache.read_text(encoding="utf-8").splitlines()
        if lines and json.loads(lines[0]) == stamp:
            return [json.loads(line) for line in lines[1:]]
    records = list(_extract(read_medquad(medquad), opts, progress))
    if cache is not None:
        body = [json.dumps(stamp)] + [json.dumps(r, sort_keys=True) for r in records]
        cache.write_text("\n".join(body) + "\n", encoding="utf-8")
    return records


def _title(focus: str, lex: Lexicon) -> str:
    """The condition a page title names: known prefixes and subtitles dropped."""
    name = " ".join(focus.split())
    low = name.lower()
    for prefix in lex.title_prefixes:
        if low.startswith(prefix + " ") or low.startswith(prefix + ":"):
            name = name[len(prefix) :].lstrip(" :")
            break
    head, sep, _rest = name.partition(":")
    return head.strip() if sep and head.strip() else name


def focus_key(focus: str) -> str:
    """The table's normalised name for a MedQuAD ``focus`` (prefixes and parentheses off)."""
    title = _title(focus, load_lexicon())
    return normalise_name(_PAREN.sub("", title)) or normalise_name(title)


def _is_condition(key: str, lex: Lexicon) -> bool:
    """False for pages about a test, a treatment or care rather than a condition."""
    words = key.split()
    return bool(words) and words[-1] not in lex.not_conditions


def _collect(records: list[dict[str, Any]], opts: BuildOptions) -> dict[str, _Condition]:
    lex = load_lexicon()
    vocab = frozenset(lex.aliases.values()) | frozenset(lex.diagnosis_aliases.values())
    conds: dict[str, _Condition] = {}
    for rec in records:
        focus = _title(rec["focus"], lex)
        key = focus_key(rec["focus"])
        if not _is_condition(key, lex):
            continue
        if rec["qtype"] == "information" and not (rec["talk"] or opts.all_information):
            continue
        cond = conds.setdefault(key, _Condition(name=focus))
        cond.sources.add(rec["source"])
        cond.names.update(n for n in map(normalise_name, rec["names"]) if n)
        cond.demo.update(rec["demo"])
        terms = rec["terms"]
        if rec["role"] != "tests":
            # The reader drops generic words; filtering again keeps a table rebuilt from
            # an older cache equal to a fresh build after the generic list grew.
            terms = [t for t in terms if t in vocab or not set(t.split()) & lex.generic]
        if rec["role"] == "tests":
            cond.tests.update(t for t in terms if _test_term(t, lex))
        elif rec["role"] == "risk":
            cond.risk.update(terms)
        else:
            cond.findings.update(t for t in terms if not _test_term(t, lex))
    return {k: c for k, c in conds.items() if c.findings}


def _named(
    rows: list[dict[str, str]], conds: dict[str, _Condition], opts: BuildOptions, lex: Lexicon
) -> dict[str, _Condition]:
    """Conditions named in general-health answers about a table condition (see ``named``)."""
    known = set(conds) | {n for c in conds.values() for n in c.names}
    shapes = head_shapes(conds, min_shape=opts.named_min_shape)
    pages = []
    for row in rows:
        key = normalise_name(_PAREN.sub("", _title(row["focus"], lex)))
        if row["source"] in lex.common_sources and key in conds:
            pages.append((key, row["answer"]))
    found = [
        n for n in find_named(pages, known) if condition_like(normalise_name(n.name), shapes, lex)
    ]
    vocab = frozenset(lex.aliases.values())
    out: dict[str, _Condition] = {}
    for item, terms in zip(found, named_terms([n.description for n in found]), strict=True):
        parent = conds[item.parent]
        key = normalise_name(item.name)
        cond = out.setdefault(key, _Condition(name=item.name, names={key}))
        cond.sources |= parent.sources
        cond.demo.update(parent.demo)
        keep = [t for t in terms if t in vocab or not set(t.split()) & lex.generic]
        cond.findings.update({t: opts.named_weight for t in keep if not _test_term(t, lex)})
        cond.findings.update(dict.fromkeys(parent.findings, 1))
    return out


def _first_answers(rows: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Each page's title and first answer, by table key (the text the topic judge reads)."""
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        key = focus_key(row["focus"])
        if key and key not in out:
            out[key] = (row["focus"], row["answer"])
    return out


def _not_conditions(
    conds: dict[str, _Condition], rows: list[dict[str, str]], topics: Topics
) -> dict[str, list[str]]:
    """Pages that are not about a condition: labelled so, or judged so (:mod:`.topics`)."""
    labelled = sorted(
        k
        for k, c in conds.items()
        if topics.labels.get(k) is False and not c.sources & topics.condition_sources
    )
    todo = sorted(k for k, c in conds.items() if topics.needs_judging(k, c.sources))
    if not todo:
        return {"labelled": labelled, "judged": []}
    from evident.tasks.differential.dense import bridge_available

    pages = _first_answers(rows)
    known = [k for k in sorted(topics.labels) if k in pages]
    kinds = Counter(topics.labels[k] for k in known)
    why = ""
    if not bridge_available():
        why = "the embeddings extra is not installed"
    elif min(kinds[True], kinds[False]) < MIN_LABELLED:
        why = f"the input has fewer than {MIN_LABELLED} labelled pages of each kind"
    if why:
        log.warning("%d pages have no topic label and %s: kept as conditions", len(todo), why)
        return {"labelled": labelled, "judged": []}
    vectors = page_vectors([pages[k] for k in known + todo])
    judge = fit_judge(vectors[: len(known)], [topics.labels[k] for k in known])
    kept = judge.conditions(vectors[len(known) :])
    return {"labelled": labelled, "judged": [k for k, ok in zip(todo, kept, strict=True) if not ok]}


def judge_figures(medquad: Path) -> dict[str, int]:
    """The topic judge measured on labelled pages it was not fitted on (embeddings extra)."""
    topics = load_topics()
    pages = _first_answers(read_medquad(medquad))
    keys = [k for k in sorted(topics.labels) if k in pages]
    vectors = page_vectors([pages[k] for k in keys])
    return heldout_figures(keys, vectors, [topics.labels[k] for k in keys])


def _weights(
    counts: dict[str, Counter[str]], keep: int, vocabulary: frozenset[str], boost: float
) -> dict[str, dict[str, float]]:
    """TF-IDF-like weights; clinical finding names weigh ``boost`` times more.

    A term found for one condition only (page-specific wording) is dropped unless it is
    a finding name: it cannot tell conditions apart in a case and would crowd the list.
    """
    df: Counter[str] = Counter()
    for terms in counts.values():
        df.update(terms.keys())
    n = max(1, len(counts))
    out = {}
    for key, terms in counts.items():
        raw = {
            t: (1 + math.log(c)) * math.log(1 + n / df[t]) * (boost if t in vocabulary else 1.0)
            for t, c in terms.items()
            if t in vocabulary or df[t] > 1 or n < 10
        }
        top = sorted(raw.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        out[key] = {t: round(w / norm, 4) for t, w in top if w > 0}
    return out


def _demographics(demo: Counter[str], names: set[str], lex: Lexicon) -> dict[str, Any]:
    name_words = {w for n in names for w in n.split()}
    sex = None
    if name_words & lex.female_only or (demo["female_only"] >= 3 and not demo["male_only"]):
        sex = "female"
    elif name_words & lex.male_only or (demo["male_only"] >= 3 and not demo["female_only"]):
        sex = "male"
    ages = demo["child"] + demo["older"] + 2
    return {
        "sex": sex,
        "child": round(demo["child"] / ages, 3),
        "older": round(demo["older"] / ages, 3),
    }


def build_table(
    medquad: Path,
    opts: BuildOptions | None = None,
    progress: Callable[[Iterable[Any]], Any] = lambda it: it,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Build the table as a JSON-ready dict.

    Args:
        medquad: The MedQuAD JSONL file.
        opts: Build parameters.
        progress: Wraps the row iterator (a progress bar on a terminal).
        cache: Optional file keeping the parsed terms, so weights can be rebuilt quickly.

    Raises:
        InputError: The file cannot be read.
    """
    opts = opts or BuildOptions()
    lex = load_lexicon()
    conds = _collect(_records(medquad, opts, progress, cache), opts)
    rows = read_medquad(medquad)
    named = _named(rows, conds, opts, lex) if opts.named else {}
    removed = _not_conditions(conds, rows, load_topics())
    for key in removed["labelled"] + removed["judged"]:
        del conds[key]
    conds.update(named)
    vocab = frozenset(lex.aliases.values()) | frozenset(lex.diagnosis_aliases.values())
    boost = opts.finding_boost
    findings = _weights({k: c.findings for k, c in conds.items()}, opts.max_terms, vocab, boost)
    risk = _weights({k: c.risk for k, c in conds.items() if c.risk}, opts.max_risk, vocab, boost)
    table = []
    for key in sorted(conds):
        cond = conds[key]
        if not findings.get(key):
            continue
        table.append(
            {
                "name": cond.name,
                "names": sorted(cond.names | {key}),
                "common": bool(cond.sources & lex.common_sources),
                "sources": sorted(cond.sources),
                "demographics": _demographics(cond.demo, cond.names, lex),
                "findings": findings[key],
                "risk": risk.get(key, {}),
                "tests": [t for t, _ in cond.tests.most_common(opts.max_tests)],
            }
        )
    digest = hashlib.sha256(medquad.read_bytes()).hexdigest()[:16]
    return {
        "version": 1,
        "attribution": ATTRIBUTION,
        "license": "CC BY 4.0",
        "input_sha256_16": digest,
        "options": asdict(opts),
        "removed_pages": {"labelled": len(removed["labelled"]), "judged": removed["judged"]},
        "conditions": table,
    }


def write_table(table: dict[str, Any], out: Path) -> int:
    """Write the table as gzip JSON (deterministic bytes); returns the size in bytes."""
    raw = json.dumps(table, sort_keys=True, separators=(",", ":")).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    return out.stat().st_size
