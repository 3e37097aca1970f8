"""Databases of the national line for the benchmarks, built once and kept in a cache folder.

``python -m bench.build_db N`` builds (or finds) the database of N contacts: ten years ending
now, 50 operators, seed 111, through ``BulkBuilder`` (the services' own routing, ciphers and
audit chain; one transaction per batch). The folder is ``$CASEINTAKE_BENCH_CACHE`` or
``~/.cache/caseintake-bench``, outside the repository.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench.scale.national_clock import END as NATIONAL_END
from caseintake.crypto.kdf import KdfCost
from caseintake.domain.national.mix import national_mix
from caseintake.domain.national.plan import national_contacts
from caseintake.services.access.setup import SetupService
from caseintake.services.bulk.demo_build import BulkBuilder, default_workers
from caseintake.services.bulk.replay import NATIONAL_PASSWORD, national_users
from caseintake.services.container import Services
from caseintake.services.core.settings import Settings

OPERATORS, SEED, YEARS = 50, 111, 10
# Fixed, so a cached database stays what it was: the decade ends on this day.
END = NATIONAL_END


def cache_dir() -> Path:
    folder = Path(os.environ.get("CASEINTAKE_BENCH_CACHE", Path.home() / ".cache/caseintake-bench"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@dataclass(frozen=True)
class BenchDb:
    path: Path
    contacts: int
    build_seconds: float | None  # None: found in the cache

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def settings(self, now: datetime = END) -> Settings:
        return Settings(db_url=self.url, state_dir=self.path.parent / "state", clock=lambda: now)


def build(contacts: int, folder: Path | None = None) -> BenchDb:
    from caseintake.store.migrate import head_revision

    folder = folder or cache_dir()
    # A new migration or a new mix makes a new database: both are part of the name.
    name = f"national-{contacts}-r{head_revision()}-m{national_mix().version}"
    path, done = folder / f"{name}.db", folder / f"{name}.json"
    if path.exists() and done.exists():
        return BenchDb(path, contacts, None)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), done):
        stale.unlink(missing_ok=True)
    start_at = END - timedelta(days=365 * YEARS)
    settings = Settings(db_url=f"sqlite:///{path}", state_dir=folder / "state", clock=lambda: END)
    started = time.perf_counter()
    # The users' key slots at the test cost (a database setting chosen at init): the benchmarks
    # measure the data, and 51 logins at the real Argon2 cost would take minutes to build.
    SetupService.default_kdf = KdfCost(256, 1, 1)
    svc = Services(settings)
    _, operators, supervisor = national_users(svc, OPERATORS)
    plan = national_contacts(random.Random(SEED), contacts, start_at, END, OPERATORS)
    builder = BulkBuilder(svc, operators, supervisor, workers=default_workers())
    written, cases = builder.write(plan)
    svc.close()
    seconds = time.perf_counter() - started
    info = {"contacts": written, "cases": cases, "seconds": seconds, "password": NATIONAL_PASSWORD}
    done.write_text(json.dumps(info) + "\n")
    return BenchDb(path, contacts, seconds)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    db = build(n)
    print(f"{db.path}: {n:,} contacts, built in {db.build_seconds or 0:.1f} s (0: cached)")
