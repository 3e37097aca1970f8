"""The TUI's memory on a database (DESIGN §8: ≤ 150 MB RSS): log in, let the home paint with
the operator's open cases and the day's contacts, and report the peak resident set size.

``python -m bench.tui_memory URL USER PASSWORD`` prints one JSON object; run in its own process
so that nothing else the benchmarks loaded counts.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def _drive(url: str, user: str, password: str) -> dict[str, float]:
    from functools import partial

    from textual.widgets import Input

    from bench.scale.national_clock import END
    from caseintake.cli.desk import services_factory
    from caseintake.services.core.settings import Settings
    from caseintake.tui.app import CaseIntakeApp
    from caseintake.tui.screens.operator.home_screen import HomeScreen

    folder = Path(url.removeprefix("sqlite:///")).parent
    settings = Settings(db_url=url, state_dir=folder / "state", clock=lambda: END)
    # As the launch does: the services built by the app's worker after the first paint.
    app = CaseIntakeApp(settings, partial(services_factory, settings))
    figures: dict[str, float] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        login = app.screen
        login.query_one("#user", Input).value = user
        login.query_one("#password", Input).value = password
        login.query_one("#password", Input).focus()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 120
        while not app.services_ready:
            if loop.time() > deadline:
                raise SystemExit("tui_memory: the services were not built")
            await pilot.pause(0.05)
        figures["at_login_mb"] = _kib("VmRSS") / 1024  # what the key derivation adds to
        await pilot.press("enter")
        while not isinstance(app.screen, HomeScreen):
            if loop.time() > deadline:
                raise SystemExit("tui_memory: the home did not open")
            await pilot.pause(0.05)
        await pilot.pause(2.0)  # the home's workers load the lists and paint them
    return figures


def main() -> None:
    url, user, password = sys.argv[1:4]
    figures = asyncio.run(_drive(url, user, password))
    figures |= {"rss_mb": _kib("VmRSS") / 1024, "peak_rss_mb": _kib("VmHWM") / 1024}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
