"""Engine and session set-up for SQLite (embedded default) and PostgreSQL (DESIGN §5).

SQLite: WAL, synchronous=FULL, foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` for
write transactions so concurrent operators queue for the write lock instead of failing with
"database is locked" half-way through a save. Read transactions stay deferred.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from caseintake.domain.errors import DomainError
from caseintake.store.db_errors import plain_error
from caseintake.store.driver_watch import notify
from caseintake.store.fast_read import FastReads
from caseintake.store.records import watch_writes
from caseintake.store.wal_checkpoint import WalCheckpointer

BUSY_TIMEOUT_MS = 60_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is deferred).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    # Checkpoints off the commit: store/wal_checkpoint.py runs them on a thread of its own.
    cur.execute("PRAGMA wal_autocheckpoint = 0")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get("caseintake_write", False)
    sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    # Straight to the driver, as the save's statements go (store/fast_sql.py).
    notify(conn.engine.pool, sql, ())
    conn.connection.driver_connection.execute(sql)


def parse_url(url: str) -> str:
    """Check a database URL early, with one clear sentence when it is wrong."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DomainError("db.bad_url", url=url) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DomainError("db.bad_backend", url=url)
    return url


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_private(path: Path) -> list[Path]:
    """Before SQLite opens a new file: create it 0600 (and its missing folders 0700), so the
    WAL and shared-memory files SQLite derives from it are 0600 too, whatever the umask.
    Returns the files of the database that other users of the machine can read (issue 10 #7)."""
    if not path.exists():
        missing = []
        here = path.parent
        while not here.exists() and here != here.parent:
            missing.append(here)
            here = here.parent
        try:
            for folder in reversed(missing):
                folder.mkdir(mode=0o700, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            pass
        except OSError:
            return []  # SQLite will say what is wrong, in its own words
    exposed = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.stat().st_mode & 0o077:
                exposed.append(candidate)
        except OSError:
            continue
    return exposed


class Database:
    """One engine and two session factories: deferred reads, immediate writes."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = parse_url(url)
        backend = make_url(url).get_backend_name()
        self.is_sqlite = backend == "sqlite"
        file = sqlite_file(url) if self.is_sqlite else None
        # Files and folders of this database that others on the machine can read: the CLI warns.
        self.exposed: list[Path] = make_private(file) if file is not None else []
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._file = file
        self._checkpointer = (
            WalCheckpointer(
                file, [f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}", "PRAGMA synchronous = FULL"]
            )
            if file is not None
            else None
        )
        self._fast: FastReads | None = None
        write_engine = self.engine.execution_options(caseintake_write=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(write_engine, expire_on_commit=False)
        watch_writes(self._write)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: commits on success, rolls back on any exception.

        A full disk or a lock held too long becomes one sentence for the user; the transaction
        is rolled back whole, so nothing is half-saved and the form keeps what was typed.
        """
        try:
            with self._write() as session, session.begin():
                yield session
        except (OperationalError, sqlite3.OperationalError) as err:
            # A save's statements go to SQLite's driver (store/fast_sql.py): its own errors.
            plain = plain_error(str(getattr(err, "orig", err)))
            if plain is not None:
                raise plain from None
            raise
        self.wrote()

    def wrote(self) -> None:
        """A write committed on a connection of this database's own (a session's, or a fast
        read's ``Lookup.write``): a WAL checkpoint soon, off the caller's thread, if due."""
        if self._checkpointer is not None:
            self._checkpointer.nudge()

    @property
    def fast(self) -> FastReads:
        """The screens' hot reads (``store.fast_read``): driver connections on a SQLite file,
        SQLAlchemy's own elsewhere."""
        if self._fast is None:
            driver = self._driver if self._file else None
            self._fast = FastReads(self.engine, driver)
        return self._fast

    def _driver(self, writes: bool) -> sqlite3.Connection:
        """A driver connection with the database's PRAGMAs; read-only unless ``writes``."""
        conn = sqlite3.connect(
            str(self._file), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        _sqlite_pragmas(conn, None)
        if not writes:
            conn.execute("PRAGMA query_only = ON")
        return conn

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        if self._fast is not None:
            self._fast.close()
        self.engine.dispose()
