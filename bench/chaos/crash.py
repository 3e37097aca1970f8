"""The crash phase of ``python -m bench.chaos``: W operator processes save through the real
services while random ones are SIGKILLed at random moments and restarted.

A save counts as *acknowledged* once its writer has sent ``ACK`` on its pipe, which it does only
after ``IntakeService.save`` has returned, i.e. after the commit. Meanwhile an admin and a
supervisor write checkpoints (as they would at the end of a shift) and an online copy of the
file is taken early on: the tamper phase puts that copy back as the "older copy" attack.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from bench.chaos.writer import write_until_killed

ADMIN, ADMIN_PW = "root", "amber-violet-72"
SUPERVISOR, SUPERVISOR_PW = "minh", "cedar-window-63"
DISABLED, DISABLED_PW = "tuan", "river-stone-77"


@dataclass
class ChaosDb:
    folder: Path
    writers: list[tuple[str, str]]

    @property
    def file(self) -> Path:
        return self.folder / "chaos.db"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.file}"

    @property
    def state(self) -> Path:
        return self.folder / "state"

    @property
    def old_copy(self) -> Path:
        return self.folder / "older-copy.db"


@dataclass
class Running:
    process: Any
    conn: Connection
    ready: bool = False


@dataclass
class CrashResult:
    kills: int = 0
    kills_holding_lock: int = 0  # landed between BEGIN IMMEDIATE and the end of its COMMIT
    restarts: int = 0
    seconds: float = 0.0
    # contact id -> case id, narrative typed, kind (report, follow_up, silent)
    acknowledged: dict[str, tuple[str | None, str | None, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    checkpoints: list[int] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)


def prepare(folder: Path, writers: int) -> ChaosDb:
    """A fresh database like the tests': an admin, a supervisor, a disabled operator and one
    operator per writer, key slots at the test cost (the run is about crashes, not Argon2)."""
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.access.setup import SetupService
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    SetupService.default_kdf = KdfCost(256, 1, 1)
    db = ChaosDb(folder, [(f"op{i:02d}", f"pw-{i:02d}-meadow-lark") for i in range(writers)])
    svc = Services(Settings(db_url=db.url, state_dir=db.state))
    admin, _ = svc.setup.init(ADMIN, ADMIN_PW)
    extra = [(SUPERVISOR, SUPERVISOR_PW, "supervisor"), (DISABLED, DISABLED_PW, "operator")]
    for name, pw, role in [*extra, *((n, p, "operator") for n, p in db.writers)]:
        svc.users.add(admin, name, role, "one-time-pass-1")
        svc.auth.change_password(name, "one-time-pass-1", pw)
    svc.users.disable(admin, DISABLED)
    svc.close()
    return db


def _start(ctx: Any, db: ChaosDb, index: int, seed: int, flags: Any) -> Running:
    name, pw = db.writers[index]
    reader, writer = ctx.Pipe(duplex=False)
    flags[index] = 0
    args = (writer, db.url, str(db.state), name, pw, seed, flags, index)
    process = ctx.Process(target=write_until_killed, args=args, daemon=True)
    process.start()
    writer.close()
    return Running(process, reader)


def _drain(conn: Connection, run: Running | None, result: CrashResult) -> bool:
    """Read what is waiting on one pipe; False once the writer is gone (EOF)."""
    try:
        while conn.poll():
            message = json.loads(conn.recv_bytes())
            if message[0] == "ACK":
                result.acknowledged[message[1]] = (message[2], message[3], message[4])
                if run is not None:  # saving: from now on a kill can land inside a save
                    run.ready = True
            elif message[0] == "ERR":
                result.errors.append(message[1])
    except (EOFError, OSError):
        return False
    return True


def run_crash(
    db: ChaosDb,
    kills: int,
    seconds: float | None,
    rng: random.Random,
    progress: Callable[[str], None],
    pace: float = 0.1,
) -> CrashResult:
    """Kill random writers at random moments until ``kills`` is reached (0: no bound) or
    ``seconds`` have passed, whichever comes first. A slower ``pace`` lets more saves in
    between (a longer trail, so a slower tamper phase: its verify checks every signature)."""
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bench.chaos.preload"])
    svc = Services(Settings(db_url=db.url, state_dir=db.state))
    signers = [svc.auth.login(ADMIN, ADMIN_PW), svc.auth.login(SUPERVISOR, SUPERVISOR_PW)]
    result = CrashResult()
    flags = ctx.RawArray("b", len(db.writers))  # 1: that writer holds the write lock

    def start_writer(i: int) -> Running:
        return _start(ctx, db, i, rng.randrange(1 << 30), flags)

    running = {i: start_writer(i) for i in range(len(db.writers))}
    start = time.monotonic()
    milestones = {"copy": 0.15, "checkpoint-1": 0.35, "checkpoint-2": 0.6}

    def done_fraction() -> float:
        by_kills = result.kills / kills if kills else 0.0  # 0 kills: bounded by time only
        by_time = (time.monotonic() - start) / seconds if seconds else 0.0
        return max(by_kills, by_time)

    while done_fraction() < 1:
        # The next kill, ``pace`` seconds away on average, whatever the writers are doing then.
        moment = time.monotonic() + rng.uniform(0, 2 * pace)
        while (left := moment - time.monotonic()) > 0:
            for conn in wait([r.conn for r in running.values()], timeout=left):
                run = next(r for r in running.values() if r.conn is conn)
                _drain(run.conn, run, result)
        for name, at in list(milestones.items()):
            if done_fraction() >= at and result.acknowledged:
                del milestones[name]
                if name == "copy":
                    _online_copy(db)
                else:
                    _, seq = svc.audit.write_checkpoint(signers[len(result.checkpoints) % 2])
                    result.checkpoints.append(seq)
        for i, r in list(running.items()):  # a writer that stopped by itself: noted, restarted
            if not r.process.is_alive():
                _drain(r.conn, None, result)
                result.errors.append(f"writer {db.writers[i][0]} exited ({r.process.exitcode})")
                r.conn.close()
                running[i] = start_writer(i)
        # Mostly writers inside their save loop; one kill in ten may land in a login.
        anyone = rng.random() < 0.1
        ready = [i for i, r in running.items() if anyone or r.ready]
        if not ready:
            continue
        victim = rng.choice(ready)
        run = running[victim]
        run.process.kill()
        run.process.join()
        result.kills += 1
        result.kills_holding_lock += flags[victim]
        _drain(run.conn, None, result)
        run.conn.close()
        running[victim] = start_writer(victim)
        result.restarts += 1
        if result.kills % 50 == 0:
            progress(f"crash: {result.kills} kills, {len(result.acknowledged)} saves acknowledged")
    for run in running.values():  # the end of the run: not counted as kills
        run.process.kill()
        run.process.join()
        _drain(run.conn, run, result)
        run.conn.close()
    result.seconds = time.monotonic() - start
    svc.close()
    return result


def _online_copy(db: ChaosDb) -> None:
    """A consistent copy while the writers work, as a backup taken during a shift would be."""
    db.old_copy.touch(mode=0o600)  # a copy of the file is as private as the file
    source = sqlite3.connect(db.file)
    target = sqlite3.connect(db.old_copy)
    source.backup(target)
    target.close()
    source.close()
