"""PostgreSQL helpers for tests (other areas may import them): a fresh schema per test.

Usage in a fixture::

    from tests.audit.pg import fresh_schema_url, reachable_pg_url

    base = reachable_pg_url()            # None when EVIDENT_TEST_PG_URL is unset or down
    with fresh_schema_url(base) as url:  # URL whose search_path is a new, dropped-after schema
        store = open_store(url)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_ENV = "EVIDENT_TEST_PG_URL"


def reachable_pg_url() -> str | None:
    """``$EVIDENT_TEST_PG_URL`` when a server answers there, else None."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5):
            return url
    except Exception:  # unreachable server: callers report it via require_or_skip
        return None


@contextmanager
def fresh_schema_url(base_url: str, prefix: str = "t_audit") -> Iterator[str]:
    """Create a schema, yield a URL that uses it (``search_path``), drop it afterwards."""
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
