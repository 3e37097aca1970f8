"""The launch's schema check reads the revisions without Alembic (issue 23 item 3): the same
answers as Alembic's own readers, and the same refusals (never initialised, newer, older)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from caseintake.domain.errors import DomainError
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store import migrate, schema_version
from caseintake.store.db import Database


def test_the_revisions_are_alembics() -> None:
    assert schema_version.head_revision() == migrate.head_revision()
    assert schema_version.known_revisions() == migrate.known_revisions()


def test_a_script_it_cannot_read_goes_to_alembic(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(script: Path) -> tuple[str, str | None]:
        raise schema_version._Unreadable(script.name)

    schema_version._graph.cache_clear()
    monkeypatch.setattr(schema_version, "_read", unreadable)
    try:
        assert schema_version.head_revision() == migrate.head_revision()
    finally:
        schema_version._graph.cache_clear()


def test_current_revision_as_alembic_reads_it(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'v.db'}")
    assert schema_version.current_revision(db.engine) is None  # no version table yet
    migrate.upgrade(db.engine)
    assert schema_version.current_revision(db.engine) == migrate.current_revision(db.engine)
    db.dispose()


def test_the_launch_refuses_a_database_not_at_head(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    services = Services(Settings(db_url=f"sqlite:///{path}", state_dir=tmp_path / "state"))
    with pytest.raises(DomainError) as empty:
        services.check_ready()
    assert empty.value.key == "db.not_initialised"
    migrate.upgrade(services.db.engine)
    services.check_ready()  # at head: no sentence
    for revision, key in (("ffff_from_the_future", "db.newer_schema"), ("0018", "db.older_schema")):
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        with pytest.raises(DomainError) as refused:
            services.check_ready()
        assert refused.value.key == key
    services.close()
