"""A full disk: one clear sentence, nothing half-saved, and the database still verifies."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from caseintake.domain.errors import DomainError
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services
from caseintake.store.models import Case, Contact
from tests.services.test_at_rest import report


def test_full_disk_saves_nothing(services: Services, operator, admin) -> None:  # type: ignore[no-untyped-def]
    services.intake.save(operator, parse_intake(report()))
    with services.db.read() as s:
        pages = s.execute(text("PRAGMA page_count")).scalar_one()
    # Cap the file a little above its current size: saves soon cannot grow it, as on a full disk.
    big = dict(report(), narrative="x" * 20_000)
    with pytest.raises(DomainError) as err:
        for _ in range(50):
            _save_capped(services, operator, big, pages)
    assert err.value.key == "db.disk_full"
    assert "nothing was saved" in err.value.message("en")
    with services.db.read() as s:
        contacts = s.execute(select(func.count()).select_from(Contact)).scalar_one()
        cases = s.execute(select(func.count()).select_from(Case)).scalar_one()
    assert contacts == cases  # every contact that made it has its case: no half-saved report
    assert services.audit.verify(admin).ok


def _save_capped(services: Services, operator, data: dict, pages: int) -> None:  # type: ignore[no-untyped-def,type-arg]
    from sqlalchemy import event

    def cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(services.db.engine, "connect", cap)
    try:
        services.db.engine.pool.dispose()
        services.intake.save(operator, parse_intake(data))
    finally:
        event.remove(services.db.engine, "connect", cap)
        services.db.engine.pool.dispose()  # later connections are uncapped again
