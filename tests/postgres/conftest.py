"""A real PostgreSQL server for the tests that ask for one, started and stopped here.

Started through ``bench.pg.server`` (the PostgreSQL benchmark starts its own the same way).
Without the binaries these tests are skipped with a reason, never faked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.pg.server import NoPostgres, pg_cluster


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    try:
        with pg_cluster(fsync=False) as url:
            yield url
    except NoPostgres as err:
        pytest.skip(str(err))


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh database per test."""
    import uuid

    from sqlalchemy import create_engine, text

    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    yield pg_server.replace("/postgres?", f"/{name}?")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()
