"""The default store: one SQLite file with an FTS5 index ranked by BM25."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from evident.errors import ConfigError, InputError
from evident.kb.config import load_config
from evident.kb.model import Document, Hit, Passage, PassageRecord, content_key
from evident.kb.query import query_terms

__all__ = ["DB_NAME", "SCHEMA_VERSION", "SQLiteStore", "fts5_available"]

log = logging.getLogger(__name__)

DB_NAME = "kb.sqlite"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL,
    url TEXT NOT NULL, date TEXT NOT NULL, meta TEXT NOT NULL, n_passages INTEGER NOT NULL,
    ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, passage_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, title TEXT NOT NULL, section TEXT NOT NULL,
    ftitle TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS term_stats (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS content_keys (key TEXT PRIMARY KEY, doc_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS content_keys_doc ON content_keys(doc_id);
"""
# Set in kb_meta once every document has its content key (bases built before the
# table existed get theirs on the first ingest that looks one up).
_KEYED = "content_keys"

_COLS = "p.passage_id, p.doc_id, p.title, d.title, p.section, p.text, d.source, d.url, d.date"
_FROM = " FROM passages p JOIN documents d ON d.doc_id = p.doc_id"


def fts5_available() -> bool:
    """Whether this Python's SQLite was built with FTS5."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def _record(row: Sequence[str]) -> PassageRecord:
    return PassageRecord(*row[:9])


class SQLiteStore:
    """A knowledge base in ``<dir>/kb.sqlite``: documents, passages, an FTS5 index, vectors.

    Args:
        path: The SQLite file.
        create: Create the file and schema when missing; otherwise a missing file is an
            InputError.
    """

    engine = "sqlite-fts5"

    def __init__(self, path: str | Path, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise InputError(
                f"no knowledge base at '{self.path.parent}' (create one: evident kb ingest"
                f" PATH --kb {self.path.parent})"
            )
        if not fts5_available():
            raise ConfigError("this Python's sqlite3 lacks FTS5; the knowledge base needs it")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        cfg = load_config().fts
        self.weights = (cfg.title_weight, cfg.text_weight)
        self.max_postings = load_config().search.max_postings
        self._tokenizer = cfg.tokenizer
        self._probe = False
        try:
            self.con = sqlite3.connect(self.path)
            self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=NORMAL")
            self._init_schema(cfg.tokenizer)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"'{self.path}' is not a knowledge base ({exc})") from None

    def _init_schema(self, tokenizer: str) -> None:
        self.con.executescript(_SCHEMA)
        self.con.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(ftitle, text,"
            f" content='passages', content_rowid='id', tokenize='{tokenizer}')"
        )
        defaults = {"schema": SCHEMA_VERSION, "tokenizer": tokenizer, "created": _now()}
        for key, value in defaults.items():
            self.con.execute("INSERT OR IGNORE INTO kb_meta VALUES (?, ?)", (key, value))
        self.con.commit()
        schema = self.meta("schema")
        if schema != SCHEMA_VERSION:
            raise InputError(f"knowledge base schema {schema} is not supported")

    def meta(self, key: str) -> str | None:
        """A value of the ``kb_meta`` table (schema, tokenizer, embedding model, ...)."""
        row = self.con.execute("SELECT value FROM kb_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``kb_meta`` table."""
        self.con.execute("INSERT OR REPLACE INTO kb_meta VALUES (?, ?)", (key, value))

    def document_hash(self, doc_id: str) -> str | None:
        """The content hash stored for a document, or None."""
        row = self.con.execute("SELECT hash FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def duplicate_of(self, key: str) -> str | None:
        """The id of an indexed document whose :func:`content_key` is ``key``, or None."""
        if self.meta(_KEYED) != "1":
            self._key_every_document()
        row = self.con.execute("SELECT doc_id FROM content_keys WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        if self._stored_key(row[0]) != key:  # written over by a version without the table
            self.con.execute("DELETE FROM content_keys WHERE key = ?", (key,))
            return None
        return str(row[0])

    def _stored_key(self, doc_id: str) -> str | None:
        title = self.con.execute("SELECT title FROM documents WHERE doc_id = ?", (doc_id,))
        found = title.fetchone()
        if found is None:
            return None
        rows = self.con.execute(
            "SELECT section, text FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
        )
        return content_key(doc_id, found[0], rows.fetchall())

    def _key_every_document(self) -> None:
        """Give every indexed document its content key (one pass over the passages)."""
        cur = self.con.execute(
            f"SELECT d.doc_id, d.title, p.section, p.text{_FROM} ORDER BY d.doc_id, p.ordinal"
        )
        keys: list[tuple[str, str]] = []
        doc: tuple[str, str] | None = None
        said: list[tuple[str, str]] = []
        for doc_id, title, section, text in cur:
            if doc is not None and doc[0] != doc_id:
                keys.append((content_key(*doc, said), doc[0]))
                said = []
            doc = (doc_id, title)
            said.append((section, text))
        if doc is not None:
            keys.append((content_key(*doc, said), doc[0]))
        self.con.executemany("INSERT OR IGNORE INTO content_keys VALUES (?, ?)", keys)
        self.set_meta(_KEYED, "1")

    def add(self, document: Document, passages: Sequence[Passage], content_hash: str) -> None:
        """Index a document's passages (the document must not be indexed yet)."""
        for rowid, ftitle, text in self.add_rows(document, passages, content_hash):
            self.con.execute(
                "INSERT INTO passages_fts (rowid, ftitle, text) VALUES (?, ?, ?)",
                (rowid, ftitle, text),
            )

    def add_rows(
        self, document: Document, passages: Sequence[Passage], content_hash: str
    ) -> list[tuple[int, str, str]]:
        """Write the document and passage rows; return ``(key, title, text)`` to index."""
        self.con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document.id,
                content_hash,
                document.title,
                document.source,
                document.url,
                document.date,
                json.dumps(dict(document.meta), ensure_ascii=False),
                len(passages),
                _now(),
            ),
        )
        key = content_key(document.id, document.title, ((p.section, p.text) for p in passages))
        self.con.execute("INSERT OR IGNORE INTO content_keys VALUES (?, ?)", (key, document.id))
        rows = []
        for p in passages:
            ftitle = document.title if p.title == document.title else f"{p.title} {document.title}"
            cur = self.con.execute(
                "INSERT INTO passages (passage_id, doc_id, ordinal, title, section, ftitle, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (p.id, p.doc_id, p.ordinal, p.title, p.section, ftitle, p.text),
            )
            rows.append((int(cur.lastrowid or 0), ftitle, p.text))
        return rows

    def delete(self, doc_id: str) -> int:
        """Remove a document, its passages, their index entries and vectors."""
        rows = self.con.execute(
            "SELECT id, ftitle, text FROM passages WHERE doc_id = ?", (doc_id,)
        ).fetchall()
        for rowid, ftitle, text in rows:
            self.con.execute(
                "INSERT INTO passages_fts (passages_fts, rowid, ftitle, text)"
                " VALUES ('delete', ?, ?, ?)",
                (rowid, ftitle, text),
            )
            self.con.execute("DELETE FROM vectors WHERE id = ?", (rowid,))
        self.drop_rows(doc_id)
        return len(rows)

    def drop_rows(self, doc_id: str) -> None:
        """Delete a document's rows: passages, the document and its content key."""
        for table in ("passages", "documents", "content_keys"):
            self.con.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """The ``k`` best passages by BM25 (title weighted above text), best first."""
        return self._hits(self.rank_terms(query_terms(query), k))

    def rank_terms(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """BM25 ranking for query terms (see :func:`query_terms`), pruned on large indexes."""
        kept = self.prune(terms)
        return self.rank_fts(" OR ".join(f'"{t}"' for t in kept), k)

    def prune(self, terms: Sequence[str]) -> list[str]:
        """Keep the rarest terms whose summed document frequency fits ``max_postings``."""
        terms = list(terms)
        if not self.max_postings or len(terms) < 2:
            return terms
        total = self.meta("term_stats_passages")
        if total is None or int(total) <= self.max_postings:
            return terms
        dfs = self._document_frequencies(terms)
        order = sorted(range(len(terms)), key=lambda i: dfs[i])
        kept, budget = [order[0]], dfs[order[0]]
        for i in order[1:]:
            if budget + dfs[i] > self.max_postings:
                break
            kept.append(i)
            budget += dfs[i]
        return [terms[i] for i in sorted(kept)]

    def _document_frequencies(self, terms: list[str]) -> list[int]:
        """Passages containing each term, from ``term_stats`` (terms stemmed by FTS5 itself)."""
        if not self._probe:
            self.con.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.probe"
                f" USING fts5(x, tokenize='{self._tokenizer}')"
            )
            self.con.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.probe_terms"
                " USING fts5vocab(temp, probe, instance)"
            )
            self._probe = True
        self.con.execute("DELETE FROM temp.probe")
        self.con.executemany("INSERT INTO temp.probe (rowid, x) VALUES (?, ?)", enumerate(terms))
        stems: dict[int, list[str]] = {}
        for doc, term in self.con.execute("SELECT doc, term FROM temp.probe_terms"):
            stems.setdefault(int(doc), []).append(term)
        dfs = []
        for i in range(len(terms)):
            counts = [
                row[0]
                for t in stems.get(i, [])
                if (
                    row := self.con.execute(
                        "SELECT df FROM term_stats WHERE term = ?", (t,)
                    ).fetchone()
                )
            ]
            dfs.append(max(counts, default=0))
        return dfs

    def refresh_term_stats(self) -> None:
        """Recompute the document frequency of every indexed term (after an ingest)."""
        self.con.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_vocab"
            " USING fts5vocab(main, passages_fts, row)"
        )
        self.con.execute("DELETE FROM term_stats")
        self.con.execute("INSERT INTO term_stats SELECT term, doc FROM temp.kb_vocab")
        n = self.con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        self.set_meta("term_stats_passages", str(n))
        self.con.commit()

    def search_fts(self, match: str, k: int) -> list[Hit]:
        """Run an already-escaped FTS5 expression (see :func:`evident.kb.query.fts_query`)."""
        return self._hits(self.rank_fts(match, k))

    def rank_fts(self, match: str, k: int) -> list[tuple[int, float]]:
        """``(internal key, BM25 score)`` of the ``k`` best passages, best first."""
        if k <= 0:
            return []
        ranked = self.con.execute(
            "SELECT rowid, bm25(passages_fts, ?, ?) AS s FROM passages_fts"
            " WHERE passages_fts MATCH ? ORDER BY s LIMIT ?",
            (*self.weights, match, k),
        ).fetchall()
        return [(int(rowid), -float(s)) for rowid, s in ranked]

    def _hits(self, ranked: Sequence[tuple[int, float]]) -> list[Hit]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self.con.execute(
            f"SELECT p.id, {_COLS}{_FROM} WHERE p.id IN ({marks})",
            [r for r, _ in ranked],
        ).fetchall()
        by_id = {row[0]: _record(row[1:]) for row in rows}
        return [Hit(by_id[r], s) for r, s in ranked if r in by_id]

    def hits_by_key(self, ranked: Sequence[tuple[int, float]]) -> list[Hit]:
        """Hits for ``(internal key, score)`` pairs, in the given order."""
        return self._hits(ranked)

    def get_passage(self, passage_id: str) -> PassageRecord | None:
        """The stored passage with this id, or None."""
        row = self.con.execute(
            f"SELECT {_COLS}{_FROM} WHERE p.passage_id = ?", (passage_id,)
        ).fetchone()
        return _record(row) if row else None

    def iter_passages(self, batch: int = 1000) -> Iterator[list[tuple[int, str]]]:
        """All passages as batches of ``(rowid, title + text)``."""
        cur = self.con.execute("SELECT id, ftitle || '. ' || text FROM passages ORDER BY id")
        while rows := cur.fetchmany(batch):
            yield [(int(r), str(t)) for r, t in rows]

    def stats(self) -> dict[str, object]:
        """Counts of documents, passages and vectors, per source, and settings."""
        q = self.con.execute
        by_source = dict(q("SELECT source, COUNT(*) FROM documents GROUP BY source").fetchall())
        return {
            "engine": self.engine,
            "path": str(self.path),
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "passages": q("SELECT COUNT(*) FROM passages").fetchone()[0],
            "vectors": q("SELECT COUNT(*) FROM vectors").fetchone()[0],
            "sources": by_source,
            "oldest": q("SELECT MIN(date) FROM documents WHERE date != ''").fetchone()[0],
            "newest": q("SELECT MAX(date) FROM documents WHERE date != ''").fetchone()[0],
            "tokenizer": self.meta("tokenizer"),
            "embedding_model": self.meta("embedding_model"),
            "bm25_weights": {"title": self.weights[0], "text": self.weights[1]},
        }

    def optimize(self) -> None:
        """Merge the FTS5 index segments (faster queries after a large ingest)."""
        self.con.execute("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')")
        self.con.commit()

    def commit(self) -> None:
        """Commit pending writes."""
        self.con.commit()

    def close(self) -> None:
        """Commit and close the connection."""
        self.con.commit()
        self.con.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
