"""Issue 19 items 1 and 3 in a real terminal, keys sent in bursts as a practised operator
types while listening: the login typed before its screen is drawn, a phone typed at once after
``n``, words typed on the "Nguy hiểm ngay" row, and Enter after ``c`` answered it. Every key
lands where it was meant; the database says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.tui.test_tmux_e2e import BIN, NARRATIVE, OPERATOR_PW, Terminal, database, pytestmark

__all__ = ["database", "pytestmark"]

QUICK_PHONE = "0912000111"
# Up to the danger row of the reference report (tests/tui/test_tmux_e2e.py), one burst.
TO_DANGER = [
    "h", "Enter", "Enter", "0912345678", "Enter", "9", "Enter", "1", "Enter", "Enter",
    "1", "Enter", "1", "hcm", "Enter", "ben th", "Enter", "1", "Enter",
]  # fmt: skip


def start(url: str, env: dict[str, str]) -> Terminal:
    exports = " ".join(
        f"{k}={v}" for k, v in env.items() if k.startswith("CASEINTAKE_") and "PASSWORD" not in k
    )
    return Terminal(f"env -u NO_COLOR {exports} TERM=xterm-256color {BIN} --db {url}")


def test_keys_typed_ahead_land_where_meant(
    database: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, env = database
    term = start(url, env)
    try:
        # Item 1: name, Tab, password typed at once, before the login screen is drawn.
        term.keys("lan", "Tab", OPERATOR_PW, "Enter")
        term.wait_for("Cuộc gọi hôm nay của tôi (0)", timeout=30)
        # Item 3: the number typed fast after n, then s logs the silent call.
        term.keys("n")
        term.wait_for("Cuộc gọi im lặng")
        term.keys(QUICK_PHONE, "s")
        term.wait_for("Cuộc gọi hôm nay của tôi (1)", timeout=30)
        # Words typed on the danger row go on to the narrative: nothing vanishes.
        term.keys("t")
        term.wait_for("Loại liên hệ", timeout=30)
        term.keys(*TO_DANGER, NARRATIVE, "C-s")
        term.wait_for("Hồ sơ đang mở của tôi (1)", timeout=90)
        # c answers "yes" and moves to the narrative; the Enter typed next adds no blank line.
        term.keys("t")
        term.wait_for("Loại liên hệ", timeout=30)
        term.keys(*TO_DANGER, "c", "Enter", NARRATIVE, "C-s")
        term.wait_for("Hồ sơ đang mở của tôi (2)", timeout=90)
        term.keys("C-q")
        term.wait_closed()
    finally:
        term.kill()

    from caseintake.services.container import open_existing
    from caseintake.services.core.settings import Settings

    services: Any = open_existing(Settings(db_url=url, state_dir=tmp_path / "state"))
    try:
        operator = services.auth.login("lan", OPERATOR_PW)
        with services.db.read() as s:
            silent = s.execute(
                text("select id, caller_phone from contacts where contact_type = 'silent'")
            ).one()
            cases = s.execute(text("select id from cases order by number")).scalars().all()
        phone = operator.keys.cipher.decrypt("contacts", "caller_phone", silent[0], silent[1])
        assert phone == "+84912000111"
        quiet, danger = (services.cases.detail(operator, c) for c in cases)
        assert quiet.narrative == NARRATIVE and not quiet.immediate_danger
        assert danger.narrative == NARRATIVE and danger.immediate_danger
    finally:
        services.close()
