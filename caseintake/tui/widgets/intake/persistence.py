"""What the intake screen's thread workers do with the services: drafts in order, and the save.

``ContactKeeper`` holds one lock for one contact, so a draft write that was still queued when
the operator pressed ctrl+s can never land after the save (which deletes the draft in its own
transaction) and bring the finished form back at the next login. Everything here runs in
worker threads; nothing touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from caseintake.domain.errors import FieldError, IntakeInvalid
from caseintake.domain.intake.phones import normalise_phone
from caseintake.domain.intake.validation import parse_intake
from caseintake.services.core import SavedContact
from caseintake.tui.form_state import Values, form_path, intake_payload
from caseintake.tui.widgets.referral_edits import ReferralEdits

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


@dataclass(frozen=True)
class DroppedCall:
    """A form left without saving that was a real call: logged as "dropped" (issue 7 item 4)."""

    received_at: datetime
    duration_seconds: int
    phone: str | None  # as typed; kept only when it is a valid number


class ContactKeeper:
    """The draft and the save of one contact, serialised; finished once saved or discarded."""

    def __init__(self, services: Services, principal: Principal, draft_id: str) -> None:
        self.services, self.principal, self.draft_id = services, principal, draft_id
        self._lock = threading.Lock()
        self._queued = 0  # sequence of the last draft handed to a worker
        self._written = 0  # sequence of the last draft stored
        self.finished = False

    def next_draft(self) -> int:
        """Called on the UI thread for each draft handed to a worker."""
        self._queued += 1
        return self._queued

    def write_draft(self, payload: dict[str, Any], seq: int) -> bool:
        """Store the draft unless a newer one is stored or the contact is finished."""
        with self._lock:
            if self.finished or seq < self._written:
                return False
            self.services.drafts.save(self.principal, self.draft_id, payload)
            self._written = seq
            return True

    def save(
        self,
        values: Values,
        received_at: datetime,
        duration: int,
        edits: ReferralEdits,
    ) -> SavedContact:
        """Validate, route afresh with the operator's edits, save: one service call.

        ``IntakeInvalid`` comes back with paths of the form's rows (``children[1].age``).
        """
        services = self.services
        payload, paths = intake_payload(values, received_at, duration)
        try:
            intake = parse_intake(payload, now=services.settings.clock())
        except IntakeInvalid as invalid:
            raise _on_rows(invalid, paths) from None
        choices = []
        if intake.contact_type == "report":
            added = edits.resolve_added(intake, services.routing.entries())
            choices = edits.choices(services.routing.decide(intake), added)
        with self._lock:
            try:
                saved = services.intake.save(self.principal, intake, choices, self.draft_id)
            except IntakeInvalid as invalid:
                raise _on_rows(invalid, paths) from None
            self.finished = True
        return saved

    def discard(
        self,
        dropped: DroppedCall | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Leave without saving: no more drafts, the stored one is deleted, and a call that
        happened is logged as dropped (time, duration, the phone if one was typed)."""
        with self._lock:
            self.finished = True
        try:
            self.services.drafts.discard(self.principal, self.draft_id)
            if dropped is not None:
                self.services.intake.log_non_data(
                    self.principal,
                    "dropped",
                    dropped.received_at,
                    dropped.duration_seconds,
                    phone=normalise_phone(dropped.phone or ""),
                )
        except Exception as error:
            if failed is None:
                raise
            failed(error)

    def stop(self) -> None:
        with self._lock:
            self.finished = True


def _on_rows(invalid: IntakeInvalid, paths: dict[str, str]) -> IntakeInvalid:
    return IntakeInvalid(
        [FieldError(form_path(e.field, paths), e.key, e.params) for e in invalid.errors]
    )
