"""A receipt's body, in the vocabulary of FHIR Task (focus, basedOn, status, statusReason,
owner, output): the receiving line's answer to one package, and each later step. Both ends move
a hand-off through the same states; ``next_status`` holds which step may follow which."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseintake.domain.handoff.header import HandoffRefused, format_time, parse_time

STATUSES = ("sent", "received", "accepted", "rejected", "in_progress", "done")
RECEIPT_STATUSES = ("accepted", "rejected", "in_progress", "done")
# Our receipt statuses in FHIR Task.status codes.
FHIR_TASK_STATUS = {
    "accepted": "accepted",
    "rejected": "rejected",
    "in_progress": "in-progress",
    "done": "completed",
}
_FROM_FHIR = {v: k for k, v in FHIR_TASK_STATUS.items()}
# A hand-off starts as sent (at the sender) or received (at the receiver), then follows the
# receiver's receipts, as the sender's referral can (sent → acknowledged → in_progress → done,
# declined from sent or acknowledged: domain/referrals/states.py); rejected and done are final.
_MOVES = {
    "sent": ("accepted", "rejected"),
    "received": ("accepted", "rejected"),
    "accepted": ("in_progress", "rejected"),
    "in_progress": ("done",),
}
_KEYS = {"authored", "based_on", "focus", "output", "owner", "resource", "status", "status_reason"}
MAX_WORDS = 2000  # characters of a reason or an outcome


def next_status(current: str, status: str) -> str:
    """``status`` if a hand-off in ``current`` may move there, else a refusal."""
    if status not in _MOVES.get(current, ()):
        raise HandoffRefused("handoff.error.bad_step", current=current, status=status)
    return status


@dataclass(frozen=True)
class ReceiptBody:
    package_id: str  # the package this answers (FHIR Task.focus)
    sender_case_number: str  # the package's requester case number (Task.basedOn)
    status: str  # one of RECEIPT_STATUSES
    owner_line: str  # the receiving line
    owner_case_number: str | None  # its local case, once accepted
    reason: str | None  # why rejected (Task.statusReason)
    outcome: str | None  # what was done (Task.output)
    authored: datetime

    def __post_init__(self) -> None:
        if self.status not in RECEIPT_STATUSES:
            raise HandoffRefused("handoff.error.bad_status", status=self.status[:20])
        if self.status == "rejected" and not (self.reason or "").strip():
            raise HandoffRefused("handoff.error.reason_required")
        for words in (self.reason, self.outcome):
            if words is not None and len(words) > MAX_WORDS:
                raise HandoffRefused("handoff.error.words_too_long", limit=MAX_WORDS)

    def to_json(self) -> dict[str, Any]:
        return {
            "authored": format_time(self.authored),
            "based_on": self.sender_case_number,
            "focus": self.package_id,
            "output": self.outcome,
            "owner": {"case_number": self.owner_case_number, "line": self.owner_line},
            "resource": "Task",
            "status": FHIR_TASK_STATUS[self.status],
            "status_reason": self.reason,
        }

    @classmethod
    def from_json(cls, value: Any) -> ReceiptBody:
        try:
            if not isinstance(value, dict) or set(value) != _KEYS or value["resource"] != "Task":
                raise ValueError("keys")
            owner = value["owner"]
            return cls(
                package_id=_text(value["focus"]),
                sender_case_number=_text(value["based_on"]),
                status=_FROM_FHIR[value["status"]],
                owner_line=_text(owner["line"]),
                owner_case_number=_maybe(owner["case_number"]),
                reason=_maybe(value["status_reason"]),
                outcome=_maybe(value["output"]),
                authored=parse_time(value["authored"]),
            )
        except (KeyError, TypeError, ValueError):
            raise HandoffRefused("handoff.error.bad_body") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _maybe(value: Any) -> str | None:
    return None if value is None else _text(value)
