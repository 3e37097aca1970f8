"""End to end in a real terminal: a database made by the CLI, the app in a detached tmux
session of 100×30, keys only, and the database checked after quitting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

BIN = Path(sys.executable).parent / "caseintake"
ADMIN_PW, ONE_TIME, OPERATOR_PW = "amber-violet-72", "one-time-pass-1", "quiet-harbour-41"


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: str, width: int = 100, height: int = 30) -> None:
        self.name = f"caseintake-e2e-{uuid.uuid4().hex[:8]}"
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, *size, command], check=True)

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return done.stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        flags = ["-l"] if literal else []
        subprocess.run(["tmux", "send-keys", "-t", self.name, *flags, *keys], check=True)

    def alive(self) -> bool:
        found = subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True)
        return found.returncode == 0

    def wait_closed(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not quit:\n{self.screen()}")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)


NARRATIVE = "Hàng xóm nghe tiếng cháu khóc và tiếng đánh."


def log_reference_report(term: Terminal) -> None:
    """The reference report (violence at home, a girl of 9, a parent, danger now) by keys."""
    term.keys("t")  # a report, from the shift home
    term.wait_for("Loại liên hệ")
    term.keys("h", "Enter", "Enter")  # caller: neighbour (Hàng xóm); no name
    term.keys("0912345678", literal=True)
    term.keys("Enter", "9", "Enter", "1")  # phone; age 9; sex 1 = Nữ
    term.keys("Enter", "Enter")  # the child's name, address: not given (no name: past the ID)
    term.keys("1", "Enter", "1")  # concern 1 = Bạo lực; setting 1 = Gia đình
    term.wait_for("Gia đình")
    term.keys("hcm", literal=True)
    term.wait_for("1 Thành phố Hồ Chí Minh")  # the picker lists as the operator types
    term.keys("Enter")
    term.keys("ben th", literal=True)
    term.wait_for("1 Phường Bến Thành")
    term.keys("Enter", "1", "Enter", "c")  # commune; perpetrator 1 = Cha, mẹ, no name; danger
    term.wait_for("GỌI 113")  # the emergency actions come first
    term.keys(NARRATIVE, literal=True)
    term.wait_for("tiếng đánh.")
    term.keys("C-s")


def cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A database made the way an admin makes one: init, add an operator, first password."""
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    env = {
        **os.environ,
        "CASEINTAKE_DB": url,
        "CASEINTAKE_STATE_DIR": str(tmp_path / "state"),
        "CASEINTAKE_LANG": "vi",
    }
    env.pop("NO_COLOR", None)
    cli(env | {"CASEINTAKE_PASSWORD": ADMIN_PW}, "init", "--admin", "root")
    add = {"CASEINTAKE_PASSWORD": ADMIN_PW, "CASEINTAKE_NEW_PASSWORD": ONE_TIME}
    cli(env | add, "user", "add", "lan", "--role", "operator", "--user", "root")
    change = {"CASEINTAKE_PASSWORD": ONE_TIME, "CASEINTAKE_NEW_PASSWORD": OPERATOR_PW}
    cli(env | change, "user", "passwd", "--user", "lan")
    return url, env


def test_log_in_log_a_call_and_quit(database: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    url, env = database
    exports = " ".join(
        f"{k}={v}" for k, v in env.items() if k.startswith("CASEINTAKE_") and "PASSWORD" not in k
    )
    term = Terminal(f"env -u NO_COLOR {exports} TERM=xterm-256color {BIN} --db {url}")
    try:
        term.wait_for("Tên đăng nhập")
        term.keys("lan", literal=True)
        term.wait_for("▊  lan")  # echoed: the field had the focus
        term.keys("Enter")
        term.keys(OPERATOR_PW, literal=True)
        term.wait_for("•" * len(OPERATOR_PW))
        term.keys("Enter")
        term.wait_for("Cuộc gọi hôm nay của tôi (0)")
        term.keys("n")
        term.wait_for("Cuộc gọi im lặng")
        term.keys("s")
        term.wait_for("Cuộc gọi hôm nay của tôi (1)")
        log_reference_report(term)
        term.wait_for("Hồ sơ đang mở của tôi (1)")
        term.keys("C-q")
        term.wait_closed()
    finally:
        term.kill()

    from caseintake.services.container import open_existing
    from caseintake.services.core.settings import Settings

    services = open_existing(Settings(db_url=url, state_dir=tmp_path / "state"))
    try:
        operator = services.auth.login("lan", OPERATOR_PW)
        today = services.contacts.today(operator)
        assert sorted(c.contact_type for c in today) == ["report", "silent"]
        (case,) = services.cases.my_open(operator)
        detail = services.cases.detail(operator, case.id)
        assert detail.immediate_danger and detail.narrative == NARRATIVE
        assert (case.province_code, case.ward_code, case.concerns) == (79, 26743, ("violence",))
        assert [(c.age, c.sex) for c in detail.children] == [(9, "female")]
        assert [p.relationship for p in detail.perpetrators] == ["parent"]
        assert detail.referrals
    finally:
        services.close()


def test_a_fast_typist_in_one_burst(database: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    """The whole report sent as one burst of keys, as a practised operator types it: every key
    must land in the field the cursor reaches by then (the app settles each key first)."""
    url, env = database
    exports = " ".join(
        f"{k}={v}" for k, v in env.items() if k.startswith("CASEINTAKE_") and "PASSWORD" not in k
    )
    term = Terminal(f"env -u NO_COLOR {exports} TERM=xterm-256color {BIN} --db {url}")
    try:
        term.wait_for("Tên đăng nhập")
        term.keys("lan", "Tab", OPERATOR_PW, "Enter")
        term.wait_for("Cuộc gọi hôm nay của tôi (0)")
        term.keys("t")
        term.wait_for("Loại liên hệ")
        burst = [
            "h",
            "Enter",
            "Enter",
            "0912345678",
            "Enter",
            "9",
            "Enter",
            "1",
            "Enter",
            "Enter",  # the child's name and address; no name, so Enter passes the ID
            "1",
            "Enter",
            "1",
            "hcm",
            "Enter",
            "ben th",
            "Enter",
            "1",
            "Enter",
            "c",
            NARRATIVE,
            "C-s",
        ]
        term.keys(*burst)
        term.wait_for("Hồ sơ đang mở của tôi (1)")
        term.keys("C-q")
        term.wait_closed()
    finally:
        term.kill()

    from caseintake.services.container import open_existing
    from caseintake.services.core.settings import Settings

    services = open_existing(Settings(db_url=url, state_dir=tmp_path / "state"))
    try:
        operator = services.auth.login("lan", OPERATOR_PW)
        (case,) = services.cases.my_open(operator)
        detail = services.cases.detail(operator, case.id)
        assert (case.province_code, case.ward_code, case.concerns) == (79, 26743, ("violence",))
        assert detail.immediate_danger and detail.narrative == NARRATIVE
        assert [(c.age, c.sex) for c in detail.children] == [(9, "female")]
        assert [p.relationship for p in detail.perpetrators] == ["parent"]
    finally:
        services.close()


REPEAT_WORDS = "Cháu chạy sang nhà hàng xóm, mặt sưng."


def test_a_repeat_call_links_the_case_and_keeps_both_callers_words(
    database: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    """Issue 7 item 1: a report, then a second call from the same phone that links the case
    from the caller history and says something new. Each call keeps its own words, and the
    case's referrals are not made twice."""
    url, env = database
    exports = " ".join(
        f"{k}={v}" for k, v in env.items() if k.startswith("CASEINTAKE_") and "PASSWORD" not in k
    )
    term = Terminal(f"env -u NO_COLOR {exports} TERM=xterm-256color {BIN} --db {url}")
    try:
        term.wait_for("Tên đăng nhập")
        term.keys("lan", "Tab", OPERATOR_PW, "Enter")
        term.wait_for("Cuộc gọi hôm nay của tôi (0)")
        log_reference_report(term)
        term.wait_for("Hồ sơ đang mở của tôi (1)")
        term.keys("t")  # the same caller again
        term.wait_for("Loại liên hệ")
        term.keys("h", "Enter", "Enter")
        term.keys("0912345678", literal=True)
        term.wait_for("1 hồ sơ")  # the caller history found the case
        term.keys("C-t", "Enter")  # to the earlier cases; Enter links the case
        term.wait_for("đã điền từ hồ sơ")  # children, place, concerns came from the case
        term.keys(REPEAT_WORDS, literal=True)
        term.wait_for("Cháu chạy sang")
        term.keys("C-s")
        term.wait_for("Cuộc gọi hôm nay của tôi (2)")
        term.keys("C-q")
        term.wait_closed()
    finally:
        term.kill()

    from sqlalchemy import text

    from caseintake.services.container import open_existing
    from caseintake.services.core.settings import Settings

    services = open_existing(Settings(db_url=url, state_dir=tmp_path / "state"))
    try:
        operator = services.auth.login("lan", OPERATOR_PW)
        cipher = operator.keys.cipher
        with services.db.read() as s:
            contacts = s.execute(
                text("select id, case_id, narrative from contacts order by received_at, id")
            ).all()
            referrals = s.execute(
                text("select body, ward_code, status from referrals order by body")
            ).all()
        assert len(contacts) == 2 and contacts[0].case_id == contacts[1].case_id is not None
        words = sorted(cipher.decrypt("contacts", "narrative", c.id, c.narrative) for c in contacts)
        assert words == sorted([NARRATIVE, REPEAT_WORDS])  # one per contact, decrypted
        bodies = [(r.body, r.ward_code) for r in referrals]
        assert bodies and len(bodies) == len(set(bodies))  # no desk referred twice
        assert services.cases.detail(operator, contacts[0].case_id).narrative == NARRATIVE
    finally:
        services.close()
