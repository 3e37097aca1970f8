"""Issue 24 item 4: an incoming package's child matched to this line's cases (by the child's
personal identification number or the caller's phone, each by its blind index), asked about
before anything merges; accepting into a candidate adds to that case, any other is refused.
Two real databases (line 111 sends, line HN receives), asserted on HN's database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from caseintake.domain.errors import DomainError
from caseintake.store.models import AuditEvent, Case, Child, Contact, HandoffRow, Perpetrator
from tests.services.handoff_fixtures import (
    NAME,
    NARRATIVE,
    PIN,
    Line,
    case_number,
    lines,
    pair_template,
)
from tests.services.handoff_matching_fixtures import (
    OTHER_PHONE,
    PHONE,
    SIBLING_PIN,
    local_case,
    number_of,
    package_with_phone,
    sent_package,
)

__all__ = ["lines", "pair_template"]


def count(line: Line, what: Any, *where: Any) -> int:
    with line.services.db.read() as s:
        return int(s.execute(select(func.count()).select_from(what).where(*where)).scalar_one())


def actions(line: Line) -> list[str]:
    with line.services.db.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def test_a_child_with_the_same_personal_id_is_named_and_nothing_merges_unasked(
    lines: tuple[Line, Line],
) -> None:
    a, b = lines
    mine = local_case(b, pin=PIN, phone=OTHER_PHONE)
    local_case(b, pin=None, phone=OTHER_PHONE)  # another child: not a candidate
    handoff = b.services.handoffs.receive(b.supervisor, sent_package(a, a.path("p.cih")))
    [match] = b.services.handoffs.matches(b.supervisor, handoff)
    assert (match.case_number, match.matched_by, match.status) == (
        number_of(b, mine),
        ("personal_id",),
        "assessed",
    )
    assert actions(b)[-1] == "handoff_matched"
    shown = b.services.handoffs.show(b.supervisor, handoff)["matches"]
    assert shown == [match.to_json()]
    # Accepting without choosing opens a new case all the same, and says which matched.
    sent = b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"))
    assert not sent.merged and sent.candidates == (number_of(b, mine),)
    assert sent.case_number not in (None, number_of(b, mine))
    assert count(b, Case) == 3 and count(b, Child, Child.case_id == mine) == 1


def test_the_phone_matches_when_a_package_carries_one_and_ours_never_do(
    lines: tuple[Line, Line],
) -> None:
    a, b = lines
    mine = local_case(b, pin=None, phone=PHONE, name=NAME)  # the same caller, no number
    plain = b.services.handoffs.receive(b.supervisor, sent_package(a, a.path("p.cih")))
    assert b.services.handoffs.matches(b.supervisor, plain) == []  # our profile sends no phone
    handoff = b.services.handoffs.receive(b.supervisor, package_with_phone(a, a.path("q.cih")))
    [match] = b.services.handoffs.matches(b.supervisor, handoff)
    assert (match.case_number, match.matched_by) == (number_of(b, mine), ("phone",))

    number = number_of(b, mine)
    sent = b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"), into=number)
    assert sent.merged and sent.case_number == number
    # The child by name took its number; the sibling joined; nobody is doubled.
    detail = b.services.cases.detail(b.supervisor, mine)
    assert [(c.name, c.personal_id) for c in detail.children] == [
        (NAME, PIN),
        ("Em Trai Canary", SIBLING_PIN),
    ]
    assert count(b, Case) == 1
    # A later package of the same child now matches on both.
    again = b.services.handoffs.receive(b.supervisor, package_with_phone(a, a.path("z.cih")))
    [both] = b.services.handoffs.matches(b.supervisor, again)
    assert both.matched_by == ("personal_id", "phone")


def test_no_match_no_candidates_and_into_is_refused(lines: tuple[Line, Line]) -> None:
    a, b = lines
    other = local_case(b, pin=None, phone=OTHER_PHONE)
    handoff = b.services.handoffs.receive(b.supervisor, sent_package(a, a.path("p.cih")))
    assert b.services.handoffs.matches(b.supervisor, handoff) == []
    with pytest.raises(DomainError) as refused:
        b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"), into=number_of(b, other))
    assert "--into" in refused.value.message("vi") and not b.path("r.cir").exists()
    sent = b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"))
    assert not sent.merged and sent.candidates == () and count(b, Case) == 2


def test_accepting_into_a_candidate_adds_to_it_audited_in_one_transaction(
    lines: tuple[Line, Line],
) -> None:
    a, b = lines
    mine = local_case(b, pin=PIN, phone=OTHER_PHONE)
    number = number_of(b, mine)
    handoff = b.services.handoffs.receive(b.supervisor, sent_package(a, a.path("p.cih")))
    before = len(actions(b))
    sent = b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"), into=f" {number} ")
    assert (sent.merged, sent.case_number, sent.candidates) == (True, number, (number,))
    # Audited together, in the acceptance's one transaction (one append, in this order).
    assert actions(b)[before:] == ["contact_created", "case_updated", "handoff_accepted"]
    with b.services.db.read() as s:
        row = s.get(HandoffRow, handoff)
        assert row is not None and (row.case_id, row.status) == (mine, "accepted")
        assert row.partner_case_number == case_number(a)  # the sender's number, as the link
        kinds = s.execute(
            select(Contact.channel, Contact.contact_type).where(Contact.case_id == mine)
        ).all()
        assert sorted(kinds) == [("letter", "report"), ("phone", "report")]  # the package's
        case = s.get(Case, mine)
        assert case is not None and case.immediate_danger  # what it did not know, it takes
    assert count(b, Case) == 1  # no new case
    assert count(b, Contact, Contact.case_id == mine) == 2
    assert count(b, Child, Child.case_id == mine) == 1  # the matched child is not doubled
    assert count(b, Perpetrator, Perpetrator.case_id == mine) == 1  # the same step-parent
    detail = b.services.cases.detail(b.supervisor, mine)
    assert detail.children[0].name == "Bé Na"  # what HN recorded stays
    assert {"violence", "neglect"} <= set(detail.summary.concerns)
    assert b.services.audit.verify(b.admin).ok
    assert detail.narrative == "Lời kể của đường dây HN."  # the case's own words stay
    assert NARRATIVE in [c.narrative for c in detail.contacts]  # the package's, on its contact
    a.services.handoffs.take_receipt(a.supervisor, b.path("r.cir"))
    [out] = a.services.handoffs.rows(a.supervisor)
    assert (out.status, out.partner_case_number) == ("accepted", number)


def test_a_case_that_is_not_a_candidate_is_refused_and_nothing_is_stored(
    lines: tuple[Line, Line],
) -> None:
    a, b = lines
    mine = local_case(b, pin=PIN, phone=OTHER_PHONE)
    other = local_case(b, pin=None, phone=OTHER_PHONE)
    handoff = b.services.handoffs.receive(b.supervisor, sent_package(a, a.path("p.cih")))
    before = actions(b)
    for wrong in (number_of(b, other), "PL-2026-999999", ""):
        with pytest.raises(DomainError) as refused:
            b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"), into=wrong)
        said = refused.value.message("vi")
        assert number_of(b, mine) in said and said.count(".") <= 2 and "\n" not in said
    assert actions(b) == before and not b.path("r.cir").exists()
    assert count(b, Case) == 2 and count(b, Contact) == 2
    [row] = b.services.handoffs.rows(b.supervisor)
    assert (row.status, row.case_number) == ("received", None)


def test_an_erased_case_is_never_a_candidate(lines: tuple[Line, Line]) -> None:
    a, b = lines
    gone = local_case(b, pin=PIN, phone=OTHER_PHONE)
    number = number_of(b, gone)
    b.services.cases.transition(b.supervisor, gone, "closed", "Đã xong")
    handoff = b.services.handoffs.receive(b.supervisor, sent_package(a, a.path("p.cih")))
    assert [m.status for m in b.services.handoffs.matches(b.supervisor, handoff)] == ["closed"]
    b.services.retention.erase(b.admin, number)
    assert b.services.handoffs.matches(b.supervisor, handoff) == []
    with pytest.raises(DomainError):
        b.services.handoffs.accept(b.supervisor, handoff, b.path("r.cir"), into=number)
    assert count(b, Contact, Contact.case_id == gone) == 1
