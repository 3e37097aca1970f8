"""``referral``, ``escalation``, ``case`` and ``audit list`` as scripts use them: JSON shapes,
one-sentence refusals with exit 1, and nothing changed by a refused command (issue 8, item 8)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.samples import design_example

SUP = ("--user", "minh")
OP = ("--user", "lan")
PW = {"minh": "cedar-window-63", "lan": "quiet-harbour-41"}


def sql(url: str, query: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(text(query))]
    engine.dispose()
    return rows


@pytest.fixture
def desk(cli, initialised: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A supervisor ``minh`` and one saved report (months old: every deadline has passed)."""
    add = ("user", "add", "minh", "--role", "supervisor", "--user", "root", "--db", initialised)
    assert cli(*add, password="amber-violet-72", new_password="one-time-pass-2").exit_code == 0
    change = ("user", "passwd", "--user", "minh", "--db", initialised)
    assert cli(*change, password="one-time-pass-2", new_password=PW["minh"]).exit_code == 0
    path = tmp_path / "report.json"
    path.write_text(json.dumps(design_example()), encoding="utf-8")
    saved = cli("intake", str(path), *OP, "--db", initialised, password=PW["lan"])
    assert saved.exit_code == 0, saved.output

    def run(*args: str, user: str = "minh") -> Any:
        return cli("--lang", "en", *args, "--user", user, "--db", initialised, password=PW[user])

    return run


def queue(desk: Any, *args: str) -> list[dict[str, Any]]:
    result = desk("referral", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_referral_list_json_shape(desk) -> None:  # type: ignore[no-untyped-def]
    rows = queue(desk)
    assert [r["body"] for r in rows] == ["commune_committee", "commune_police"]
    first = rows[0]
    assert {"id", "case_number", "body", "status", "due_at", "overdue", "escalation"} <= set(first)
    assert first["case_number"] == "111-2026-000001" and first["status"] == "pending"
    assert first["overdue"] is True
    assert datetime.fromisoformat(first["due_at"]).utcoffset() is not None
    assert first["due_at"].endswith("+07:00")
    esc = first["escalation"]
    assert {"body", "due_at", "basis"} <= set(esc)
    assert esc["body"] == "provincial_child_protection"
    assert datetime.fromisoformat(esc["due_at"]).utcoffset() is not None
    assert esc["basis"] and all(".txt" not in b for b in esc["basis"])
    assert rows[1]["escalation"]["body"] == "provincial_police"


def test_referral_list_filters(desk) -> None:  # type: ignore[no-untyped-def]
    assert [r["body"] for r in queue(desk, "--body", "commune_police")] == ["commune_police"]
    assert len(queue(desk, "--overdue")) == 2
    assert len(queue(desk, "--escalations")) == 2
    assert queue(desk, "--status", "sent") == []
    plain = desk("referral", "list")
    assert plain.exit_code == 0 and "111-2026-000001" in plain.stdout
    for bad in (("--status", "lost"), ("--body", "town_hall")):
        result = desk("referral", "list", *bad)
        assert result.exit_code == 1 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1


def test_referral_update_steps_and_refusals(desk, initialised: str) -> None:  # type: ignore[no-untyped-def]
    ref = queue(desk, "--body", "commune_committee")[0]["id"]
    ok = desk("referral", "update", ref, "--status", "sent", "--via", "phone",
              "--contacted", "Chị Hoa, cán bộ xã", user="lan")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert sql(initialised, "SELECT status FROM cases") == [("referred",)]
    before = sql(initialised, "SELECT count(*) FROM audit_events")
    for args, user, words in (
        (("--status", "done", "--outcome", "x"), "lan", "Cannot go from"),  # sent → done
        (("--status", "revoked", "--note", "trùng"), "lan", "Only a supervisor"),
        (("--status", "flying"), "minh", "is not a step"),
    ):
        result = desk("referral", "update", ref, *args, user=user)
        assert result.exit_code == 1, result.output
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    # a refused command audits nothing but the logins
    assert sql(initialised, f"SELECT status FROM referrals WHERE id = '{ref}'") == [("sent",)]
    after = sql(initialised, "SELECT action FROM audit_events ORDER BY seq")[before[0][0] :]
    assert {a for (a,) in after} <= {"login", "login_succeeded", "user_login"}
    done = desk("referral", "update", ref, "--status", "acknowledged", "--note", "Anh Nam nhận")
    assert done.exit_code == 0
    missing = desk("referral", "update", "nope", "--status", "sent")
    assert missing.exit_code == 1 and missing.stderr.strip() == "Referral nope was not found."


def test_escalation_confirm_and_dismiss(desk, initialised: str) -> None:  # type: ignore[no-untyped-def]
    commune, police = (r["id"] for r in queue(desk))
    no_reason = desk("escalation", "dismiss", police)
    assert no_reason.exit_code == 1
    assert no_reason.stderr.strip() == "Dismissing an escalation needs a written reason."
    by_operator = desk("escalation", "confirm", commune, user="lan")
    assert by_operator.exit_code == 1 and "operator" in by_operator.stderr
    assert desk("escalation", "confirm", commune).exit_code == 0
    assert desk("escalation", "dismiss", police, "--reason", "Công an xã đã nhận").exit_code == 0
    assert sql(initialised, "SELECT decision FROM escalations ORDER BY decision") == [
        ("confirmed",),
        ("dismissed",),
    ]
    bodies = [r["body"] for r in queue(desk)]
    assert "provincial_child_protection" in bodies
    again = desk("escalation", "confirm", commune)
    assert again.exit_code == 1 and "already decided" in again.stderr


def test_case_show_close_reopen_assign(desk, initialised: str) -> None:  # type: ignore[no-untyped-def]
    number = "111-2026-000001"
    shown = desk("case", "show", number, "--json")
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.stdout)
    assert detail["summary"]["number"] == number and len(detail["referrals"]) == 2
    # The command's own last event; the checkpoint it signs when it ends comes after it.
    assert sql(
        initialised,
        "SELECT action FROM audit_events WHERE action != 'checkpoint_written' "
        "ORDER BY seq DESC LIMIT 1",
    ) == [("case_viewed",)]
    refused = desk("case", "close", number, "--note", "xong")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "The case cannot close: 2 of its referrals are not yet done, declined or revoked."
    )
    for r in queue(desk):
        assert (
            desk("referral", "update", r["id"], "--status", "revoked", "--reason", "x").exit_code
            == 0
        )
    no_note = desk("case", "close", number)
    assert (
        no_note.exit_code == 1 and no_note.stderr.strip() == "Closing a case needs a closing note."
    )
    assert desk("case", "close", number, "--note", "Trẻ an toàn", user="lan").exit_code == 1
    assert desk("case", "close", number, "--note", "Trẻ an toàn").exit_code == 0
    assert sql(initialised, "SELECT status FROM cases") == [("closed",)]
    assert desk("case", "reopen", number).exit_code == 1
    assert desk("case", "reopen", number, "--reason", "Gọi lại").exit_code == 0
    assert sql(initialised, "SELECT status FROM cases") == [("assessed",)]
    assert desk("case", "assign", number, "--to", "minh", user="lan").exit_code == 1
    assert desk("case", "assign", number, "--to", "minh").exit_code == 0
    unknown = desk("case", "show", "111-2026-000999")
    assert (
        unknown.exit_code == 1 and unknown.stderr.strip() == "Case 111-2026-000999 was not found."
    )


def test_audit_list(desk) -> None:  # type: ignore[no-untyped-def]
    result = desk("audit", "list", "--json", "--action", "case_opened")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    assert [e["action"] for e in events] == ["case_opened"]
    assert set(events[0]) == {"seq", "at", "actor", "action", "entity", "entity_id", "signer"}
    assert events[0]["actor"] == "lan" and events[0]["at"].endswith("+07:00")
    assert events[0]["signer"] == "lan"  # whose key signed it (issue 20 item 3)
    for line in desk("audit", "list").stdout.splitlines():
        cols = line.split("\t")
        assert cols[-1] == cols[2] or cols[2] == "-", line  # the actor is the signer
    # A page number past any integer the database holds: one sentence (issue 20 item 8).
    huge = desk("audit", "list", "--page", "99999999999999999999")
    assert huge.exit_code != 0 and len(huge.stderr.strip().splitlines()) == 1, huge.output
    assert "Traceback" not in huge.output
    by_case = json.loads(desk("audit", "list", "--json", "--case", "111-2026-000001").stdout)
    assert {e["entity"] for e in by_case} <= {"case", "referral"} and len(by_case) >= 3
    assert json.loads(desk("audit", "list", "--json", "--actor", "nobody").stdout) == []
    assert desk("audit", "list", user="lan").exit_code == 1  # operators do not read the trail
    text_out = desk("audit", "list", "--since", "2020-01-01")
    assert text_out.exit_code == 0 and "case_opened" in text_out.stdout


def test_referral_slip(desk, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = queue(desk, "--body", "commune_committee")[0]["id"]
    out = tmp_path / "slip.txt"
    written = desk("referral", "slip", ref, "--out", str(out))
    assert written.exit_code == 0, written.output
    assert "111-2026-000001" in out.read_text(encoding="utf-8")
    refused = desk(
        "referral", "slip", ref, "--out", str(tmp_path / "c.txt"), "--with-caller", user="lan"
    )
    assert refused.exit_code == 1
    assert refused.stderr.strip() == "Only a supervisor may put the caller's identity on a slip."
    pdf = desk("referral", "slip", ref, "--out", str(tmp_path / "slip.pdf"), "--pdf")
    from caseintake.services.referrals.slip_pdf import find_font

    if find_font() is not None:
        assert pdf.exit_code == 0 and (tmp_path / "slip.pdf").read_bytes().startswith(b"%PDF")
    else:
        assert pdf.exit_code == 1 and "fonts-dejavu" in pdf.stderr
    slips = sql(
        initialised, "SELECT count(*) FROM audit_events WHERE action = 'referral_slip_written'"
    )
    assert slips == [(2 if find_font() else 1,)]


def test_a_step_is_said_in_words_and_case_show_has_outcome_and_reason(
    desk, cli, initialised: str
) -> None:  # type: ignore[no-untyped-def]
    """The walk after issue 19's merges: a Vietnamese run said "Chuyển tuyến …: acknowledged."
    (a code), and ``case show`` ("the whole case") left out what the body reported when it
    finished and why another declined, which the case detail shows."""
    done, declined = (r["id"] for r in queue(desk)[:2])
    assert desk("referral", "update", done, "--status", "sent").exit_code == 0
    said = cli("--lang", "vi", "referral", "update", done, "--status", "acknowledged",
               "--user", "minh", "--db", initialised, password=PW["minh"])  # fmt: skip
    assert said.exit_code == 0, said.output
    assert said.stdout.strip() == f"Chuyển tuyến {done}: Đã tiếp nhận."
    assert desk("referral", "update", done, "--status", "in_progress").exit_code == 0
    finished = desk("referral", "update", done, "--status", "done", "--outcome", "Trẻ đã an toàn")
    assert finished.exit_code == 0, finished.output
    assert desk("referral", "update", declined, "--status", "sent").exit_code == 0
    refused = desk(
        "referral", "update", declined, "--status", "declined", "--reason", "Ngoài địa bàn"
    )
    assert refused.exit_code == 0, refused.output
    shown = desk("case", "show", "111-2026-000001")
    assert shown.exit_code == 0, shown.output
    assert "\tOutcome: Trẻ đã an toàn" in shown.stdout
    assert "\tReason: Ngoài địa bàn" in shown.stdout
