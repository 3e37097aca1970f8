"""Leaving the intake form without saving (``IntakeScreen``): Esc asks first, and a call that
happened is logged as dropped unless the form was opened by mistake; quitting keeps what was
typed as the encrypted draft, brought back at the next login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from textual.timer import Timer

from caseintake.tui.form_state import draft_payload
from caseintake.tui.texts import describe
from caseintake.tui.widgets.intake.dialogs import DiscardDialog
from caseintake.tui.widgets.intake.form import IntakeForm
from caseintake.tui.widgets.intake.header import IntakeHeader
from caseintake.tui.widgets.intake.persistence import ContactKeeper, DroppedCall
from caseintake.tui.widgets.referral_edits import ReferralEdits


class IntakeLeaving:
    """Mixed into ``IntakeScreen`` (a Textual screen) ahead of ``Screen``."""

    MISTAKE_SECONDS = 10  # an untouched form left sooner than this was opened by mistake

    keeper: ContactKeeper
    edits: ReferralEdits
    initial: dict[str, Any]
    restored: bool
    received_at: datetime
    _debounce: dict[str, Timer]
    app: Any
    form: IntakeForm
    header: IntakeHeader
    dismiss: Any

    def action_leave(self) -> None:
        """Ask first: a call that happened is logged as dropped unless opened by mistake. A
        form left untouched in its first seconds was a slip of the key: it goes at once."""
        if not self.unsaved and self.header.timer.seconds < self.MISTAKE_SECONDS:
            self._discard("mistake")
            return
        self.app.push_screen(DiscardDialog(), self._discard)

    def _discard(self, choice: str | None) -> None:
        if choice not in ("dropped", "mistake") or self.keeper.finished:
            return  # the default: keep the form
        self.keeper.finished = True  # no new draft from here on; discard() waits for one in flight
        for timer in self._debounce.values():
            timer.stop()
        dropped = None
        if choice == "dropped":
            phone = self.form.values()["caller"].get("phone")
            dropped = DroppedCall(self.received_at, self.header.timer.seconds, phone)
        # An app worker, not the screen's: it must outlive the screen being dismissed.
        discard = partial(self.keeper.discard, dropped, self._discard_failed)
        self.app.run_worker(discard, thread=True, exit_on_error=False)
        self.dismiss(None)

    def _discard_failed(self, error: Exception) -> None:
        """From the worker thread: the dropped call could not be logged; say so."""
        self.app.call_from_thread(self.app.notify, describe(error), severity="error")

    @property
    def unsaved(self) -> bool:
        """Something was typed that is not saved (quitting asks first)."""
        if self.keeper.finished:
            return False
        return self.restored or self.form.values() != self.initial or bool(self.edits.added)

    def pending_draft(self) -> Callable[[], bool] | None:
        """Before quitting: the form as it is now, for a worker to store as the encrypted draft
        (brought back at the next login); None when nothing is unsaved."""
        if not self.unsaved:
            return None
        for timer in self._debounce.values():
            timer.stop()
        timer, edits = self.header.timer.seconds, self.edits.to_json()
        payload = draft_payload(
            self.form.values(), self.received_at, timer, edits, self.form.case_number
        )
        return partial(self.keeper.write_draft, payload, self.keeper.next_draft())
