"""The case detail as text: plain ``Text`` objects, so typed content is never read as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from caseintake.domain.intake.geography import province, ward
from caseintake.domain.intake.phones import phone_text
from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import format_local
from caseintake.domain.referrals.slip import step_lines
from caseintake.domain.routing.citations import basis_texts
from caseintake.i18n import catalogue, has, language, t
from caseintake.tui.widgets.partner_deadline import partner_deadline_text
from caseintake.tui.widgets.time_text import duration_text

if TYPE_CHECKING:
    from caseintake.services.core import (
        CaseDetail,
        ChildView,
        ContactView,
        PerpetratorView,
        ReferralView,
    )


def place_text(province_code: int | None, ward_code: int | None) -> str:
    parts = [
        found.name
        for found in (ward(ward_code) if ward_code else None, province(province_code))
        if found is not None
    ]
    return ", ".join(parts) or "–"


def case_text(detail: CaseDetail) -> Text:
    summary = detail.summary
    out = Text()
    place = place_text(summary.province_code, summary.ward_code)
    out.append(t("tui.detail.opened", at=format_local(summary.opened_at), place=place) + "\n")
    if detail.erased_at is not None:  # why its words read "–" (issue 19, item 17)
        out.append(t("tui.detail.erased", at=format_local(detail.erased_at)) + "\n", style="bold")
    if detail.immediate_danger:
        out.append(t("tui.detail.danger") + "\n", style="bold red")
    concerns = ", ".join(label("concern", c) for c in summary.concerns) or "–"
    out.append(f"{t('tui.detail.concerns')}: ", style="bold")
    out.append(concerns + "\n")
    if detail.setting:
        out.append(f"{t('tui.detail.setting')}: ", style="bold")
        out.append(label("setting", detail.setting) + "\n")
    return out


def child_line(child: ChildView) -> str:
    params = {
        "sex": label("sex", child.sex),
        "age": child.age,
        "basis": label("age_basis", child.age_basis),
        "ethnicity": label("ethnicity", child.ethnicity),
    }
    key = "tui.detail.child" if child.age is not None else "tui.detail.child_age_unknown"
    parts = [t(key, **params)]
    if child.disability:
        parts.append(t("tui.detail.disability"))
    parts.extend(label("special_circumstance", c) for c in child.special_circumstances)
    parts.extend(text for text in (child.name, child.address) if text)
    if child.personal_id:
        parts.append(t("tui.detail.personal_id", pin=child.personal_id))
    return "; ".join(parts)


def children_text(children: Sequence[ChildView]) -> Text:
    return lines_text([f"{i}. {child_line(c)}" for i, c in enumerate(children, 1)])


def lines_text(lines: Sequence[str], empty: str = "–") -> Text:
    return Text("\n".join(lines) if lines else empty)


def action_label(action: str) -> str:
    """An audit action in words when the catalogue knows it, else its code."""
    key = f"tui.action.{action}"
    return t(key) if has(key) else action


def entity_label(entity: str) -> str:
    """What an audit event is about, in words when the catalogue knows it, else its code."""
    key = f"tui.entity.{entity}"
    return t(key) if has(key) else entity


def action_code(typed: str) -> str:
    """The action a filter means: a label as the viewer shows it ("đăng nhập sai") or a code."""
    wanted = typed.strip().casefold()
    prefix = "tui.action."
    for key, text in catalogue(language()).items():
        if key.startswith(prefix) and text.casefold() == wanted:
            return key[len(prefix) :]
    return typed.strip()


def perpetrators_text(perpetrators: Sequence[PerpetratorView]) -> Text:
    lines = [
        "; ".join(x for x in (label("perpetrator_relationship", p.relationship), p.name) if x)
        for p in perpetrators
    ]
    return lines_text([f"{i}. {line}" for i, line in enumerate(lines, 1)])


def contact_heading(contact: ContactView) -> str:
    """``08:15 02/03/2026 · Điện thoại · Tố giác · lan · 4:05``"""
    parts = [
        format_local(contact.received_at),
        label("channel", contact.channel),
        label("contact_type", contact.contact_type),
        contact.operator,
    ]
    if contact.duration_seconds is not None:
        parts.append(duration_text(contact.duration_seconds))
    return " · ".join(parts)


def contact_body(contact: ContactView, phone: str | None = None) -> Text:
    """What was said on one call; typed text is appended as plain text, never markup."""
    out = Text()
    caller = [
        label(kind, code)
        for kind, code in (
            ("caller_relationship", contact.caller_relationship),
            ("caller_age_group", contact.caller_age_group),
            ("sex", contact.caller_sex),
        )
        if code
    ]
    if contact.caller_name:  # typed text: plain, never markup
        caller.insert(0, contact.caller_name)
    if caller:
        out.append(f"{t('tui.contact.caller')}: ", style="bold").append(", ".join(caller) + "\n")
    if phone:
        out.append(f"{t('tui.contact.phone')}: ", style="bold").append(phone_text(phone) + "\n")
    if contact.counselling_topics:
        topics = ", ".join(label("counselling_topic", c) for c in contact.counselling_topics)
        out.append(f"{t('tui.contact.topics')}: ", style="bold").append(topics + "\n")
    _facts(out, contact)
    out.append(f"{t('tui.detail.narrative')}: ", style="bold")
    out.append((contact.narrative or "–") + "\n")
    if contact.notes:
        out.append(f"{t('tui.detail.notes')}: ", style="bold").append(contact.notes + "\n")
    return out


def _facts(out: Text, contact: ContactView) -> None:
    """What a call without a case told: the children, the place, setting, concerns, danger."""
    if contact.province_code is not None:
        place = place_text(contact.province_code, contact.ward_code)
        out.append(f"{t('seams.contact.place')}: ", style="bold").append(place + "\n")
    if contact.setting:
        setting = label("setting", contact.setting)
        out.append(f"{t('seams.contact.setting')}: ", style="bold").append(setting + "\n")
    if contact.concerns:
        concerns = ", ".join(label("concern", c) for c in contact.concerns)
        out.append(f"{t('seams.contact.concerns')}: ", style="bold").append(concerns + "\n")
    if contact.immediate_danger:
        out.append(t("seams.contact.danger") + "\n", style="bold red")
    for i, child in enumerate(contact.children, 1):
        who = "; ".join(x for x in (child_line(child), child.name, child.address) if x)
        out.append(f"{t('seams.contact.children')} {i}: ", style="bold").append(who + "\n")


def timeline_text(contacts: Sequence[ContactView], phones: dict[str, str | None]) -> Text:
    """The case's calls, newest first, each with its heading and its own words."""
    if not contacts:
        return Text("–")
    out = Text()
    for contact in contacts:
        out.append(contact_heading(contact) + "\n", style="bold")
        out.append_text(contact_body(contact, phones.get(contact.id)))
        out.append("\n")
    out.rstrip()
    return out


def referral_details_text(referrals: Sequence[ReferralView]) -> Text:
    """Per referral: its legal basis, and why it was declined or revoked, and its outcome."""
    out = Text()
    for i, r in enumerate(referrals, 1):
        out.append(f"{i}. {label('body', r.body)}\n", style="bold")
        for line in basis_texts(r.basis):  # citation keys read in the chosen language
            out.append(f"   {t('tui.detail.basis')}: ").append(line + "\n")
        if r.reason:
            out.append(f"   {t('tui.detail.reason')}: ").append(r.reason + "\n")
        if r.outcome:
            out.append(f"   {t('tui.detail.outcome')}: ").append(r.outcome + "\n")
        for line in step_lines(r.steps):  # how the body was reached, whom, what it said
            out.append(f"   {line}\n")
        if (partner := partner_deadline_text(r)) is not None:  # sent as a package (issue 24)
            out.append("   ").append(partner).append("\n")
    out.rstrip()
    return out or Text("–")
