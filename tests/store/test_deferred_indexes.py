"""A bulk build sets the tables' secondary indexes aside while it loads and makes them again
after it (issue 11 item 1): the schema afterwards is the migrations' own, also when the build
fails midway or is killed."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from caseintake.cli.main import app
from caseintake.domain.national.plan import PlannedContact, national_contacts
from caseintake.services.bulk.demo_build import BulkBuilder
from caseintake.services.bulk.replay import national_users
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings
from caseintake.store.deferred_indexes import deferred, present, restore

END = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
START = END - timedelta(days=60)
LOADED = ["contacts", "cases", "referrals", "audit_events"]


def _index_sql(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "select name, sql from sqlite_master where type = 'index' and sql is not null"
        )
        return sorted((name, " ".join(sql.split())) for name, sql in rows)


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Services, Any]]:
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService
    from tests.conftest import CHEAP_KDF_ARGS

    monkeypatch.setattr(SetupService, "default_kdf", KdfCost(*CHEAP_KDF_ARGS))
    svc = Services(Settings(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}", state_dir=tmp_path))
    _, operators, supervisor = national_users(svc, 2)
    yield svc, (operators, supervisor)
    svc.close()


def _plan(count: int) -> Iterator[PlannedContact]:
    return national_contacts(random.Random(7), count, START, END, 2)


def test_the_build_ends_with_the_migrations_own_indexes(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svc, (operators, supervisor) = built
    before = _index_sql(tmp_path / "db.sqlite")
    assert len(before) > 20
    written, _ = BulkBuilder(svc, operators, supervisor).write(_plan(120), batch=50)
    assert written == 120
    assert _index_sql(tmp_path / "db.sqlite") == before


def test_the_indexes_are_away_while_loading(built) -> None:  # type: ignore[no-untyped-def]
    svc, _ = built
    engine = svc.db.engine
    with deferred(engine, LOADED) as names:
        assert {"ix_contacts_phone_index", "ix_audit_events_entity"} <= set(names)
        assert present(engine, LOADED) == set()
        assert "ix_directory_current" in present(engine)  # other tables keep theirs
    assert present(engine, LOADED) >= set(names)


def test_a_failed_build_still_makes_its_indexes_again(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Bad input: the plan breaks off midway; the error reaches the caller, the batches
    written so far stay, and the indexes are all there again."""
    svc, (operators, supervisor) = built
    before = _index_sql(tmp_path / "db.sqlite")

    def broken() -> Iterator[PlannedContact]:
        for n, planned in enumerate(_plan(200)):
            if n == 150:
                raise ValueError("the plan broke off")
            yield planned

    with pytest.raises(ValueError, match="broke off"):
        BulkBuilder(svc, operators, supervisor).write(broken(), batch=50)
    assert _index_sql(tmp_path / "db.sqlite") == before
    with sqlite3.connect(tmp_path / "db.sqlite") as conn:
        assert conn.execute("select count(*) from contacts").fetchone()[0] >= 100


def test_a_killed_build_is_mended_by_db_upgrade(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A build killed while loading leaves the indexes set aside; ``db upgrade`` names and
    makes them again, and the next build would too."""
    svc, _ = built
    path = tmp_path / "db.sqlite"
    before = _index_sql(path)
    svc.close()
    with sqlite3.connect(path) as conn:  # what the build had dropped when it was killed
        for name in ("ix_contacts_phone_index", "ix_referrals_open_due", "ix_audit_events_entity"):
            conn.execute(f"DROP INDEX {name}")
    assert len(_index_sql(path)) == len(before) - 3
    result = CliRunner().invoke(
        app,
        ["--lang", "en", "db", "upgrade", "--db", f"sqlite:///{path}"],
        env={"CASEINTAKE_STATE_DIR": str(tmp_path)},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Made again" in result.output and "ix_contacts_phone_index" in result.output
    assert _index_sql(path) == before
    assert restore(svc.db.engine) == []  # nothing left to make
