"""Issue 7: every word of every call is kept where it belongs (services, real SQLite file).

A linked repeat call keeps its own narrative and merges its referrals with the case's open
ones; counselling calls keep their words and the caller's age group and sex; silent calls keep
the phone; intake notes become the case's first note; "my open cases" reads deadlines right.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseintake.domain.errors import DomainError
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.container import Services
from caseintake.store.models import AuditEvent, CaseNote, Contact, Referral
from tests.services.test_at_rest import report

SECOND = "she ran to the neighbour's house, her face is swollen"


def first_report(**changes: object) -> dict:  # type: ignore[type-arg]
    data = report()
    data.update(changes)
    return data


def repeat_call(case_id: str, **changes: object) -> dict:  # type: ignore[type-arg]
    """The second call of issue 7 item 1: same phone, the case linked, a new narrative."""
    data = report()
    data.update(
        received_at="2026-03-02T08:40:00+07:00",
        contact_type="follow_up",
        case_id=case_id,
        narrative=SECOND,
        caller={"relationship": "neighbour", "phone": "0912345678"},
    )
    data.update(changes)
    return data


def actions(svc: Services) -> list[str]:
    with svc.db.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def referral_desks(svc: Services) -> list[tuple[str, str]]:
    with svc.db.read() as s:
        return sorted(s.execute(select(Referral.body, Referral.status)).all())


def test_linked_repeat_call_keeps_both_narratives_newest_first(
    services: Services, operator
) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(operator, parse_intake(first_report()))
    second = services.intake.save(operator, parse_intake(repeat_call(first.case_id)))
    assert second.case_id == first.case_id and second.case_number == first.case_number
    detail = services.cases.detail(operator, first.case_id)
    assert [c.narrative for c in detail.contacts] == [SECOND, report()["narrative"]]
    assert [c.contact_type for c in detail.contacts] == ["follow_up", "report"]
    assert all(c.operator == "lan" for c in detail.contacts)


def test_linked_repeat_call_never_doubles_an_open_referral(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(operator, parse_intake(first_report()))
    before = referral_desks(services)
    second = services.intake.save(operator, parse_intake(repeat_call(first.case_id)))
    assert second.referral_count == 0
    assert referral_desks(services) == before
    bodies = [b for b, _ in before]
    assert len(bodies) == len(set(bodies))


def test_shorter_deadline_tightens_the_open_referral_and_is_audited(
    services: Services, operator
) -> None:  # type: ignore[no-untyped-def]
    # A custody dispute: legal aid within 5 working days. The police are never on a working-day
    # clock (issue 22), so the deadline that tightens is legal aid's: the repeat call says the
    # child is now in conflict with the law, and legal aid is due at once.
    calm = first_report(immediate_danger=False, concerns=["custody_dispute"])
    first = services.intake.save(operator, parse_intake(calm))
    with services.db.read() as s:
        due_before = dict(s.execute(select(Referral.body, Referral.due_at)).all())
    child = {**report()["children"][0], "special_circumstances": ["in_conflict_with_law"]}
    later = repeat_call(
        first.case_id, immediate_danger=False, concerns=["custody_dispute"], children=[child]
    )
    services.intake.save(operator, parse_intake(later))
    with services.db.read() as s:
        due_after = dict(s.execute(select(Referral.body, Referral.due_at)).all())
    tightened = [b for b in due_before if due_after[b] < due_before[b]]
    assert tightened == ["legal_aid"]  # 5 working days → at once, on the same referral
    assert len(due_after) == len(due_before)
    assert all(due_after[b] <= due_before[b] for b in due_before)
    assert "referral_deadline_tightened" in actions(services)


def test_only_a_new_body_makes_a_new_referral(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(operator, parse_intake(first_report()))
    bodies_before = {b for b, _ in referral_desks(services)}
    data = repeat_call(first.case_id, concerns=["violence", "sexual_abuse"])
    second = services.intake.save(operator, parse_intake(data))
    bodies_after = [b for b, _ in referral_desks(services)]
    assert len(bodies_after) == len(set(bodies_after)) == len(bodies_before) + second.referral_count
    detail = services.cases.detail(operator, first.case_id)
    assert set(detail.summary.concerns) == {"violence", "sexual_abuse"}
    assert "case_updated" in actions(services)


def test_linked_call_starts_from_the_case(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(operator, parse_intake(first_report()))
    intake = services.cases.linked_intake(operator, first.case_id)
    assert intake.case_id == first.case_id and intake.contact_type == "follow_up"
    assert intake.children[0].age == 9 and intake.children[0].name == "CANARYCHILDNAME"
    assert intake.perpetrators[0].relationship == "step_parent"
    assert (intake.location.province_code, intake.location.ward_code) == (79, 26740)
    assert intake.concerns == ("violence",) and intake.setting == "family"
    assert (
        intake.narrative == "" and not intake.immediate_danger
    )  # the call's own words start empty
    assert actions(services)[-1] == "case_viewed"
    with pytest.raises(DomainError) as err:
        services.cases.linked_intake(operator, "no-such-case")
    assert err.value.message("en") == "This case was not found."


def test_counselling_call_keeps_its_words_age_group_and_sex(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    data = {
        "received_at": "2026-03-02T08:15:00+07:00",
        "contact_type": "counselling",
        "counselling_topics": ["mental_health"],
        "caller": {"relationship": "self", "age_group": "11-15", "sex": "female"},
        "narrative": "Em lo lắng vì kỳ thi cuối cấp, mất ngủ cả tuần.",
        "notes": "Gợi ý gọi lại sau kỳ thi.",
    }
    saved = services.intake.save(operator, parse_intake(data))
    assert saved.case_id is None
    view = services.contacts.detail(operator, saved.contact_id)
    assert view.narrative == data["narrative"] and view.notes == data["notes"]
    assert (view.caller_age_group, view.caller_sex) == ("11-15", "female")
    assert view.counselling_topics == ("mental_health",)
    assert actions(services)[-1] == "contact_viewed"


def test_bad_caller_age_group_is_refused_with_its_field(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    data = {
        "received_at": "2026-03-02T08:15:00+07:00",
        "contact_type": "counselling",
        "caller": {"age_group": "teen"},
    }
    with pytest.raises(DomainError) as err:
        parse_intake(data)
    assert "caller.age_group" in err.value.message("en")


def test_silent_call_keeps_the_phone_and_history_counts_it(
    services: Services, operator, clock
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        services.intake.log_non_data(operator, "silent", clock(), 8, phone="0912 345 678")
    services.intake.log_non_data(operator, "dropped", clock(), 40, phone="0912345678")
    history = services.callers.history(operator, "0912345678")
    assert history.silent_count == 3
    assert [c.contact_type for c in history.contacts].count("silent") == 3
    assert "dropped" in [c.contact_type for c in history.contacts]


def test_intake_notes_become_the_case_first_note(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(first_report(notes="Gọi lại lúc 17h.")))
    detail = services.cases.detail(operator, saved.case_id)
    assert [n.text for n in detail.notes] == ["Gọi lại lúc 17h."]
    with services.db.read() as s:
        assert s.execute(select(func.count()).select_from(CaseNote)).scalar_one() == 1
        assert s.execute(select(Contact.notes)).scalar_one() is None  # kept once, on the case


def test_phone_is_shown_only_on_request_and_audited(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(first_report()))
    detail = services.cases.detail(operator, saved.case_id)
    assert detail.contacts[0].has_phone
    assert services.contacts.reveal_phone(operator, detail.contacts[0].id) == "+84912345678"
    assert actions(services)[-1] == "phone_revealed"


def test_admin_reads_no_contact(services: Services, operator, admin) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(first_report()))
    with pytest.raises(DomainError):
        services.contacts.detail(admin, saved.contact_id)
    with pytest.raises(DomainError):
        services.contacts.reveal_phone(admin, saved.contact_id)


def test_immediate_referral_reads_now_not_overdue(services: Services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = clock.now.replace(hour=1, minute=16)  # one minute after the call (08:15 local)
    saved = services.intake.save(operator, parse_intake(first_report()))
    detail = services.cases.detail(operator, saved.case_id)
    states = {r.due_spec: r.deadline_state for r in detail.referrals}
    assert states.get("immediately") == "now"
    assert "overdue" not in states.values()


def test_my_open_cases_nearest_unmet_deadline_first(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    later = services.intake.save(operator, parse_intake(first_report()))
    earlier = services.intake.save(
        operator, parse_intake(first_report(received_at="2026-03-02T07:00:00+07:00"))
    )
    handled = services.intake.save(
        operator,
        parse_intake(first_report(concerns=["neglect"], immediate_danger=False)),
    )
    for ref in services.cases.detail(operator, handled.case_id).referrals:
        services.referrals.transition(operator, ref.id, "sent")  # its only deadline is met
    mine = services.cases.my_open(operator)
    assert [c.number for c in mine] == [
        earlier.case_number,
        later.case_number,
        handled.case_number,
    ]
    assert mine[-1].next_due_at is None and mine[0].next_due_state == "overdue"


def test_new_words_stay_encrypted(services: Services, operator, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(operator, parse_intake(first_report()))
    services.intake.save(operator, parse_intake(repeat_call(first.case_id, notes="CANARYNOTE2")))
    services.intake.save(
        operator,
        parse_intake(
            {
                "received_at": "2026-03-02T08:50:00+07:00",
                "contact_type": "counselling",
                "narrative": "CANARYCOUNSELLING",
            }
        ),
    )
    blob = b"".join(Path(p).read_bytes() for p in glob.glob(f"{db_path}*") if Path(p).is_file())
    for canary in (SECOND, "CANARYNOTE2", "CANARYCOUNSELLING"):
        assert canary.encode() not in blob


def test_prefilled_facts_sent_back_unchanged_are_not_news(services: Services, operator) -> None:  # type: ignore[no-untyped-def]
    first = services.intake.save(operator, parse_intake(first_report()))
    prefilled = services.cases.linked_intake(operator, first.case_id)
    data = prefilled.to_json() | {"narrative": SECOND, "caller": {"phone": "0912345678"}}
    services.intake.save(operator, parse_intake(data))
    assert "case_updated" not in actions(services)  # nothing changed but the new words
    detail = services.cases.detail(operator, first.case_id)
    assert detail.children[0].name == "CANARYCHILDNAME"
    assert [c.narrative for c in detail.contacts] == [SECOND, report()["narrative"]]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("\x1b]0;PWNED\x07\x1b[31m", "validation.control_character"),
        ("  \n ", "cases.empty_note"),
        ("x" * 20_001, "cases.note_too_long"),
    ],
)
def test_a_bad_note_is_one_sentence_and_saves_nothing(
    services: Services, operator, text, key
) -> None:  # type: ignore[no-untyped-def]
    saved = services.intake.save(operator, parse_intake(first_report()))
    with pytest.raises(DomainError) as err:
        services.cases.add_note(operator, saved.case_id, text)
    assert err.value.key == key and "\x1b" not in err.value.message()
    assert services.cases.detail(operator, saved.case_id).notes == []
