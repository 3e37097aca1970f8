"""Plain read models the services return to the UI and the CLI (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SavedContact:
    contact_id: str
    case_id: str | None
    case_number: str | None
    referral_count: int


@dataclass(frozen=True)
class ContactSummary:
    id: str
    received_at: datetime
    contact_type: str
    channel: str
    duration_seconds: int | None
    case_number: str | None
    case_id: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    id: str
    number: str
    status: str
    priority: str
    opened_at: datetime
    province_code: int | None
    ward_code: int | None
    concerns: tuple[str, ...]
    next_due_at: datetime | None  # the nearest deadline whose step is not done yet
    next_due_body: str | None
    next_due_state: str | None = None  # domain.deadline_state: now, due_soon, pending, overdue
    tampered: bool = False  # its rows differ from the events that wrote them (issue 20 item 2)


@dataclass(frozen=True)
class ChildView:
    age: int | None
    age_basis: str
    sex: str
    ethnicity: str
    disability: bool
    special_circumstances: tuple[str, ...]
    name: str | None
    address: str | None
    personal_id: str | None = None  # mã định danh cá nhân (issue 24 item 6)


@dataclass(frozen=True)
class PerpetratorView:
    relationship: str
    name: str | None


@dataclass(frozen=True)
class ReferralStep:
    """One follow-up step of a referral: when, who recorded it, the move, how the body was
    reached, whom, and what it said (issue 19 item 5)."""

    at: datetime
    actor: str
    from_status: str
    to_status: str
    via: str | None
    contacted: str | None
    note: str | None


@dataclass(frozen=True)
class ReferralView:
    id: str
    body: str
    entry_name: str | None
    phones: tuple[str, ...]
    province_code: int | None
    ward_code: int | None
    due_spec: str
    due_at: datetime | None
    status: str
    rule_ids: tuple[str, ...]
    basis: tuple[str, ...]
    reason: str | None  # why it was declined or revoked
    deadline_state: str = "pending"
    outcome: str | None = None
    steps: tuple[ReferralStep, ...] = ()  # oldest first
    # Sent as a hand-off package (issue 24): the partner line, when its signed acceptance is
    # due, whether it is overdue there now, and how late an acceptance was signed.
    partner_line: str | None = None
    partner_accept_by: datetime | None = None
    partner_overdue: bool = False
    partner_late_by: timedelta | None = None

    @property
    def contact_point(self) -> str | None:
        """Whom to reach at the body: the directory's entry, else whom the latest step
        reached."""
        if self.entry_name:
            return self.entry_name
        return next((st.contacted for st in reversed(self.steps) if st.contacted), None)


@dataclass(frozen=True)
class ContactView:
    """One call in a case's timeline, or opened on its own from home or search."""

    id: str
    received_at: datetime
    contact_type: str
    channel: str
    operator: str
    duration_seconds: int | None
    caller_relationship: str | None
    caller_age_group: str | None
    caller_sex: str | None
    counselling_topics: tuple[str, ...]
    has_phone: bool
    narrative: str
    notes: str
    case_id: str | None = None
    case_number: str | None = None
    # What a call without a case told (issue 19 item 2); a linked call's facts are the case's.
    setting: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    concerns: tuple[str, ...] = ()
    immediate_danger: bool = False
    children: tuple[ChildView, ...] = ()
    caller_name: str = ""  # as the caller gave it; "" when not given (issue 19, item 17)


@dataclass(frozen=True)
class NoteView:
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    at: datetime
    actor: str
    action: str


@dataclass(frozen=True)
class CaseTamper:
    """Issue 20 item 2: what a case's rows do not agree with: the last event they contradict
    (None when no event wrote them) and which tables."""

    seq: int | None
    tables: tuple[str, ...]


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    narrative: str
    setting: str | None
    immediate_danger: bool
    children: list[ChildView]
    perpetrators: list[PerpetratorView]
    referrals: list[ReferralView]
    notes: list[NoteView]
    history: list[HistoryItem]
    contacts: list[ContactView] = field(default_factory=list)  # newest first
    tampered: CaseTamper | None = None  # rows changed outside the application (issue 20)
    erased_at: datetime | None = None  # its words erased after the retention period


@dataclass(frozen=True)
class CallerHistory:
    phone_e164: str | None
    contacts: list[ContactSummary]
    cases: list[CaseSummary]
    silent_count: int = 0  # silent calls from this number, all time (a sign on its own)


@dataclass(frozen=True)
class CasePage:
    items: list[CaseSummary]
    page: int
    has_more: bool
    after: tuple[datetime, str] | None = None  # the next page's keyset (CaseService.search)


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split(",") if c)


def join_codes(codes: tuple[str, ...] | list[str]) -> str:
    return ",".join(codes)
