"""Escalation rules as data: the shipped file, the pure proposal, and what rules check refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.deadlines import WorkingCalendar
from caseintake.domain.referrals.follow_up import FollowUp, check_follow_up
from caseintake.domain.routing.escalation import (
    load_escalation_rules,
    parse_escalation_rules,
    propose,
)
from caseintake.domain.routing.escalation_check import check_escalation_rules
from caseintake.domain.routing.rules_check import check_rules

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 in Viet Nam
GOOD = """
[[escalation]]
id = "a"
from = ["commune_committee"]
to = { body = "provincial_child_protection", area = "province" }
due = "12h"
basis = ["ltre.art4"]
"""


def proposal(status: str, due_spec: str, due: datetime) -> object:
    return propose(
        load_escalation_rules(),
        referral_id="r",
        body="commune_committee",
        due_spec=due_spec,
        due=due,
        status=status,
        province_code=79,
        now=NOW,
        calendar=WorkingCalendar(),
    )


def test_shipped_rules_are_clean_and_cite_laws_not_files() -> None:
    rules = load_escalation_rules()
    assert check_escalation_rules(rules) == []
    assert check_rules() == [] or all(p.severity == "warning" for p in check_rules())
    for rule in rules.rules:
        assert rule.basis and not any(".txt" in b or "DOMAIN" in b for b in rule.basis)
    assert rules.for_body("commune_police").to_body == "provincial_police"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("status", "spec", "due", "escalates"),
    [
        ("pending", "12h", NOW - timedelta(minutes=1), True),
        ("sent", "12h", NOW - timedelta(minutes=1), True),  # sent, never acknowledged
        ("acknowledged", "12h", NOW - timedelta(days=2), False),
        ("pending", "12h", NOW + timedelta(minutes=1), False),
        ("pending", "immediately", NOW - timedelta(minutes=14), False),  # the 15 "now" minutes
        ("pending", "immediately", NOW - timedelta(minutes=16), True),
        ("sent", "immediately", NOW - timedelta(hours=11), False),  # waits 12 h to acknowledge
        ("sent", "immediately", NOW - timedelta(hours=13), True),
        ("done", "12h", NOW - timedelta(days=2), False),
        ("revoked", "12h", NOW - timedelta(days=2), False),
    ],
)
def test_when_a_referral_escalates(status: str, spec: str, due: datetime, escalates: bool) -> None:
    found = proposal(status, spec, due)
    assert (found is not None) is escalates
    if found is not None:
        assert found.body == "provincial_child_protection"  # type: ignore[attr-defined]
        assert found.due_at == NOW + timedelta(hours=12)  # type: ignore[attr-defined]


def test_a_body_without_a_rule_does_not_escalate() -> None:
    found = propose(
        load_escalation_rules(),
        referral_id="r",
        body="provincial_child_protection",
        due_spec="12h",
        due=NOW - timedelta(days=1),
        status="pending",
        province_code=79,
        now=NOW,
        calendar=WorkingCalendar(),
    )
    assert found is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('basis = ["ltre.art4"]', "basis = []"), "missing_basis"),
        (("ltre.art4", "seeds/004_7f4d407c7ddc4f27.txt"), "file_citation"),
        (("ltre.art4", "DOMAIN §4"), "file_citation"),
        (("ltre.art4", "Luật Trẻ em 2016 Art. 4"), "unknown_citation"),  # a key, not free text
        (('due = "12h"', 'due = "soon"'), "bad_due"),
        (('"commune_committee"]', '"town_hall"]'), "unknown_code"),
        (('area = "province"', 'area = "commune"'), "unknown_code"),
        (('body = "provincial_child_protection"', 'body = "commune_committee"'), "to_itself"),
        (('body = "provincial_child_protection"', 'body = "emergency_113"'), "emergency_target"),
        (('due = "12h"', 'due = "12h"\nacknowledge_within = "2wd"'), "bad_ack_window"),
        (  # issue 22: a police body is never on a working-day clock
            ('"provincial_child_protection", area', '"provincial_police", area'),
            "crime_sign_working_days",
        ),
    ],
)
def test_rules_check_names_each_problem(change: tuple[str, str], problem: str) -> None:
    text = GOOD.replace(*change)
    if problem == "crime_sign_working_days":
        text = text.replace('due = "12h"', 'due = "1wd"')
    assert text != GOOD
    found = check_escalation_rules(parse_escalation_rules(text))
    assert [p.key.rsplit(".", 1)[-1] for p in found] == [problem]
    assert found[0].message("en").lower().startswith("rule a: ")


def test_rules_check_finds_cycles_and_double_owners() -> None:
    cycle = GOOD + GOOD.replace('id = "a"', 'id = "b"').replace(
        'from = ["commune_committee"]', 'from = ["provincial_child_protection"]'
    ).replace('body = "provincial_child_protection"', 'body = "commune_committee"')
    keys = {p.key.rsplit(".", 1)[-1] for p in check_escalation_rules(parse_escalation_rules(cycle))}
    assert keys == {"cycle"}
    twice = GOOD + GOOD.replace('id = "a"', 'id = "b"')
    keys = {p.key.rsplit(".", 1)[-1] for p in check_escalation_rules(parse_escalation_rules(twice))}
    assert keys == {"two_rules"}


def test_rules_check_reads_an_escalation_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "escalation.toml"
    path.write_text(GOOD.replace("ltre.art4", "notes.txt"), encoding="utf-8")
    assert [p.key for p in check_rules(path)] == ["supervisor.rules.file_citation"]
    path.write_text("[[escalation]]\nid = 3\n", encoding="utf-8")
    assert [p.key for p in check_rules(path)] == ["rules.problem.missing_id"]
    with pytest.raises(DomainError):
        parse_escalation_rules("[[escalation]]\nid = 'x'\nwhen = 1\n")


def test_follow_up_cleans_and_checks() -> None:
    step = check_follow_up(FollowUp("done", note=" Đã xong\x1b "), "in_progress", "operator")
    assert step.outcome == "Đã xong"  # the note serves as the outcome; control chars dropped
    with pytest.raises(DomainError):
        check_follow_up(FollowUp("revoked", reason="x"), "sent", "operator")
    with pytest.raises(DomainError):
        check_follow_up(FollowUp("teleported"), "sent", "supervisor")
    assert (
        check_follow_up(FollowUp("revoked", note="Trùng"), "sent", "supervisor").reason == "Trùng"
    )


def test_windows_not_read_in_a_source_are_shown_to_be_confirmed() -> None:
    """Issue 22: every "[check]" of the escalation rules is a window marked to be confirmed; a
    proposal carries the mark to the supervisor's dialog."""
    rules = load_escalation_rules()
    assert {r.id for r in rules.rules if r.to_confirm} == {
        "commune_to_province",
        "police_to_province",
        "service_to_province",
        "cyber_police_to_province",
    }
    assert all("[check]" not in r.note for r in rules.rules)
    found = proposal("pending", "12h", NOW - timedelta(minutes=1))
    assert found is not None and found.to_confirm  # type: ignore[attr-defined]
    assert not parse_escalation_rules(GOOD).rules[0].to_confirm
    with pytest.raises(DomainError):
        parse_escalation_rules(GOOD + 'to_confirm = "yes"\n')
