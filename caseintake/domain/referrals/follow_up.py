"""One step of a referral's follow-up, checked before anything is written (issue 8, item 2).

What each step needs: ``sent`` says how (phone, letter, official dispatch, email...),
``acknowledged`` may say by whom, ``done`` carries the outcome, ``declined`` and ``revoked`` a
reason; only a supervisor revokes (an operator records what a body reports by phone, but taking
a referral back is a supervisor's decision, as Primero's hand-offs are revoked by their owner).
"""

from __future__ import annotations

from dataclasses import dataclass

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals import states

VIA = ("phone", "letter", "dispatch", "email", "in_person", "zalo")
MAX_TEXT = 4000


@dataclass(frozen=True)
class FollowUp:
    """A step as the user gave it; ``contacted`` is the "whom, how" line."""

    status: str
    via: str | None = None
    contacted: str | None = None
    note: str | None = None
    outcome: str | None = None
    reason: str | None = None

    def cleaned(self) -> FollowUp:
        """Blank texts become None; an outcome or reason falls back to the note."""
        note = _clean(self.note)
        outcome = _clean(self.outcome)
        reason = _clean(self.reason)
        if self.status == "done" and outcome is None:
            outcome = note
        if self.status in ("declined", "revoked") and reason is None:
            reason = note
        return FollowUp(
            self.status, _clean(self.via), _clean(self.contacted), note, outcome, reason
        )


def check_follow_up(step: FollowUp, current: str, role: str) -> FollowUp:
    """The cleaned step, or a DomainError saying in one sentence why it is refused."""
    step = step.cleaned()
    if step.status not in states.REFERRAL_STATES:
        raise DomainError("state.error.unknown_state", kind="referral", state=step.status)
    states.transition("referral", current, step.status, role, step.reason)  # revoke: supervisor
    if step.via is not None and step.via not in VIA:
        raise DomainError("supervisor.follow_up.bad_via", via=step.via, known=", ".join(VIA))
    if step.status == "done" and step.outcome is None:
        raise DomainError("supervisor.follow_up.outcome_required")
    for text in (step.contacted, step.note, step.outcome, step.reason):
        if text is not None and len(text) > MAX_TEXT:
            raise DomainError("supervisor.follow_up.too_long", n=MAX_TEXT)
    return step


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    kept = "".join(c for c in text if c.isprintable() or c in "\n\t").strip()
    return kept or None
