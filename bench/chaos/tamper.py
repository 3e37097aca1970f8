"""The tamper phase of ``python -m bench.chaos``: random mutations, each on a fresh copy of the
file and state folder the crash phase left, then ``audit verify`` in one process on that copy
and split over two processes on a second copy (each verify leaves a failure mark and an event,
so the paths must not see each other's), and a login where a user row was changed."""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.chaos.crash import ADMIN, ADMIN_PW, DISABLED, DISABLED_PW, SUPERVISOR, ChaosDb
from bench.chaos.insider import unwrap_own_slot
from bench.chaos.mutations import CLASSES, Expect, Facts, Work
from bench.chaos.record_mutations import RECORD_CLASSES

INSIDER = "op00"  # the attacker: an operator with write access and their own password
WORKER = ("op01", "pw-01-meadow-lark")  # who goes on working on a copy after an attack


def _services(folder: Path) -> Any:
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    return Services(Settings(db_url=f"sqlite:///{folder / 'chaos.db'}", state_dir=folder / "state"))


def _grow(file: Path, state: Path, n: int, who: tuple[str, str] | None) -> None:
    """Ordinary work on a copy: someone (an operator by default) logs in ``n`` times."""
    svc = _services(file.parent)
    for _ in range(n):
        svc.auth.login(*(who or WORKER))
    svc.close()


def make_template(db: ChaosDb, into: Path) -> tuple[Facts, Any]:
    """The crash phase's file, its WAL folded in, copied with its state folder; the facts the
    mutations draw from; the admin's principal (its keys verify every copy)."""
    svc = _services(db.folder)
    admin = svc.auth.login(ADMIN, ADMIN_PW)
    svc.close()
    conn = sqlite3.connect(db.file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_id = conn.execute("SELECT db_id FROM meta").fetchone()[0]
    actors = dict(conn.execute("SELECT seq, actor FROM audit_events"))
    cases = [r[0] for r in conn.execute("SELECT id FROM cases")]
    signed = conn.execute("SELECT count(*) FROM audit_events WHERE sig IS NOT NULL").fetchone()[0]
    conn.close()
    into.mkdir(parents=True)
    shutil.copyfile(db.file, into / "chaos.db")
    shutil.copytree(db.state, into / "state")
    cps = sorted(int(p.stem) for p in (into / "state/checkpoints" / db_id).glob("[0-9]*.json"))
    passwords = dict(db.writers) | {DISABLED: DISABLED_PW}
    facts = Facts(
        db_id=db_id,
        last=max(actors),
        checkpoints=cps,
        actors=actors,
        insider=unwrap_own_slot(db.file, INSIDER, passwords[INSIDER]),
        passwords=passwords,
        operators=[n for n, _ in db.writers],
        supervisor=SUPERVISOR,
        disabled=DISABLED,
        case_ids=cases,
        old_copy=db.old_copy,
        signed=signed > 0,
    )
    return facts, admin


def _fresh(template: Path, to: Path) -> None:
    shutil.rmtree(to, ignore_errors=True)
    to.mkdir(parents=True)
    shutil.copyfile(template / "chaos.db", to / "chaos.db")
    shutil.copytree(template / "state", to / "state")


def _verify(folder: Path, admin: Any, workers: int) -> dict[str, Any]:
    svc = _services(folder)
    try:
        if workers > 1:
            svc.audit.parallel_from = 1
        r = svc.audit.verify(admin, workers=workers)
        return {"ok": r.ok, "problem": r.problem, "seq": r.first_bad_seq, "detail": r.detail}
    except Exception as err:  # a verify that raises said nothing intact, but no sentence either
        key = getattr(err, "key", type(err).__name__)
        return {"ok": False, "problem": f"raised {key}", "seq": None, "detail": str(err)}
    finally:
        svc.close()


def _login(folder: Path, name: str, password: str) -> str | None:
    """The refusal's key, or None when the login went through."""
    svc = _services(folder)
    try:
        svc.auth.login(name, password)
        return None
    except Exception as err:
        return str(getattr(err, "key", type(err).__name__))
    finally:
        svc.close()


# Once events are signed, the signature check runs first and may name an attack before the
# MAC or checkpoint check would (a cut run is "unsigned" one event early, an uncertified user's
# events are by an "unknown signer"): any of these counts as naming it.
SIGNATURE_PROBLEMS = frozenset(
    {"audit.unsigned", "audit.bad_signature", "audit.forged_actor", "audit.unknown_signer"}
)


def _named(expect: Expect, seen: dict[str, Any]) -> bool:
    if expect.users and not any(u in str(seen["detail"]) for u in expect.users):
        return False
    if seen["problem"] in SIGNATURE_PROBLEMS:
        return True
    return (not expect.problems or seen["problem"] in expect.problems) and (
        expect.seq is None or seen["seq"] == expect.seq
    )


_ALL = CLASSES | RECORD_CLASSES  # issue 20: the records' edits, deletions and insertions


def drawn(signed: bool) -> list[str]:
    """The classes to draw: those that need signatures only on a signed trail."""
    return sorted(n for n, (kind, _) in _ALL.items() if signed or kind != "signatures")


def _draw(rng: random.Random, n: int, classes: list[str]) -> list[str]:
    """Every class in turn, shuffled per round, so a short run still tries each."""
    names: list[str] = []
    while len(names) < n:
        names += rng.sample(classes, len(classes))
    return names[:n]


def run_tamper(
    db: ChaosDb, mutations: int, rng: random.Random, progress: Callable[[str], None]
) -> dict[str, Any]:
    work = db.folder / "tamper"
    facts, admin = make_template(db, work / "template")
    start = time.monotonic()
    tried: list[dict[str, Any]] = []
    for i, name in enumerate(_draw(rng, mutations, drawn(facts.signed)), 1):
        kind, mutate = _ALL[name]
        a, b = work / "a", work / "b"
        _fresh(work / "template", a)
        w = Work(a / "chaos.db", a / "state", facts, _grow)
        try:
            expect = mutate(w, rng)
        finally:
            w.close()
        _fresh(a, b)
        serial, parallel = _verify(a, admin, 1), _verify(b, admin, 2)
        login = _login(a, *expect.login) if expect.login else None
        detected = not serial["ok"] and not parallel["ok"]
        if expect.login:
            detected = detected and login is not None
        tried.append(
            {
                "class": name,
                "kind": kind,
                "what": expect.what,
                "detected": detected,
                "named": detected and _named(expect, serial) and _named(expect, parallel),
                "paths_agree": (serial["problem"], serial["seq"])
                == (parallel["problem"], parallel["seq"]),
                "serial": serial,
                "parallel": parallel,
                "login_refused": login,
            }
        )
        if i % 50 == 0:
            progress(f"tamper: {i} mutations, {sum(t['detected'] for t in tried)} detected")
    return {
        "seconds": time.monotonic() - start,
        "signed_trail": facts.signed,
        "tried": tried,
        "per_class": _per_class(tried),
    }


def _per_class(tried: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for t in tried:
        c = out.setdefault(
            t["class"],
            {"kind": t["kind"], "tried": 0, "detected": 0, "named": 0, "paths_disagree": 0},
        )
        c["tried"] += 1
        c["detected"] += t["detected"]
        c["named"] += t["named"]
        c["paths_disagree"] += not t["paths_agree"]
        c.setdefault("problems", Counter())[str(t["serial"]["problem"])] += 1
    for c in out.values():
        c["problems"] = dict(c["problems"])
    return out
