"""Each indicator as one named SQL query: the database groups and counts, Python never sees rows.

Every function takes a session and the period's UTC bounds and returns ``{key: count}`` for the
inner cells of its table (a key is a tuple of codes, one per dimension). What "in the period"
means for each unit is documented in ``domain/statistics_indicators``. Concerns are counted at
their top level (``violence`` for ``violence.physical``), and a child counts once per concern
however many sub-types or contacts name it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select

from caseintake.domain.intake.taxonomy import top_concerns
from caseintake.domain.referrals.deadline_state import NOW_WINDOW, SETTLED_STATES
from caseintake.domain.statistics.indicators import CHILD_AGE_LIMIT, UNKNOWN
from caseintake.store.models import Case, CaseConcern, Child, Contact, ContactChild, Referral
from caseintake.store.types import UTCDateTime

Counts = dict[tuple[str, ...], int]
Bounds = tuple[datetime, datetime]
# Several disjoint runs of days at once: the ledger counts a case seen in any of them once.
Window = Bounds | tuple[Bounds, ...]

# Luật Trẻ em 2016 Art. 10 groups of children who already suffered a form of abuse imply it
# (DOMAIN §2, "What a record implies, whatever box it was ticked in").
IMPLIED_BY_CIRCUMSTANCE = {
    "harmed_by_violence": "violence",
    "exploited": "exploitation",
    "sexually_abused": "sexual_abuse",
    "trafficked": "trafficking",
}
_PAST_SENT = ("sent", "acknowledged", "in_progress", "done")
_PAST_ACK = ("acknowledged", "in_progress", "done")


def _received_in(bounds: Window) -> ColumnElement[bool]:
    spans: tuple[Bounds, ...] = bounds if isinstance(bounds[0], tuple) else (bounds,)  # type: ignore[assignment]
    return or_(*(and_(Contact.received_at >= a, Contact.received_at < b) for a, b in spans))


def _cases_in(bounds: Window) -> Select[Any]:
    """Cases with at least one contact received in the period."""
    return select(Contact.case_id).where(_received_in(bounds), Contact.case_id.is_not(None))


def _top(column: Any, sqlite: bool) -> Any:
    if sqlite:
        dot = func.instr(column, ".")
        return case((dot > 0, func.substr(column, 1, dot - 1)), else_=column)
    return func.split_part(column, ".", 1)


def _days(moment: Any, sqlite: bool) -> Any:
    """A moment as a number of days, comparable and subtractable on both databases."""
    if sqlite:
        return func.julianday(moment)
    return cast(func.extract("epoch", moment), Float) / 86400.0


def _rows(session: Session, query: Any) -> Counts:
    out: Counts = {}
    for row in session.execute(query):
        *codes, count = tuple(row)
        key = tuple(UNKNOWN if c is None else str(c) for c in codes)
        out[key] = out.get(key, 0) + int(count)
    return out


def contacts_by_type(s: Session, bounds: Bounds, sqlite: bool) -> Counts:
    """Every contact received in the period, once, by its type (silent calls included)."""
    q = select(Contact.contact_type, func.count()).where(_received_in(bounds))
    return _rows(s, q.group_by(Contact.contact_type))


def contacts_by_channel(s: Session, bounds: Bounds, sqlite: bool) -> Counts:
    """Every contact received in the period, once, by the channel it came in on."""
    q = select(Contact.channel, func.count()).where(_received_in(bounds))
    return _rows(s, q.group_by(Contact.channel))


def counselling_by_topic(s: Session, bounds: Bounds, sqlite: bool) -> Counts:
    """Contacts with counselling topics, once under each topic (mentions).

    The database groups by the stored list of topics; the few distinct lists are then split
    here, which keeps the query the same on SQLite and PostgreSQL.
    """
    q = (
        select(Contact.counselling_topics, func.count())
        .where(_received_in(bounds), Contact.counselling_topics != "")
        .group_by(Contact.counselling_topics)
    )
    out: dict[tuple[str, ...], int] = defaultdict(int)
    for topics, count in s.execute(q):
        for topic in dict.fromkeys(t for t in str(topics).split(",") if t):
            out[(topic,)] += int(count)
    return dict(out)


def _by_concern(
    s: Session,
    bounds: Window,
    sqlite: bool,
    columns: tuple[ColumnElement[str], ...],
    where: tuple[ColumnElement[bool], ...] = (),
    forms: tuple[str, ...] | None = None,
) -> Counts:
    """Children of the period's cases, once per top-level concern, grouped by ``columns``.

    Two GROUP BYs whose children do not overlap, added here: the concerns coded on the case
    (a child once per top-level code, ``count(DISTINCT)``), and the abuse forms implied by a
    child's special circumstances where the case does not already code that form.
    """
    top = _top(CaseConcern.concern, sqlite).label("concern")
    coded = (
        select(top, *columns, func.count(distinct(Child.id)))
        .join(CaseConcern, CaseConcern.case_id == Child.case_id)
        .join(Case, Case.id == Child.case_id)
        .where(Child.case_id.in_(_cases_in(bounds)), *where)
        .group_by(top, *columns)
    )
    if forms is not None:
        coded = coded.where(top.in_(forms))
    out = _rows(s, coded)
    padded = literal(",") + Child.special_circumstances + literal(",")
    in_period = exists(
        select(Contact.id).where(Contact.case_id == Child.case_id, _received_in(bounds))
    )
    branches = []
    for circumstance, form in IMPLIED_BY_CIRCUMSTANCE.items():
        if forms is not None and form not in forms:
            continue
        already = exists(
            select(CaseConcern.case_id).where(
                CaseConcern.case_id == Child.case_id,
                or_(CaseConcern.concern == form, CaseConcern.concern.like(f"{form}.%")),
            )
        )
        branches.append(
            select(literal(form).label("concern"), *columns)
            .join(Case, Case.id == Child.case_id)
            .where(
                Child.special_circumstances != "",
                padded.like(f"%,{circumstance},%"),
                in_period,
                ~already,
                *where,
            )
        )
    implied = union_all(*branches).subquery()
    grouped = [implied.c[c.name] for c in (top, *columns)]
    for key, count in _rows(s, select(*grouped, func.count()).group_by(*grouped)).items():
        out[key] = out.get(key, 0) + count
    return out


def children_by_concern_sex(s: Session, bounds: Window, sqlite: bool) -> Counts:
    """Children of the period's cases, once under each top-level concern, by sex."""
    return _by_concern(s, bounds, sqlite, (Child.sex.label("sex"),))


def _age_group(sqlite: bool) -> ColumnElement[str]:
    return case(
        (Child.age.is_(None), UNKNOWN),
        (Child.age < 0, UNKNOWN),
        (Child.age <= 5, "0-5"),
        (Child.age <= 10, "6-10"),
        (Child.age < CHILD_AGE_LIMIT, "11-15"),
        (Child.age <= 17, "16-17"),
        else_=UNKNOWN,
    )


def children_by_age_group_sex(s: Session, bounds: Window, sqlite: bool) -> Counts:
    """Children of the period's cases, each once, by age group and sex."""
    group = _age_group(sqlite).label("age_group")
    q = (
        select(group, Child.sex, func.count())
        .where(Child.case_id.in_(_cases_in(bounds)))
        .group_by(group, Child.sex)
    )
    return _rows(s, q)


def contact_children_by_age_sex_province(s: Session, bounds: Window, sqlite: bool) -> Counts:
    """Children told about in the period's contacts without a case (counselling, information),
    once a contact, by age group, sex and the contact's province: Child Helpline International
    counts every contact this way (issue 19 item 2). Children of cases are counted above."""
    age = ContactChild.age
    group = case(
        (age.is_(None), UNKNOWN),
        (age < 0, UNKNOWN),
        (age <= 5, "0-5"),
        (age <= 10, "6-10"),
        (age < CHILD_AGE_LIMIT, "11-15"),
        (age <= 17, "16-17"),
        else_=UNKNOWN,
    ).label("age_group")
    q = (
        select(group, ContactChild.sex, Contact.province_code, func.count())
        .join(Contact, Contact.id == ContactChild.contact_id)
        .where(_received_in(bounds), Contact.case_id.is_(None))
        .group_by(group, ContactChild.sex, Contact.province_code)
    )
    return _rows(s, q)


def abused_children_0101(s: Session, bounds: Window, sqlite: bool) -> Counts:
    """Thông tư 13/2021 indicator 0101: children under 16 with a form of abuse (Luật Trẻ em
    Art. 4), once under each form, by sex and setting. A child of unknown age is left out:
    it cannot be shown to be under 16 (children_by_age_group_sex shows how many there are)."""
    setting = func.coalesce(Case.setting, UNKNOWN).label("setting")
    under_16 = (Child.age.is_not(None), Child.age >= 0, Child.age < CHILD_AGE_LIMIT)
    forms = top_concerns(abuse=True)
    return _by_concern(s, bounds, sqlite, (Child.sex.label("sex"), setting), under_16, forms)


def cases_by_province(s: Session, bounds: Window, sqlite: bool) -> Counts:
    """Cases with a contact in the period, each once, by today's province code."""
    q = (
        select(Case.province_code, func.count())
        .where(Case.id.in_(_cases_in(bounds)))
        .group_by(Case.province_code)
    )
    return _rows(s, q)


def cases_by_commune(s: Session, bounds: Window, sqlite: bool) -> Counts:
    """Cases with a contact in the period, each once, by province and today's commune code
    (opt-in only; the service publishes it only when no cell is small)."""
    q = (
        select(Case.province_code, Case.ward_code, func.count())
        .where(Case.id.in_(_cases_in(bounds)))
        .group_by(Case.province_code, Case.ward_code)
    )
    return _rows(s, q)


def _created_in(bounds: Bounds) -> ColumnElement[bool]:
    return and_(Referral.created_at >= bounds[0], Referral.created_at < bounds[1])


def referrals_by_body_status(s: Session, bounds: Bounds, sqlite: bool) -> Counts:
    """Referrals made in the period, by body and where they stand now."""
    q = select(Referral.body, Referral.status, func.count()).where(_created_in(bounds))
    return _rows(s, q.group_by(Referral.body, Referral.status))


def _on_time(now: datetime, sqlite: bool) -> ColumnElement[str]:
    """yes / no / pending as ``domain.deadline_state`` reads it, at ``now``; declined or
    revoked before the step was done: ``settled`` (left out of the table)."""
    immediate = Referral.due_spec == "immediately"
    done = case((immediate, Referral.sent_at), else_=Referral.acknowledged_at)
    reached = case(
        (immediate, Referral.status.in_(_PAST_SENT)), else_=Referral.status.in_(_PAST_ACK)
    )
    grace = NOW_WINDOW.total_seconds() / 86400.0
    grace_days = case((immediate, literal(grace)), else_=literal(0.0))
    deadline = _days(Referral.due_at, sqlite) + grace_days
    now_param = literal(now, UTCDateTime())
    return case(
        (
            or_(done.is_not(None), reached),
            case(
                (or_(Referral.due_at.is_(None), done.is_(None)), "yes"),
                (_days(done, sqlite) <= deadline, "yes"),
                else_="no",
            ),
        ),
        (Referral.status.in_(tuple(SETTLED_STATES)), "settled"),
        (Referral.due_at.is_(None), "pending"),
        (_days(now_param, sqlite) <= deadline, "pending"),
        else_="no",
    )


def referrals_first_step_on_time(s: Session, bounds: Bounds, sqlite: bool, now: datetime) -> Counts:
    """Referrals made in the period: was the first step (sent for "immediately", acknowledged
    otherwise) done by its legal deadline? ``pending``: not done and not yet due."""
    on_time = _on_time(now, sqlite).label("on_time")
    q = select(Referral.body, on_time, func.count()).where(_created_in(bounds))
    rows = _rows(s, q.group_by(Referral.body, on_time))
    return {k: v for k, v in rows.items() if k[1] != "settled"}


def median_hours_to_acknowledgement(
    s: Session, bounds: Bounds, sqlite: bool
) -> dict[str, tuple[float, int]]:
    """Per body (and ``*`` for all): the median hours from the referral being recorded (the
    hotline's receipt of the report) to its acknowledgement, and how many referrals it is of."""
    hours = (
        (_days(Referral.acknowledged_at, sqlite) - _days(Referral.created_at, sqlite)) * 24.0
    ).label("hours")
    out: dict[str, tuple[float, int]] = {}
    partitions: tuple[Any, ...] = (Referral.body, literal_column("'*'"))
    for partition in partitions:
        ranked = (
            select(
                partition.label("body"),
                hours,
                func.row_number().over(partition_by=partition, order_by=hours).label("rn"),
                func.count().over(partition_by=partition).label("n"),
            )
            .where(_created_in(bounds), Referral.acknowledged_at.is_not(None))
            .subquery()
        )
        middle = or_(ranked.c.rn == (ranked.c.n + 1) / 2, ranked.c.rn == (ranked.c.n + 2) / 2)
        q = (
            select(ranked.c.body, func.avg(ranked.c.hours), func.max(ranked.c.n))
            .where(middle)
            .group_by(ranked.c.body)
        )
        for body, median, n in s.execute(q):
            out[str(body)] = (float(median), int(n))
    return out


QUERIES: dict[str, Callable[[Session, Bounds, bool], Counts]] = {
    "contacts_by_type": contacts_by_type,
    "contacts_by_channel": contacts_by_channel,
    "counselling_by_topic": counselling_by_topic,
    "children_by_concern_sex": children_by_concern_sex,
    "children_by_age_group_sex": children_by_age_group_sex,
    "abused_children_0101": abused_children_0101,
    "cases_by_province": cases_by_province,
    "referrals_by_body_status": referrals_by_body_status,
    "cases_by_commune": cases_by_commune,
    "contact_children_by_age_sex_province": contact_children_by_age_sex_province,
}


def count(s: Session, indicator: str, bounds: Window, sqlite: bool, now: datetime) -> Counts:
    """The inner cells of one indicator (``now``: where a referral's first step stands)."""
    if indicator == "referrals_first_step_on_time":
        return referrals_first_step_on_time(s, bounds, sqlite, now)  # type: ignore[arg-type]
    return QUERIES[indicator](s, bounds, sqlite)  # type: ignore[arg-type]
