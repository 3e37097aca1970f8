"""A throwaway PostgreSQL server: a fresh cluster in a temporary folder, reached through a Unix
socket only, stopped and removed afterwards. The tests (``tests/postgres/conftest.py``) and the
PostgreSQL benchmark (``bench/pg/scale.py``) both start theirs here.

Uses the binaries on PATH (initdb, pg_ctl) or Debian's ``/usr/lib/postgresql/*/bin``; as root
they run as the ``postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class NoPostgres(RuntimeError):
    """The PostgreSQL binaries are not installed."""


def as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def pg_bin(name: str) -> str | None:
    """On PATH, or where Debian's postgresql package puts it."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def _run(cmd: list[str]) -> None:
    subprocess.run(as_postgres(cmd), check=True, capture_output=True)


@contextmanager
def pg_cluster(*, fsync: bool = True, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Yields the SQLAlchemy URL of the cluster's ``postgres`` database (user ``postgres``,
    trust authentication over a private socket). ``fsync=False`` is for tests only: a crash
    of the machine could lose committed rows."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise NoPostgres("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    base = Path(tempfile.mkdtemp(prefix="caseintake-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    try:
        _run(
            [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]
        )
        options = {"listen_addresses": "''", "unix_socket_directories": str(sock)}
        options["fsync"] = "on" if fsync else "off"
        options.update(settings or {})
        opts = " ".join(f"-c {k}={v}" for k, v in options.items())
        _run([pg_ctl, "-D", str(data), "-o", opts, "-w", "-l", str(base / "log"), "start"])
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(base, ignore_errors=True)


def database_url(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server_url``."""
    return server_url.replace("/postgres?", f"/{name}?")


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database on the server, empty or a copy of ``template`` (which must have no
    other connection open); returns its URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            copy = f' TEMPLATE "{template}"' if template else ""
            c.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        admin.dispose()
    return database_url(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
