"""The supervisor queue's conditions in SQL, and its page read band by band (issue 11).

A page is the open referrals in the order overdue, due within the hour, the rest, each band by
deadline. Sorting every open referral by that band costs 430 ms at 5 M contacts; instead each
band walks an index of deadlines (the unmet referrals' for the first two bands, issue 23; the open
referrals' ``ix_referrals_open_due`` for the rest) and stops at the
page's end. SQLite uses that partial index only when the query names its condition, so the
open states (and the other fixed code lists) are written out in the SQL, never bound. The
statements are built once per combination of filters, with the moments and the filters' values
as named parameters, so they run as prepared statements on the fast reads
(``store.fast_read``).
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from caseintake.domain.referrals.deadline_state import DUE_SOON, NOW_WINDOW
from caseintake.domain.routing.escalation import EscalationRules
from caseintake.services.cases.queries import OPEN_REFERRAL_STATES
from caseintake.store.models import Case, DirectoryEntryRow, EscalationRow, Referral, User
from caseintake.store.types import UTCDateTime

_CODE = re.compile(r"^[a-z0-9_.]+$")
Moment = datetime | ColumnElement[Any]


def written_out(codes: Iterable[str]) -> list[ColumnElement[Any]]:
    """Fixed codes (states, bodies) as SQL literals; anything but a plain code is refused."""
    out = []
    for code in codes:
        if not _CODE.match(code):
            raise ValueError(f"not a code: {code!r}")
        out.append(literal_column(f"'{code}'"))
    return out


OPEN = Referral.status.in_(written_out(OPEN_REFERRAL_STATES))
_SENT_OR_PENDING = Referral.status.in_(written_out(("pending", "sent")))


def overdue(now: Moment, window: Moment) -> ColumnElement[bool]:
    """domain.deadline_state's "overdue": the step not done and past due (an "immediately"
    referral only once ``NOW_WINDOW`` has gone: ``window`` is ``now`` less that)."""
    return or_(
        and_(
            Referral.due_spec == "immediately",
            Referral.status == "pending",
            Referral.due_at < window,
        ),
        and_(Referral.due_spec != "immediately", _SENT_OR_PENDING, Referral.due_at < now),
    )


def unmet() -> ColumnElement[bool]:
    return or_(
        and_(Referral.due_spec == "immediately", Referral.status == "pending"),
        and_(Referral.due_spec != "immediately", _SENT_OR_PENDING),
    )


def escalating(
    rules: EscalationRules, now: Moment, window: Moment, late: list[Moment]
) -> ColumnElement[bool]:
    """domain.escalation.needs_escalation for the rule of each body, undecided; ``late[i]`` is
    ``now`` less rule i's acknowledgement window (unused for a rule without one)."""
    per_rule: list[ColumnElement[bool]] = []
    for rule, too_late in zip(rules.rules, late, strict=True):
        either = [overdue(now, window)]
        if rule.ack_window() is not None:
            either.append(
                and_(
                    Referral.due_spec == "immediately",
                    Referral.status == "sent",
                    Referral.due_at < too_late,
                )
            )
        per_rule.append(and_(Referral.body.in_(written_out(rule.from_bodies)), or_(*either)))
    decided = aliased(EscalationRow)
    undecided = ~exists().where(decided.referral_id == Referral.id).correlate(Referral)
    return and_(or_(*per_rule), undecided) if per_rule else false()


def late_moments(rules: EscalationRules, now: datetime) -> list[datetime]:
    return [now - (rule.ack_window() or timedelta(0)) for rule in rules.rules]


SHOWN = (
    Referral.id,
    Referral.case_id,
    Referral.body,
    Referral.status,
    Referral.due_spec,
    Referral.due_at,
    Referral.sent_at,
    Referral.acknowledged_at,
    Case.number,
    Case.status.label("case_status"),
    Case.priority,
    Case.province_code.label("case_province"),
    Case.ward_code.label("case_ward"),
    User.name.label("operator"),
    DirectoryEntryRow.name.label("entry"),
    EscalationRow.decision,
)
Shown = namedtuple("Shown", [c.key for c in SHOWN])  # type: ignore[misc]

# A filter's fields, in the order of a shape: which of them the supervisor has set.
FILTERS = (
    "body",
    "province_code",
    "ward_code",
    "priority",
    "operator",
    "status",
    "overdue_only",
    "escalations_only",
)
Shape = tuple[bool, ...]
_WALK = ("referrals", "ix_referrals_open_due")
# The overdue and due-soon bands hold unmet referrals only (pending, or sent and not yet
# answered): they walk those alone (issue 23: the open index passed thousands of acknowledged
# referrals past their deadline before the first overdue one).
_UNMET_WALK = ("referrals", "ix_referrals_unmet_due")
_TOTALS = 3  # the totals' key beside the bands 0-2
_CASE_FILTERS = ("province_code", "ward_code", "priority", "operator")


def _at(name: str) -> Any:
    return bindparam(name, type_=UTCDateTime())


class Bands:
    """The queue's statements for each shape of filter, built once: the three bands of a page
    and the header's totals, on the same conditions."""

    def __init__(self, rules: EscalationRules) -> None:
        self._rules = rules
        self._made: dict[tuple[Shape, int], Select[Any]] = {}

    @staticmethod
    def shape(where: Any) -> Shape:
        return tuple(
            getattr(where, name) is not None
            if name in ("province_code", "ward_code")
            else bool(getattr(where, name))
            for name in FILTERS
        )

    def params(self, where: Any, now: datetime) -> dict[str, Any]:
        found: dict[str, Any] = {
            "now": now,
            "window": now - NOW_WINDOW,
            "soon": now + DUE_SOON,
        }
        for name, is_set in zip(FILTERS, self.shape(where), strict=True):
            if is_set and name not in ("overdue_only", "escalations_only"):
                found[name] = getattr(where, name)
        for i, moment in enumerate(late_moments(self._rules, now)):
            found[f"late_{i}"] = moment
        return found

    def statement(self, shape: Shape, band: int) -> tuple[Select[Any], tuple[str, str] | None]:
        """The band's statement, and the index SQLite is to walk for it: with statistics it
        would rather take every open referral from the status index and sort them all
        (120 ms at 1 M contacts). With one state asked for, its (status, deadline) index
        walks in order by itself."""
        key = (shape, band)
        if key not in self._made:
            self._made[key] = self._band(shape, band)
        if dict(zip(FILTERS, shape, strict=True))["status"]:
            return self._made[key], None
        return self._made[key], _UNMET_WALK if band < 2 else _WALK

    def totals(self, shape: Shape) -> Select[Any]:
        """Open, overdue, due within the hour and to escalate, in one aggregate. Cases and
        users are joined only when a filter reads them: the totals visit every open referral."""
        key = (shape, _TOTALS)
        if key not in self._made:
            now, window, soon = _at("now"), _at("window"), _at("soon")
            late_now = overdue(now, window)
            stmt = (
                select(
                    func.count(),
                    func.sum(case((late_now, 1), else_=0)),
                    func.sum(case((late_now, 0), (_soon(soon), 1), else_=0)),
                    func.sum(case((self._escalating(), 1), else_=0)),
                    func.count(func.distinct(Referral.case_id)),
                )
                .select_from(Referral)
                .where(*self._conditions(shape))
            )
            is_set = dict(zip(FILTERS, shape, strict=True))
            if any(is_set[name] for name in _CASE_FILTERS):
                stmt = stmt.join(Case, Case.id == Referral.case_id)
            if is_set["operator"]:
                stmt = stmt.join(User, User.id == Case.assigned_to)
            self._made[key] = stmt
        return self._made[key]

    def _escalating(self) -> ColumnElement[bool]:
        late = [_at(f"late_{i}") for i in range(len(self._rules.rules))]
        return escalating(self._rules, _at("now"), _at("window"), late)

    def _conditions(self, shape: Shape) -> list[ColumnElement[bool]]:
        """The supervisor's filters, their values as named parameters (``params``)."""
        is_set = dict(zip(FILTERS, shape, strict=True))
        conds: list[ColumnElement[bool]] = [
            Referral.status == bindparam("status") if is_set["status"] else OPEN
        ]
        for name, column in (
            ("body", Referral.body),
            ("province_code", Case.province_code),
            ("ward_code", Case.ward_code),
            ("priority", Case.priority),
            ("operator", User.name),
        ):
            if is_set[name]:
                conds.append(column == bindparam(name))
        if is_set["overdue_only"]:
            conds.append(overdue(_at("now"), _at("window")))
        if is_set["escalations_only"]:
            conds.append(self._escalating())
        return conds

    def _band(self, shape: Shape, band: int) -> Select[Any]:
        now, window, soon = _at("now"), _at("window"), _at("soon")
        rank = case((overdue(now, window), 0), (_soon(soon), 1), else_=2)
        # Each of the first two bands is unmet by definition: the term says so in the words of
        # the unmet referrals' partial index, so that SQLite may walk it.
        ranges = (
            [_SENT_OR_PENDING, Referral.due_at < now],
            [_SENT_OR_PENDING, Referral.due_at >= window, Referral.due_at <= soon],
        )
        return (
            select(*SHOWN)
            .select_from(Referral)
            .join(Case, Case.id == Referral.case_id)
            .outerjoin(User, User.id == Case.assigned_to)
            .outerjoin(DirectoryEntryRow, DirectoryEntryRow.id == Referral.directory_entry_id)
            .outerjoin(EscalationRow, EscalationRow.referral_id == Referral.id)
            .where(*self._conditions(shape), rank == band, *(ranges[band] if band < 2 else []))
            .order_by(Referral.due_at, Referral.id)
            .limit(bindparam("limit", type_=Integer()))
        )


def _soon(soon: Moment) -> ColumnElement[bool]:
    """Due within the hour and not met: ``soon`` is ``now`` plus ``DUE_SOON``."""
    return and_(unmet(), Referral.due_at <= soon)
