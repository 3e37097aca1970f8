"""What a user reads beside a referral besides its body, time and basis (issue 22): a deadline
that is not read in a source is "to be confirmed", never shown as law; and whether the
record's sensitive health data (DOMAIN §6) go to that body, which only bodies that need them
to act receive. Shared by the routing pane and ``caseintake route``."""

from __future__ import annotations

from caseintake.domain.intake.taxonomy import label
from caseintake.domain.routing.decision import Decision, ReferralPlan
from caseintake.i18n import t


def plan_notes(
    plan: ReferralPlan, decision: Decision | None, lang: str | None = None
) -> list[tuple[str, str]]:
    """(text, style) lines for one referral; the style is a Rich style name ("" for none)."""
    out: list[tuple[str, str]] = []
    if plan.due_to_confirm:
        out.append((f"({t('law.due_to_confirm', lang)})", "italic yellow"))
    held = decision.health_data_held if decision is not None else ()
    if held:
        data = ", ".join(label("special_circumstance", h, lang) for h in held)
        key = "law.health_shared" if plan.health_data else "law.health_withheld"
        out.append((t(key, lang, data=data), "dim"))
    return out
