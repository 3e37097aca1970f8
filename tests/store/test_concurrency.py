"""Operator processes saving at once: no "database is locked", no lost save, chain intact."""

from __future__ import annotations

import tempfile

from sqlalchemy import select

from bench.bench_concurrency import prepare, run_writers
from caseintake.store.models import Contact


def test_concurrent_processes_lose_nothing() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, state, users, (svc, admin) = prepare(tmp, 6)
        saved, errors = run_writers(url, state, users, 5)
        assert errors == []
        with svc.db.read() as s:  # type: ignore[attr-defined]
            in_db = set(s.execute(select(Contact.id)).scalars())
        assert len(saved) == 30 and set(saved) == in_db  # every acknowledged save is there
        assert svc.audit.verify(admin).ok  # type: ignore[attr-defined]
        svc.close()  # type: ignore[attr-defined]
