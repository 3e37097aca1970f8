"""``caseintake stats export|calendar`` as scripts use them: the JSON contract, CSV and XLSX
files, and every bad input as one sentence, exit 1 and nothing written."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from caseintake.domain.referrals.deadlines import VN_TZ
from tests.conftest import FrozenClock

ROOT_PW = "amber-violet-72"


def one_sentence(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    text = result.output.strip()
    assert "Traceback" not in text and len(text.splitlines()) == 1, text
    return text


@pytest.fixture
def with_calls(initialised: str, tmp_path: Path) -> str:
    """15 silent calls and 4 hang-ups in March 2026, logged by the operator."""
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    clock = FrozenClock(datetime(2026, 3, 31, 3, 0, tzinfo=UTC))
    svc = Services(Settings(db_url=initialised, state_dir=tmp_path / "state", clock=clock))
    operator = svc.auth.login("lan", "quiet-harbour-41")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)
    for i in range(15):
        svc.intake.log_non_data(operator, "silent", start + timedelta(hours=i), 20)
    for i in range(4):
        svc.intake.log_non_data(operator, "hang_up", start + timedelta(days=1, hours=i), 5)
    svc.close()
    return initialised


def export(cli, url: str, *args: str, password: str = ROOT_PW, user: str = "root"):  # type: ignore[no-untyped-def]
    return cli(
        "--lang", "en", "stats", "export", "--from", "2026-01-01", "--to", "2026-06-30",
        "--user", user, "--db", url, *args, password=password,
    )  # fmt: skip


def test_json_contract_on_stdout(cli, with_calls: str) -> None:  # type: ignore[no-untyped-def]
    result = export(cli, with_calls, "--indicator", "contacts_by_type")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"], data["threshold"]) == ("2026-01-01", "2026-06-30", 10)
    (ind,) = data["indicators"]
    assert ind["id"] == "contacts_by_type" and ind["dimensions"] == ["contact_type"]
    assert ind["cells"] == [
        # 4 hang-ups are below 10; the 15 silent calls would give them away from the total.
        {"contact_type": "silent", "value": None, "suppressed": True},
        {"contact_type": "hang_up", "value": None, "suppressed": True},
        {"contact_type": "*", "value": 19, "suppressed": False},
    ]
    assert data["medians"] == []  # not asked for


def floor(cli, url: str, value: str, user: str = "root", password: str = ROOT_PW):  # type: ignore[no-untyped-def]
    return cli(
        "--lang", "en", "stats", "floor", value, "--user", user, "--db", url, password=password
    )  # fmt: skip


def test_a_lowered_threshold_is_refused_until_the_admin_lowers_the_floor(  # type: ignore[no-untyped-def]
    cli, with_calls: str
) -> None:
    # The attack of issue 21: --threshold 3 simply published the 3s.
    text = one_sentence(export(cli, with_calls, "--threshold", "4"))
    assert "below the floor of 10" in text
    assert "at least 3" in one_sentence(floor(cli, with_calls, "2"))
    assert floor(cli, with_calls, "4").exit_code == 0
    result = export(cli, with_calls, "--indicator", "contacts_by_type")
    assert json.loads(result.stdout)["threshold"] == 4  # the floor is the default
    text = one_sentence(export(cli, with_calls, "--threshold", "3"))
    assert "below the floor of 4" in text


def test_threshold_option_and_all_indicators(cli, with_calls: str) -> None:  # type: ignore[no-untyped-def]
    assert floor(cli, with_calls, "3").exit_code == 0
    result = export(cli, with_calls, "--threshold", "4")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["threshold"] == 4 and len(data["indicators"]) == 10
    assert "cases_by_commune" not in result.stdout  # communes never leave by default
    cells = {c["contact_type"]: c["value"] for c in data["indicators"][0]["cells"]}
    assert cells == {"silent": 15, "hang_up": 4, "*": 19}
    assert data["medians"][0]["cells"] == []  # no referral acknowledged: nothing to publish


def test_csv_and_xlsx_files(cli, with_calls: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv_out, xlsx_out = tmp_path / "h1.csv", tmp_path / "h1.xlsx"
    made = export(cli, with_calls, "--format", "csv", "--out", str(csv_out))
    assert made.exit_code == 0, made.output
    assert "Exported 11 indicators" in made.output
    rows = csv_out.read_text().splitlines()
    assert rows[0].startswith("from,to,threshold,indicator,unit")
    assert "2026-01-01,2026-06-30,10,contacts_by_type,contacts,contact_type,*,,,,,19,false" in rows
    made = export(cli, with_calls, "--format", "xlsx", "--out", str(xlsx_out), "--lang", "vi")
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(xlsx_out) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert "Loại liên hệ" in shared and "Quy tắc ẩn số liệu" in shared
    assert len(sheets) == 12  # ten indicators, the medians and the suppression rule


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--indicator", "children_by_name"), "children_by_name"),
        (("--threshold", "2"), "at least 3"),
        (("--format", "pdf"), "pdf"),
        (("--format", "xlsx"), "--out"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(  # type: ignore[no-untyped-def]
    cli, with_calls: str, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    out = tmp_path / "never.json"
    extra = ("--out", str(out)) if "--out" not in words else ()
    text = one_sentence(export(cli, with_calls, *args, *extra))
    assert words in text
    assert not out.exists()


def test_from_after_to(cli, with_calls: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "never.json"
    result = cli(
        "--lang", "en", "stats", "export", "--from", "2026-07-01", "--to", "2026-06-30",
        "--user", "root", "--db", with_calls, "--out", str(out), password=ROOT_PW,
    )  # fmt: skip
    assert "after the end day" in one_sentence(result)
    assert not out.exists()


def test_unwritable_output_path(cli, with_calls: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "no-such-folder" / "h1.json"
    assert "Cannot write" in one_sentence(export(cli, with_calls, "--out", str(out)))
    assert not out.parent.exists()
    assert "folder" in one_sentence(export(cli, with_calls, "--out", str(tmp_path)))


def test_an_operator_asking_is_refused(cli, with_calls: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "never.json"

    def kept() -> list[Path]:
        return [p for p in (tmp_path / "state").glob("checkpoints/*/*.json") if p.stem.isdigit()]

    before = kept()  # the calls saved by the fixture's commands signed theirs (issue 20)
    result = export(cli, with_calls, "--out", str(out), user="lan", password="quiet-harbour-41")
    one_sentence(result)
    assert not out.exists()
    assert not exported(with_calls)
    assert kept() == before  # a refused export writes no checkpoint


def test_an_export_leaves_a_checkpoint(cli, with_calls: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert export(cli, with_calls, "--out", str(tmp_path / "h1.json")).exit_code == 0
    assert exported(with_calls) == 1
    assert [p for p in (tmp_path / "state").glob("checkpoints/*/*.json") if p.stem.isdigit()]


def exported(url: str) -> int:
    """How many exports the audit trail holds (the action column is plain text)."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        query = "SELECT count(*) FROM audit_events WHERE action = 'statistics_exported'"
        return int(conn.execute(query).fetchone()[0])
    finally:
        conn.close()


def test_calendar_text_and_json(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("stats", "calendar", "--json", "--today", "2026-06-06", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["due"], r["from"], r["to"]) for r in rows] == [
        ("month_of_action", "2026-07-05", "2026-06-01", "2026-06-30"),
        ("yearly", "2026-11-05", "2026-01-01", "2026-10-31"),
        ("six_months", "2027-06-05", "2027-01-01", "2027-05-31"),
    ]
    assert rows[0]["source_short"] == "CV Sở LĐTBXH Lạng Sơn 25/4/2019"
    text = cli("stats", "calendar", "--today", "2026-03-02")
    assert text.exit_code == 0
    assert text.output.splitlines()[0].startswith("Báo cáo 6 tháng: hạn 05/06/2026")
    assert "Công văn của Ban Thường vụ Hội LHPN tỉnh Sóc Trăng ngày 06/4/2023" in text.output
    bad = cli("stats", "calendar", "--today", "June")
    assert bad.exit_code == 1 and "June" in bad.output


def test_two_way_tables_of_0101(cli, with_calls: str) -> None:  # type: ignore[no-untyped-def]
    result = export(cli, with_calls, "--indicator", "abused_children_0101", "--two-way")
    assert result.exit_code == 0, result.output
    (ind,) = json.loads(result.stdout)["indicators"]
    assert ind["dimensions"] == ["abuse_form", "sex", "setting"]
    assert ind["cells"] and all(c["sex"] == "*" or c["setting"] == "*" for c in ind["cells"])
    with sqlite3.connect(with_calls.removeprefix("sqlite:///")) as conn:
        (cells,) = conn.execute("SELECT cells FROM statistics_releases").fetchone()
    assert len(json.loads(cells)) == len(ind["cells"])  # the ledger holds what left
