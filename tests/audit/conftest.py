"""Fixtures: an audit store on SQLite (always) and on PostgreSQL (EVIDENT_TEST_PG_URL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.audit.pg import PG_ENV, fresh_schema_url, reachable_pg_url
from tests.conftest import require_or_skip


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    url = reachable_pg_url()
    require_or_skip(
        url is not None,
        "EVIDENT_REQUIRE_POSTGRES",
        f"PostgreSQL not reachable ({PG_ENV} unset or server down)",
    )
    return str(url)


@pytest.fixture
def pg_url(pg_base_url: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards (test isolation)."""
    with fresh_schema_url(pg_base_url) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """The same test on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def store(db_url):
    from evident.audit import open_store

    s = open_store(db_url)
    yield s
    s.close()
