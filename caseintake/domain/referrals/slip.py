"""The referral slip: what a receiving body needs to act on one referral, and nothing more
(issue 8, item 7; DESIGN §4 "minimal"). The caller's identity appears only when a supervisor
asks for it. This module lays the slip out as text lines; the PDF writer prints the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from caseintake.domain.intake import geography
from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import Deadline, format_local
from caseintake.domain.referrals.states import state_label
from caseintake.domain.routing.citations import basis_texts
from caseintake.i18n import t

SHORT_NARRATIVE = 600  # characters: "what happened, in short"
SHORT_EARLIER_CALL = 300  # an earlier call's words, when later calls follow


class FollowUpStep(Protocol):
    """One recorded step of a referral (``ReferralStep`` of the services, ``SlipStep``)."""

    @property
    def at(self) -> datetime: ...
    @property
    def to_status(self) -> str: ...
    @property
    def via(self) -> str | None: ...
    @property
    def contacted(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...


@dataclass(frozen=True)
class SlipStep:
    at: datetime
    to_status: str
    via: str | None
    contacted: str | None
    note: str | None


@dataclass(frozen=True)
class SlipCall:
    """One call of the case: when, and the caller's words."""

    received_at: datetime
    words: str


def step_lines(steps: Iterable[FollowUpStep]) -> list[str]:
    """Each step as one line: when, the new state, how the body was reached, whom, and what
    it said (issue 19 item 5); the same words in the case detail and on the slip."""
    out = []
    for step in steps:
        parts = [format_local(step.at), state_label("referral", step.to_status)]
        if step.via:
            parts.append(t(f"supervisor.via.{step.via}"))
        if step.contacted:
            parts.append(t("seams.step.contacted", whom=short(step.contacted, 200)))
        if step.note:
            parts.append(f"“{short(step.note, 300)}”")
        out.append(" · ".join(parts))
    return out


def calls_summary(calls: Iterable[SlipCall]) -> str:
    """Every call of the case, oldest first, each dated; the newest kept longest, so the
    latest facts are always on the slip (issue 19 item 4)."""
    given = [c for c in calls if c.words.strip()]
    out = []
    for i, call in enumerate(given):
        limit = SHORT_NARRATIVE if i == len(given) - 1 else SHORT_EARLIER_CALL
        out.append(f"{format_local(call.received_at)}: {short(call.words, limit)}")
    return "\n".join(out)


@dataclass(frozen=True)
class SlipChild:
    age: int | None
    sex: str


@dataclass(frozen=True)
class Slip:
    case_number: str
    body: str
    entry_name: str | None
    children: tuple[SlipChild, ...]
    concerns: tuple[str, ...]
    province_code: int | None
    ward_code: int | None
    narrative: str
    due_spec: str
    due_at: datetime | None
    basis: tuple[str, ...]
    hotline_name: str
    hotline_phones: tuple[str, ...]
    written_at: datetime
    caller_name: str | None = None  # only when a supervisor asked for the caller's identity
    caller_phone: str | None = None
    calls: tuple[SlipCall, ...] = ()  # every call of the case, oldest first
    steps: tuple[SlipStep, ...] = ()  # this referral's follow-up so far


def age_group(age: int | None) -> str:
    """The age groups of the statistics (DESIGN §7): 16–17 apart, not counted as "trẻ em"."""
    if age is None:
        return t("supervisor.slip.age_unknown")
    for top, name in ((5, "0–5"), (10, "6–10"), (15, "11–15"), (17, "16–17")):
        if age <= top:
            return name
    return t("supervisor.slip.adult")


def short(text: str, limit: int = SHORT_NARRATIVE) -> str:
    """One paragraph of at most ``limit`` characters; control characters never reach a file."""
    text = " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def place(province_code: int | None, ward_code: int | None) -> str:
    parts = []
    found_ward = geography.ward(ward_code)
    if found_ward is not None:
        parts.append(found_ward.name)
    found = geography.province(province_code)
    if found is not None:
        parts.append(found.name)
    return ", ".join(parts) or t("supervisor.slip.place_unknown")


def slip_lines(slip: Slip) -> list[tuple[str, str]]:
    """(heading, text) pairs in reading order; an empty heading is the title."""
    kids = "; ".join(
        t("supervisor.slip.child", group=age_group(c.age), sex=label("sex", c.sex))
        for c in slip.children
    )
    due = format_local(slip.due_at) if slip.due_at else "–"
    lines = [
        ("", t("supervisor.slip.title")),
        (t("supervisor.slip.to"), slip.entry_name or label("body", slip.body)),
        (t("supervisor.slip.case"), slip.case_number),
        (t("supervisor.slip.children"), kids or t("supervisor.slip.age_unknown")),
        (t("supervisor.slip.concerns"), ", ".join(label("concern", c) for c in slip.concerns)),
        (t("supervisor.slip.place"), place(slip.province_code, slip.ward_code)),
        (t("supervisor.slip.what"), calls_summary(slip.calls) or short(slip.narrative) or "–"),
        (t("supervisor.slip.deadline"), f"{due} ({Deadline.parse(slip.due_spec).label()})"),
        # Citations in the words the case detail uses, never their keys (issue 19 item 4).
        (t("supervisor.slip.basis"), "; ".join(basis_texts(slip.basis)) or "–"),
    ]
    if slip.steps:
        lines.append((t("seams.step.title"), "\n".join(step_lines(slip.steps))))
    if slip.caller_name is not None or slip.caller_phone is not None:
        caller = ", ".join(x for x in (slip.caller_name, slip.caller_phone) if x)
        lines.append((t("supervisor.slip.caller"), caller))
    hotline = f"{slip.hotline_name} ({', '.join(slip.hotline_phones)})"
    lines.append((t("supervisor.slip.hotline"), hotline))
    lines.append((t("supervisor.slip.written"), format_local(slip.written_at)))
    return lines


def slip_text(slip: Slip) -> str:
    """The plain-text slip; a field of several lines keeps its later lines under its first."""
    out = []
    for heading, text in slip_lines(slip):
        if not heading:
            out.append(text.upper())
            continue
        indent = "\n" + " " * (len(heading) + 2)
        out.append(f"{heading}: {indent.join(text.splitlines())}")
    return "\n".join(out) + "\n"
