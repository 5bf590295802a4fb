"""``evident kb``: ingest documents into a knowledge base, search it, show its counts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from evident.errors import InputError

__all__ = ["register"]

KB_OPTION = click.option(
    "--kb",
    "kb_dir",
    required=True,
    envvar="EVIDENT_KB",
    type=click.Path(path_type=Path),
    help="Knowledge base folder (default: $EVIDENT_KB).",
)
MODES = click.Choice(["bm25", "dense", "hybrid"])
MAX_POSTINGS = click.option(
    "--max-postings",
    type=click.IntRange(min=0),
    default=None,
    help="Pruning budget on large indexes: 0 = exact BM25 (default from kb.json: 20000).",
)


@click.group("kb")
def kb_group() -> None:
    """The knowledge base: literature and guideline passages searched by BM25."""


@kb_group.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@KB_OPTION
@click.option("--embed", is_flag=True, help="Also compute dense vectors (embeddings extra).")
@click.option("--optimize", is_flag=True, help="Merge index segments after a large ingest.")
@click.option(
    "--engine",
    type=click.Choice(["sqlite", "tantivy"]),
    default=None,
    help="Search engine of a new base: sqlite (default) or tantivy (large bases, exact "
    "BM25; the kb-scale extra). An existing base keeps its engine.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def ingest_cmd(
    paths: tuple[Path, ...],
    kb_dir: Path,
    embed: bool,
    optimize: bool,
    engine: str | None,
    no_progress: bool,
    fmt: str,
) -> None:
    """Ingest PubMed XML, PubMedQA JSON, MedQuAD/document JSONL, .txt, .md, .html files.

    Folders are searched recursively. Re-ingesting skips unchanged documents and
    replaces changed ones; a document whose content is already indexed (the same file
    under another name, one text under two ids) is skipped. The counts say which.
    """
    from evident.kb import KnowledgeBase

    with KnowledgeBase(kb_dir, create=True, engine=engine) as kb:  # type: ignore[arg-type]
        report = kb.ingest(paths, progress=not no_progress, embed=embed)
        if optimize:
            kb.store.optimize()
        stats = kb.stats()
    if fmt == "json":
        counts = report.as_dict() | {"total_documents": stats["documents"]}
        counts["total_passages"] = stats["passages"]
        click.echo(json.dumps(counts))
    else:
        _echo_counts(report, stats)
    if report.files == 0:  # a mistyped folder, or only bad files: no success to report
        raise InputError("nothing ingested: no readable file of a known type was found")


def _echo_counts(report: Any, stats: dict[str, Any]) -> None:
    written = report.added + report.replaced
    click.echo(
        f"{report.files} files read: {report.added} documents added, {report.replaced} "
        f"replaced, {report.unchanged} unchanged, {report.duplicates} duplicate ids skipped; "
        f"{report.passages} passages written for the {written} new or changed documents "
        f"({report.skipped_files} files of unknown type skipped). "
        f"Knowledge base: {stats['documents']} documents, {stats['passages']} passages."
    )
    if report.duplicate_content:
        click.echo(
            f"evident: note: skipped {report.duplicate_content} documents whose content is "
            "already indexed",
            err=True,
        )
    for bad in report.bad_files:
        click.echo(f"evident: warning: skipped {bad}", err=True)


def _read_queries(path: Path) -> list[tuple[Any, str]]:
    from evident.kb.query import query_terms

    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise InputError(f"cannot read '{path.name}': {exc.strerror}") from None
    out: list[tuple[Any, str]] = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InputError(f"'{path.name}' line {n}: malformed JSON") from None
        if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("query"), str):
            raise InputError(f'\'{path.name}\' line {n}: expected {{"id": ..., "query": "..."}}')
        try:
            query_terms(item["query"])
        except InputError as exc:
            raise InputError(f"'{path.name}' line {n}: {exc}") from None
        out.append((item["id"], item["query"]))
    if not out:
        raise InputError(f"'{path.name}' has no queries")
    return out


def _emit_hits(hits: list[Any], fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        out.write(json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n")
        return
    hits = [h for h in hits if h.score > 0]
    if not hits:
        out.write("no passage matches\n")
    for rank, h in enumerate(hits, start=1):
        p = h.passage
        when = f", {p.date}" if p.date else ""
        out.write(f"{rank:>3}. {h.score:8.3f}  {p.passage_id}  {p.title} ({p.source}{when})\n")
        snippet = p.text if len(p.text) <= 200 else p.text[:200] + "…"
        out.write(f"     {snippet}\n")


@kb_group.command("search")
@click.argument("query", required=False)
@KB_OPTION
@click.option("--k", "k", type=int, default=10, show_default=True, help="Results per query.")
@click.option("--queries", type=click.Path(path_type=Path), help='JSONL of {"id", "query"}.')
@click.option("--mode", type=MODES, default="bm25", show_default=True)
@MAX_POSTINGS
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default=None)
def search_cmd(
    query: str | None,
    kb_dir: Path,
    k: int,
    queries: Path | None,
    mode: str,
    max_postings: int | None,
    fmt: str | None,
) -> None:
    """Search passages for QUERY, or for every line of --queries (JSONL in and out)."""
    from evident.kb import KnowledgeBase

    if (query is None) == (queries is None):
        raise InputError("give either a QUERY or --queries FILE.jsonl")
    batch = _read_queries(queries) if queries else None
    fmt = fmt or ("jsonl" if batch else "text")
    if batch is None and fmt == "jsonl":
        raise InputError("--format jsonl is for --queries; use text or json for one query")
    if batch is not None and fmt != "jsonl":
        raise InputError("--queries writes JSONL; use --format jsonl")
    with KnowledgeBase(kb_dir, max_postings=max_postings) as kb:
        if batch is None:
            _emit_hits(kb.search(query or "", k=k, mode=mode), fmt, sys.stdout)  # type: ignore[arg-type]
            return
        for qid, text in batch:
            hits = kb.search(text, k=k, mode=mode)  # type: ignore[arg-type]
            row = {"id": qid, "results": [h.to_json() for h in hits]}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


@kb_group.command("stats")
@KB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def stats_cmd(kb_dir: Path, fmt: str) -> None:
    """Counts of documents, passages and vectors, per source."""
    from evident.kb import KnowledgeBase

    with KnowledgeBase(kb_dir) as kb:
        stats = kb.stats()
    if fmt == "json":
        click.echo(json.dumps(stats))
        return
    for key, value in stats.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for name, n in value.items():
                click.echo(f"  {name}: {n}")
        else:
            click.echo(f"{key}: {value}")


@kb_group.command("embed")
@KB_OPTION
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def embed_cmd(kb_dir: Path, no_progress: bool) -> None:
    """Compute dense vectors for passages that have none (needs the embeddings extra)."""
    from evident.kb import KnowledgeBase, embed_missing

    with KnowledgeBase(kb_dir) as kb:
        n = embed_missing(kb.store, kb.encoder, progress=not no_progress)
    click.echo(f"{n} passages embedded")


def register(root: click.Group) -> None:
    """Add the ``kb`` group to the root command."""
    root.add_command(kb_group)
