"""Saving a report from the intake screen: what lands in the database, and what does not."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from caseintake.i18n import t
from caseintake.tui.screens.operator.intake_messages import Status
from tests.tui.intake_helpers import (
    BEN_THANH,
    REFERENCE_NARRATIVE,
    IntakeHost,
    audit,
    fill,
    routed,
    set_text,
    sql,
    type_reference_report,
    wait_until,
)


async def test_reference_report_typed_and_saved_with_its_referrals(services, operator, clock):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_reference_report(pilot)
        clock.advance(seconds=95)  # the call lasted a minute and a half
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
        shown = [n.message for n in app._notifications]
        assert shown == ["Đã lưu hồ sơ 111-2026-000001 · 2 chuyển tuyến."]

    saved = app.result
    assert saved is not None and saved.case_number == "111-2026-000001"
    assert saved.referral_count == 2
    [contact] = sql(
        services,
        "select contact_type, caller_relationship, duration_seconds, case_id, "
        "caller_phone_index is not null from contacts",
    )
    assert contact == ("report", "neighbour", 95, saved.case_id, 1)
    [case] = sql(
        services,
        "select number, priority, protection_level, setting, province_code, ward_code, "
        "immediate_danger, narrative from cases",
    )
    assert case[:7] == ("111-2026-000001", "emergency", "intervention", "family", 79, BEN_THANH, 1)
    narrative = operator.keys.cipher.decrypt("cases", "narrative", saved.case_id, case[7])
    assert narrative == REFERENCE_NARRATIVE
    assert sql(services, "select concern from case_concerns") == [("violence",)]
    assert sql(services, "select age, sex, age_basis from children") == [(9, "female", "estimated")]
    assert sql(services, "select relationship from perpetrators") == [("parent",)]
    referrals = sql(
        services, "select body, ward_code, due_spec, status from referrals order by due_at"
    )
    assert referrals == [
        ("commune_committee", BEN_THANH, "immediately", "pending"),
        ("commune_police", BEN_THANH, "12h", "pending"),
    ]
    assert [a["body"] for a in audit(services, operator, "referral_created")] == [
        "commune_committee",
        "commune_police",
    ]
    assert len(audit(services, operator, "contact_created")) == 1
    assert audit(services, operator, "case_opened")[0]["number"] == "111-2026-000001"
    assert sql(services, "select count(*) from drafts") == [(0,)]


async def test_wrong_fields_show_inline_and_keep_every_typed_value(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        set_text(screen, "#age", "25")
        set_text(screen, "#caller-phone", "12")
        set_text(screen, "#narrative", "Cháu bị đánh.")
        await pilot.pause()
        age_row = screen.query_one("#age").parent.parent
        assert age_row.has_class("-error")  # the age is refused while typing
        error = age_row.query_one(".field-error", Static).render()
        assert "25" in str(error)
        phone_row = screen.query_one("#caller-phone").parent.parent
        assert not phone_row.has_class("-error")  # a phone is judged when left, not mid-number

        await pilot.press("ctrl+s")  # no concern either: the domain says so on save
        await wait_until(pilot, lambda: not screen._saving)
        rows = screen.form.rows()
        assert rows["concerns"].has_class("-error")
        assert rows["children[0].age"].has_class("-error")
        assert rows["caller.phone"].has_class("-error")
        assert screen.query_one("#age", Input).value == "25"
        assert screen.query_one("#caller-phone", Input).value == "12"
        assert screen.query_one("#narrative", TextArea).text == "Cháu bị đánh."
        assert app.focused is rows["caller.phone"].control  # the first wrong field, in order

        set_text(screen, "#age", "9")
        await pilot.pause()
        assert not rows["children[0].age"].has_class("-error")  # fixed: the message goes
    assert sql(services, "select count(*) from contacts") == [(0,)]


async def test_removed_referral_keeps_its_reason_in_the_audit_trail(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen)
        await routed(pilot)
        await pilot.press("ctrl+r", "down", "x")  # the second referral: commune police
        dialog = app.screen
        dialog.query_one("#reason", Input).value = "Công an đã có mặt tại nhà."
        await pilot.press("enter")
        await routed(pilot)
        assert "Công an đã có mặt" in str(screen.query_one("#routing-rows").children[1].render())
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)

    assert app.result is not None and app.result.referral_count == 1
    assert sql(services, "select body from referrals") == [("commune_committee",)]
    [removed] = audit(services, operator, "referral_removed")
    assert removed["body"] == "commune_police"
    assert removed["reason"] == "Công an đã có mặt tại nhà."


async def test_operator_adds_a_referral_by_typing_a_few_letters(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        fill(app.intake, danger=False)
        await routed(pilot)
        await pilot.press("ctrl+r", "a", "w", "o", "enter")  # womens_union
        await routed(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)

    added = sql(services, "select body, ward_code, added_by_operator from referrals order by body")
    assert ("womens_union", BEN_THANH, 1) in added
    assert [a["body"] for a in audit(services, operator, "referral_added")] == ["womens_union"]


async def test_an_empty_form_left_at_once_saves_nothing(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")  # untouched, in its first seconds: opened by mistake
        await wait_until(pilot, lambda: app.dismissed)
    assert app.result is None
    assert sql(services, "select count(*) from contacts") == [(0,)]


# F7 and F9 do the same where a browser (caseintake serve) keeps Ctrl+N or tmux takes Ctrl+B.
@pytest.mark.parametrize(("child", "perpetrator"), [("ctrl+n", "ctrl+b"), ("f7", "f9")])
async def test_another_child_and_perpetrator_are_one_key_each(
    services, operator, child, perpetrator
):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen, danger=False)
        await pilot.press(child, "1", "2", "enter", "2")  # a boy of 12
        await pilot.press(perpetrator, "n", "g", "u", "o", "i", "space", "l", "enter")  # Người lạ
        await routed(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    children = sql(services, "select position, age, sex from children order by position")
    assert children == [(0, 9, "female"), (1, 12, "male")]
    perpetrators = sql(services, "select relationship from perpetrators order by position")
    assert perpetrators == [("parent",), ("stranger",)]


async def test_counselling_shows_topics_and_opens_no_case(services, operator):
    app = IntakeHost(services, operator, contact_type=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        assert not screen.query_one("#topics-row").display
        await pilot.press("t", "u", "enter")  # Tư vấn
        assert screen.query_one("#contact-type").value == "counselling"
        assert screen.query_one("#topics-row").display
        screen.query_one("#topics").value = ("bullying", "mental_health")
        set_text(screen, "#age", "14")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert app.result is not None and app.result.case_id is None
    assert sql(services, "select contact_type, counselling_topics, case_id from contacts") == [
        ("counselling", "bullying,mental_health", None)
    ]
    assert sql(services, "select count(*) from cases") == [(0,)]


async def test_a_non_data_type_hides_the_case_fields_and_saves_time_only(services, operator):
    app = IntakeHost(services, operator, contact_type=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        set_text(screen, "#age", "9")  # typed before the caller hung up: not saved
        await pilot.press("g", "a", "c", "enter")  # Gác máy
        assert not screen.query_one("#children").display
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.dismissed)
    assert sql(services, "select contact_type, caller_relationship from contacts") == [
        ("hang_up", None)
    ]


async def test_a_failed_save_says_why_and_keeps_the_form(services, operator, monkeypatch):
    from caseintake.domain.errors import DomainError

    def disk_full(*args, **kwargs):
        raise DomainError("db.unreachable", url="sqlite:///full-disk.db")

    monkeypatch.setattr(services.intake, "save", disk_full)
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen._saving)
        assert not app.dismissed
        title = screen.header.query_one("#intake-title")
        assert "full-disk.db" in str(title.render())
        # A draft written a moment later says so without hiding why the save failed.
        screen.post_message(Status(t("intake.draft_saved")))
        await wait_until(pilot, lambda: t("intake.draft_saved") in str(title.render()))
        assert "full-disk.db" in str(title.render())
        assert screen.query_one("#narrative", TextArea).text == REFERENCE_NARRATIVE
        monkeypatch.undo()
        await pilot.press("ctrl+s")  # the disk has room again: the same form saves
        await wait_until(pilot, lambda: app.dismissed)
    assert sql(services, "select count(*) from cases") == [(1,)]
