"""``python -m bench.pg.scale [--contacts N] [--url URL] [--json]``: the national line on
PostgreSQL (issue 11 item 5), built and measured in one run.

Starts a throwaway PostgreSQL server (``bench.pg.server``, fsync on) unless ``--url`` names one
(the URL of its ``postgres`` database: ``postgresql+psycopg://user@/postgres?host=/run/…``).
There it creates the database ``national_<N>``, builds it as ``bench/build_db.py`` builds the
SQLite one (the app's migrations by ``init``, 50 operators and a supervisor, seed 111, the
decade ending 1 Nov 2026, ``BulkBuilder`` with its closing ``ANALYZE``, in one process unless
``--workers``; timed), runs ``VACUUM`` as an administrator would after a bulk load (timed
apart), and measures the save, home, search, lookup, queue and verify bars against psycopg
baselines in the same run, rounds interleaved (``bench.common.paired``), and 20 operators'
processes saving at once (before the verify, so it covers their saves). On a server given by
``--url`` a database built before (named in its comment) is reused. Figures go to
``bench/results/pg-scale.json``; progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.build_db import END, OPERATORS, SEED, YEARS, cache_dir
from bench.common import RESULTS
from bench.pg.reads import connect
from bench.pg.server import NoPostgres, create_database, database_url, drop_database, pg_cluster


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class PgDb:
    name: str
    url: str
    contacts: int
    cases: int
    build_seconds: float | None  # None: found on the server, built by an earlier run
    state: Path

    def settings(self, url: str | None = None) -> Any:
        from caseintake.services.core.settings import Settings

        return Settings(db_url=url or self.url, state_dir=self.state, clock=lambda: END)


def _built_before(server_url: str, name: str) -> dict[str, Any] | None:
    with connect(server_url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if row is None or not row[0]:
        return None
    return dict(json.loads(row[0]))


def build(server_url: str, contacts: int, workers: int = 0) -> PgDb:
    from caseintake.crypto.kdf import KdfCost
    from caseintake.domain.national.mix import national_mix
    from caseintake.domain.national.plan import national_contacts
    from caseintake.services.access.setup import SetupService
    from caseintake.services.bulk.demo_build import BulkBuilder
    from caseintake.services.bulk.replay import national_users
    from caseintake.services.container import Services
    from caseintake.store.migrate import head_revision

    name = f"national_{contacts}_r{head_revision()}_m{national_mix().version.replace('.', '_')}"
    state = cache_dir() / f"pg-state-{name}"
    known = _built_before(server_url, name)
    if known is not None:
        url = database_url(server_url, name)
        return PgDb(name, url, known["contacts"], known["cases"], None, state)
    drop_database(server_url, name)
    url = create_database(server_url, name)
    started = time.perf_counter()
    db = PgDb(name, url, contacts, 0, None, state)
    svc = Services(db.settings())
    # The users' key slots at the test cost, as build_db does: the bench measures the data.
    cost, SetupService.default_kdf = SetupService.default_kdf, KdfCost(256, 1, 1)
    try:
        _, operators, supervisor = national_users(svc, OPERATORS)
    finally:
        SetupService.default_kdf = cost
    plan = national_contacts(
        random.Random(SEED), contacts, END - timedelta(days=365 * YEARS), END, OPERATORS
    )
    builder = BulkBuilder(svc, operators, supervisor, workers=workers)
    written, cases = builder.write(plan)
    svc.close()
    seconds = time.perf_counter() - started
    info = json.dumps({"contacts": written, "cases": cases, "seconds": seconds})
    with connect(server_url) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{info}'")
    return PgDb(name, url, written, cases, seconds, state)


def _vacuum(url: str) -> float:
    with connect(url) as conn:
        started = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        return time.perf_counter() - started


def machine(server_url: str) -> dict[str, Any]:
    with connect(server_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        fsync = conn.execute("SHOW fsync").fetchone()
    return {
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "postgresql": row[0] if row else None,
        "fsync": fsync[0] if fsync else None,
        "platform": platform.platform(),
    }


def run(
    server_url: str, contacts: int, rounds: int = 7, writers: int = 20, workers: int = 0
) -> dict[str, Any]:
    from bench.pg import reads as pg_scale_reads
    from bench.pg import writes as pg_scale_writes

    figures: dict[str, Any] = {"machine": machine(server_url), "contacts": contacts}
    started = time.perf_counter()
    say(f"building {contacts:,} contacts on PostgreSQL")
    db = build(server_url, contacts, workers)
    figures.update(cases=db.cases, build_seconds=db.build_seconds, database=db.name)
    figures["build_workers"] = workers
    figures["vacuum_seconds"] = _vacuum(db.url)
    with connect(db.url) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    figures["database_mb"] = size[0] / 2**20 if size else None
    say("  saves")
    figures["save"] = pg_scale_writes.measure_saves(
        server_url, db.name, db.settings, rounds=2 * rounds + 1
    )
    say("  reads")
    figures["reads"] = pg_scale_reads.measure(db.url, contacts, db.settings(), rounds=rounds)
    say(f"  {writers} operators saving at once")
    figures["concurrency"] = pg_scale_writes.measure_concurrency(db.url, db.state, writers)
    say("  verify")
    figures["verify"] = pg_scale_writes.measure_verify(db.url, db.settings(), rounds=3)
    reads = figures["reads"]
    figures["bars"] = {
        "save_ratio": figures["save"]["ratio"],
        "home_ratio": reads.get("home", {}).get("ratio"),
        "search_ratio": max(
            (v["ratio"] for k, v in reads.items() if k.startswith("search_")), default=None
        ),
        "lookup_ratio": reads.get("lookup", {}).get("ratio"),
        "queue_ratio": reads.get("queue", {}).get("ratio"),
        "verify_ratio": figures["verify"]["ratio"],
        "lost_saves": figures["concurrency"]["lost_saves"],
        "save_errors": figures["concurrency"]["error_count"],
    }
    figures["load_average_at_end"] = os.getloadavg()
    figures["seconds"] = time.perf_counter() - started
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.pg.scale", description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--url", help="a running server's postgres database (else one is started)")
    parser.add_argument("--rounds", type=int, default=7, help="paired rounds per read bar")
    parser.add_argument("--writers", type=int, default=20, help="operators saving at once")
    # In one process by default: with the server on the same 2 cores, forked workers made the
    # build slower here (1 M: 561 s with 2 workers against 374 s in one process).
    parser.add_argument("--workers", type=int, default=0, help="bulk build worker processes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--out", type=Path, default=RESULTS / "pg-scale.json")
    args = parser.parse_args(argv)
    try:
        with ExitStack() as stack:
            server = args.url or stack.enter_context(pg_cluster(fsync=True))
            result = run(server, args.contacts, args.rounds, args.writers, args.workers)
    except (NoPostgres, psycopg.OperationalError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise SystemExit(f"No PostgreSQL server to measure on: {first}") from None
    text = json.dumps(result, indent=2, default=str)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")
    if args.json:
        print(text)
    else:
        say(f"built in {result['build_seconds'] or 0:.1f} s (0: reused)")
        for bar, value in result["bars"].items():
            print(f"{bar:<13} {value if value is None else f'{value:.3f}'}")
    return result


if __name__ == "__main__":
    main()
