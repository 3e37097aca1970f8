"""Browser tabs (issue 23 item 5), measured in Chromium on ``caseintake serve``.

- ``tab_login_s``: from the page's ``load`` event to a login that accepts a password: the
  login screen is drawn in the page's terminal AND the tab's services are built (the tab writes
  the time to ``CASEINTAKE_BENCH_READY.<pid>``, ``cli/serve/session.py``); the median of
  ``ROUNDS`` tabs opened one after another, each closed before the next. The same from the
  navigation's start (the browser fetching and running the page's scripts) is in the JSON.
- ``tab_unique_mb``: the USS of one tab's process (``/proc/PID/smaps_rollup`` Private_Clean +
  Private_Dirty) logged in at the real key-derivation cost, its home painted; the USS at the
  login screen is in the JSON too.
- ``LOGINS_AT_ONCE`` tabs at the login screen, user and password typed, then Enter in each,
  one right after the other: the seconds from each Enter to that tab's home. At the real cost
  (``scale/real_kdf.py``: Argon2id 64 MiB, 14 passes, ≈ 0.8 s of CPU per login) ten logins are
  ≈ 8 s of CPU on two cores before any screen is drawn: that bounds the slowest tab.

``python -m bench tabs`` runs it on a 0-contact bench database; the suite on its largest copy.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.build_db import BenchDb, build, cache_dir
from bench.common import RESULTS

ROUNDS = 5
LOGINS_AT_ONCE = 10
LOGIN_SCREEN = "Tên đăng nhập"
HOME = "Cuộc gọi hôm nay của tôi"
# In the page: when its navigation started and its load event ended (ms since the epoch).
LOADED_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return [performance.timeOrigin, performance.timeOrigin + nav.loadEventEnd];
}"""
# In the page: note the first moment the home is on the screen (every page at once).
WATCH_HOME_JS = """([screen, text]) => {
  const seen = new Function("return (" + screen + ")()");
  const timer = setInterval(() => {
    if (seen().includes(text)) { window.__homeAt = Date.now(); clearInterval(timer); }
  }, 20);
}"""
USERS = [f"tv{i:03d}" for i in range(1, LOGINS_AT_ONCE + 1)]


def uss_mb(pid: int) -> float:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    )
    kib = sum(int(fields[name].split()[0]) for name in ("Private_Clean", "Private_Dirty"))
    return kib / 1024


def real_cost_users(db: BenchDb) -> dict[str, Any]:
    """The database at the real key-derivation cost, each user's slot re-wrapped at it."""
    from bench.scale.real_kdf import raise_to_default
    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from caseintake.services.container import Services

    cost = raise_to_default(db, USERS[0], logins=1)
    svc = Services(db.settings())
    try:
        for user in USERS[1:]:
            svc.auth.login(user, NATIONAL_PASSWORD)
    finally:
        svc.close()
    return cost


@contextmanager
def serving(db: BenchDb, folder: Path) -> Iterator[tuple[str, Path]]:
    from tests.browser.conftest import start_server, stop_server

    ready = folder / "ready"
    os.environ["CASEINTAKE_BENCH_READY"] = str(ready)
    try:
        process, port = start_server(
            db.url, db.settings().state_dir, folder / "serve.log", extra=("--max-tabs", "20")
        )
    finally:
        del os.environ["CASEINTAKE_BENCH_READY"]
    try:
        yield f"http://127.0.0.1:{port}/", ready
    finally:
        stop_server(process)


def _ready(ready: Path, seen: set[Path], timeout: float = 60) -> tuple[int, float]:
    """The next tab's pid and the time its services were built."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for marker in ready.parent.glob(f"{ready.name}.*"):
            text = marker.read_text() if marker not in seen else ""
            if text:
                seen.add(marker)
                return int(marker.suffix[1:]), float(text)
        time.sleep(0.01)
    raise RuntimeError("no tab built its services")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time spent by every process on the machine (``/proc/stat``, all but idle/iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(values) - values[3] - values[4]
    return busy / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every living process under ``pid`` (Playwright's driver and Chromium, the server...)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        children = [int(c) for c in text.split()]
        found += children
        todo += children
    return found


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):  # ended meanwhile
            total += cpu_seconds(pid)
    return total


def logins_done(db: BenchDb, since: float) -> dict[str, float]:
    """When each bench user's ``login`` audit event was written (the key derived, checked)."""
    import sqlite3

    with sqlite3.connect(db.path) as connection:
        rows = connection.execute(
            "select actor, min(at_us) from audit_events where action = 'login' and at_us >= ?"
            " group by actor",
            (int(since * 1e6),),
        ).fetchall()
    return {actor: at / 1e6 for actor, at in rows}


def _type_login(tab: Any, user: str, password: str) -> None:
    tab.keys(user)
    tab.wait_for(f"▊  {user}")
    tab.keys("Tab", password)


def measure(db: BenchDb, folder: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from caseintake.services.bulk.replay import NATIONAL_PASSWORD
    from tests.browser.conftest import VIEWPORT, chromium_path
    from tests.browser.tab import Tab

    cost = real_cost_users(db)
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium found (apt-get install chromium)")
    result: dict[str, Any] = {"kdf": cost, "load_at_start": os.getloadavg()[0]}
    seen: set[Path] = set()
    with sync_playwright() as playwright, serving(db, folder) as (url, ready):
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        logins, navigations, screens = [], [], []
        for _ in range(ROUNDS):
            tab = Tab.open(context, url)
            tab.wait_for(LOGIN_SCREEN)
            shown = time.time()
            started, loaded = (ms / 1000 for ms in tab.page.evaluate(LOADED_JS))
            pid, built = _ready(ready, seen)
            screens.append(shown - loaded)
            logins.append(max(shown, built) - loaded)
            navigations.append(max(shown, built) - started)
            login_uss = uss_mb(pid)
            tab.close()
        tab = Tab.open(context, url)
        tab.wait_for(LOGIN_SCREEN)
        pid, _built = _ready(ready, seen)
        _type_login(tab, USERS[0], NATIONAL_PASSWORD)
        tab.keys("Enter")
        tab.wait_for(HOME, timeout=60)
        time.sleep(2)  # the home's lists loaded and painted
        home_uss = uss_mb(pid)
        tab.close()
        result |= {
            "tab_login_s": statistics.median(logins),
            "tab_login_runs_s": logins,
            "tab_login_screen_s": statistics.median(screens),
            "tab_login_from_navigation_s": statistics.median(navigations),
            "tab_unique_mb": home_uss,
            "tab_unique_mb_at_login_screen": login_uss,
        }
        result["at_once"] = _at_once(context, url, ready, seen, NATIONAL_PASSWORD, Tab, db)
        context.close()
        browser.close()
    result["load_at_end"] = os.getloadavg()[0]
    return result


def _at_once(
    context: Any,
    url: str,
    ready: Path,
    seen: set[Path],
    password: str,
    tab_class: Any,
    db: BenchDb,
) -> dict[str, Any]:
    tabs, pids = [], []
    for user in USERS:
        tab = tab_class.open(context, url)
        tab.wait_for(LOGIN_SCREEN)
        pids.append(_ready(ready, seen)[0])
        _type_login(tab, user, password)
        tabs.append(tab)
    others = [p for p in descendants(os.getpid()) if p not in pids]  # Chromium, the server
    tab_cpu, machine_cpu, wall = _cpu(pids), machine_cpu_seconds(), time.time()
    browser_cpu = _cpu(others)
    from tests.browser.tab import SCREEN_JS

    load = os.getloadavg()[0]
    for tab in tabs:
        tab.page.evaluate(WATCH_HOME_JS, [SCREEN_JS, HOME])
    pressed = []
    for tab in tabs:
        pressed.append(time.time())
        tab.keys("Enter")
    deadline = time.monotonic() + 120
    seconds: list[float | None] = [None] * len(tabs)
    while None in seconds and time.monotonic() < deadline:
        for i, tab in enumerate(tabs):
            if seconds[i] is None and (at := tab.page.evaluate("() => window.__homeAt")):
                seconds[i] = at / 1000 - pressed[i]
        time.sleep(0.5)
    tab_cpu, browser_cpu = _cpu(pids) - tab_cpu, _cpu(others) - browser_cpu
    machine_cpu, wall = machine_cpu_seconds() - machine_cpu, time.time() - wall
    unreached = [tab.screen().strip()[-300:] for i, tab in enumerate(tabs) if seconds[i] is None]
    done = logins_done(db, min(pressed))
    login_s = [done[user] - pressed[i] if user in done else None for i, user in enumerate(USERS)]
    for tab in tabs:
        tab.close()
    reached = [s for s in seconds if s is not None]
    return {
        "tabs": len(tabs),
        "load_before": load,
        "seconds_to_home": seconds,
        "worst_s": max(reached) if len(reached) == len(tabs) else None,
        "median_s": statistics.median(reached) if reached else None,
        "within_5_s": sum(1 for s in reached if s <= 5),
        "unreached_screens": unreached,
        "login_event_s": login_s,  # Enter to the tab's login audit event (key derived)
        "window_s": wall,
        "tabs_cpu_s": tab_cpu,  # the ten tabs' CPU in that window
        "browser_and_server_cpu_s": browser_cpu,  # Chromium, Playwright, the server
        "machine_cpu_s": machine_cpu,  # every process's (Chromium, other users) on 2 cores
    }


def main() -> None:
    contacts = int(os.environ.get("BENCH_TABS_CONTACTS", "0"))
    db = build(contacts)
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        folder = Path(tmp)
        copy = BenchDb(folder / db.path.name, db.contacts, db.build_seconds)
        subprocess.run(["cp", str(db.path), str(copy.path)], check=True)
        result = measure(copy, folder)
        log = (folder / "serve.log").read_text()
        result["forked_tabs"] = len(re.findall(r"\(forked\)", log))
        result["spawned_tabs"] = len(re.findall(r"\(spawned\)", log))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "tabs.json").write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
