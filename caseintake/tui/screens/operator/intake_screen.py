"""A new contact: the form that follows the conversation, the routing beside it, one key to save.

Everything slow runs in thread workers and comes back as messages, so the operator keeps
typing: routing (debounced, with the directory), the repeat-caller lookup, the encrypted draft
written about a second after each edit, and the save itself. The save is one service call,
one transaction, audited; it deletes the draft in the same transaction, and the screen
dismisses with the ``SavedContact``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer

from caseintake.domain.errors import IntakeInvalid
from caseintake.i18n import t
from caseintake.services.core import SavedContact
from caseintake.tui.bindings import LocalFooter
from caseintake.tui.form_state import (
    draft_payload,
    empty_values,
    from_draft,
    linked_number,
    routing_intake,
    values_from_intake,
)
from caseintake.tui.screens.operator.intake_leaving import IntakeLeaving
from caseintake.tui.screens.operator.intake_messages import (
    CaseLoaded,
    Ready,
    Routed,
    Saved,
    SaveFailed,
    Status,
)
from caseintake.tui.texts import describe
from caseintake.tui.widgets.intake.caller import CallerSection
from caseintake.tui.widgets.intake.caller_history import CallerHistoryPanel
from caseintake.tui.widgets.intake.code_picker import pass_on
from caseintake.tui.widgets.intake.fields import YesNo
from caseintake.tui.widgets.intake.form import IntakeForm
from caseintake.tui.widgets.intake.header import IntakeHeader
from caseintake.tui.widgets.intake.persistence import ContactKeeper
from caseintake.tui.widgets.intake.routing_panel import RoutingPanel, RoutingView, banner_text
from caseintake.tui.widgets.referral_edits import ReferralEdits

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


class IntakeScreen(IntakeLeaving, Screen[SavedContact | None]):
    CSS_PATH = "intake_screen.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    ROUTE_DELAY = 0.3  # seconds of quiet typing before routing again
    DRAFT_DELAY = 1.0
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="intake.save", priority=True),
        Binding("ctrl+g", "danger", "Danger", id="intake.danger", priority=True),
        Binding("ctrl+n", "add_child", "Add child", id="intake.add_child", priority=True),
        Binding("ctrl+b", "add_perpetrator", "Perpetrator", id="intake.add_perpetrator"),
        Binding("ctrl+r", "routing", "Routing", id="intake.routing", priority=True),
        Binding("ctrl+t", "history", "Earlier cases", id="intake.history", priority=True),
        # Narrow, with the routing or the earlier cases over the form, Esc goes back to it.
        Binding("escape", "close_side", "Back to the form", id="intake.close_side"),
        Binding("escape", "leave", "Leave", id="intake.leave"),
        # The same three by function keys: a browser keeps Ctrl+N and Ctrl+T for itself (the
        # app served by ``caseintake serve``), and tmux takes Ctrl+B.
        Binding("f7", "add_child", "Add child", show=False, priority=True),
        Binding("f8", "history", "Earlier cases", show=False, priority=True),
        Binding("f9", "add_perpetrator", "Perpetrator", show=False),
    ]

    def __init__(
        self,
        services: Services,
        principal: Principal,
        contact_type: str | None = None,
        *,
        draft: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self._services, self._principal = services, principal
        self._clock = services.settings.clock
        values, received_at, elapsed, edits = from_draft(draft[1]) if draft else ({}, None, 0, {})
        self.draft_id = draft[0] if draft else str(uuid.uuid4())
        self.restored = draft is not None
        self._linked_number = linked_number(draft[1]) if draft else None
        self.initial = values if draft else empty_values(contact_type)
        self.received_at = received_at or self._clock()
        self._elapsed = elapsed
        self._start_at_caller = contact_type is not None or self.restored
        self.edits = ReferralEdits.from_json(edits)
        self.keeper = ContactKeeper(services, principal, self.draft_id)
        self._debounce: dict[str, Timer] = {}
        self._route_seq = self._shown_seq = 0
        self._route_due = True  # an edit is waiting for routing (tests wait on this)
        self._saving = False
        self._ready = False
        self._history_notice = ""  # the repeat caller's notice, while the header keeps it

    def compose(self) -> ComposeResult:
        yield IntakeHeader(self._clock, self._elapsed, self.restored)
        with Horizontal(id="intake-body"):
            yield IntakeForm(self.initial, id="intake-form")
            with Vertical(id="intake-side"):
                yield CallerHistoryPanel(self._services, self._principal, id="caller-history")
                yield RoutingPanel(self.edits, id="routing")
        yield LocalFooter()

    def on_mount(self) -> None:
        form = self.query_one(IntakeForm)
        start = form.first_field() if self._start_at_caller else form.query_one("#contact-type")
        self.set_focus(start)
        if form.case_id is not None and self._linked_number is not None:  # a restored draft
            form.case_number = self._linked_number
            form.query_one(CallerSection).show_link(self._linked_number)
        # Keys typed before this point are already queued to the screen, so they come before
        # ``Ready``; a key that reaches the screen later bubbled up from a field.
        self.post_message(Ready())
        self.call_after_refresh(self._start_route)

    @on(Ready)
    def _now_ready(self) -> None:
        self._ready = True

    def on_key(self, event: events.Key) -> None:
        # Keys typed between "new contact" and the first field's cursor go to that field.
        if not self._ready:
            pass_on(self, event)

    @property
    def form(self) -> IntakeForm:
        return self.query_one(IntakeForm)

    @property
    def header(self) -> IntakeHeader:
        return self.query_one(IntakeHeader)

    def _later(self, name: str, delay: float, callback: Callable[[], object]) -> None:
        """Debounce: run ``callback`` once the operator has paused for ``delay`` seconds."""
        old = self._debounce.pop(name, None)
        if old is not None:
            old.stop()
        self._debounce[name] = self.set_timer(delay, callback)

    # Edits ----------------------------------------------------------------------------
    @on(IntakeForm.Changed)
    @on(RoutingPanel.Edited)
    def _edited(self) -> None:
        if not self.keeper.finished:
            self._route_due = True
            self._later("route", self.ROUTE_DELAY, self._start_route)
            self._later("draft", self.DRAFT_DELAY, self._start_draft)

    @on(CallerSection.PhoneEntered)
    def _phone_entered(self, event: CallerSection.PhoneEntered) -> None:
        self.query_one(CallerHistoryPanel).look_up(event.phone)
        self.refresh_bindings()

    @on(CallerHistoryPanel.Linked)
    def _linked(self, event: CallerHistoryPanel.Linked) -> None:
        self.form.link_case(event.case_id, event.number)
        if event.case_id is not None:
            self._load_case(event.case_id)
        else:  # unlinked: the form no longer comes from a case
            self.header.forget(t("intake.case_loaded"))

    @work(thread=True, group="linked-case", exclusive=True, exit_on_error=False)
    def _load_case(self, case_id: str) -> None:
        try:
            intake = self._services.cases.linked_intake(self._principal, case_id)
        except Exception as error:  # the link stays; the operator fills in what is missing
            self.post_message(Status(describe(error)))
        else:
            self.post_message(CaseLoaded(intake, case_id))

    @on(CaseLoaded)
    async def _case_loaded(self, event: CaseLoaded) -> None:
        if event.case_id != self.form.case_id or self.keeper.finished:
            return  # unlinked, or another case linked, since
        await self.form.load_case(values_from_intake(event.intake, self.form.values()))
        # Kept: the form was filled from the case (it replaces the repeat caller's notice,
        # now acted on); a draft's notice goes after it.
        self.header.show_status(t("intake.case_loaded"), keep=True)
        self.remove_class("-side-shown")
        narrative = self.form.query_one("#narrative")
        self.set_focus(narrative)  # a repeat call: the caller's new words
        self.call_after_refresh(narrative.scroll_visible, animate=False)  # once laid out anew

    @on(YesNo.Changed, "#danger")
    def _danger_changed(self, event: YesNo.Changed) -> None:
        self.header.flash(t("intake.danger.now_on" if event.value else "intake.danger.now_off"))

    # Workers --------------------------------------------------------------------------
    @property
    def routing_settled(self) -> bool:
        """The pane shows the routing of the form as it is now."""
        return not self._route_due and self._shown_seq == self._route_seq

    def _start_route(self) -> None:
        self._route_due = False
        self._route_seq += 1
        self._route(self.form.values(), list(self.edits.added), self._route_seq)

    @work(thread=True, group="route", exit_on_error=False)
    def _route(self, values: dict[str, Any], added: list[str], seq: int) -> None:
        intake = routing_intake(values, self.received_at)
        routing = self._services.routing
        extra = ReferralEdits(added=added).resolve_added(intake, routing.entries())
        self.post_message(Routed(RoutingView(routing.decide(intake), extra), seq))

    @on(Routed)
    def _routed(self, event: Routed) -> None:
        if event.seq == self._route_seq:  # an older result arriving late is dropped
            self._shown_seq = event.seq
            self.query_one(RoutingPanel).show(event.view)
            self.header.show_banner(banner_text(event.view))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "history":  # in the footer only while the number has earlier cases
            panels = self.query(CallerHistoryPanel)  # none yet while the screen composes
            history = panels.first().history if panels else None
            return history is not None and bool(history.cases)
        if action in ("leave", "close_side"):
            over_form = self.has_class("-narrow") and self.has_class("-side-shown")
            return over_form if action == "close_side" else not over_form
        return True

    def on_resize(self) -> None:
        self.refresh_bindings()  # narrow or wide: what Esc does may change

    def action_close_side(self) -> None:
        self.remove_class("-side-shown")
        self.set_focus(self.form.first_field())
        self.refresh_bindings()

    @on(CallerHistoryPanel.Found)
    def _history(self, event: CallerHistoryPanel.Found) -> None:
        self.refresh_bindings()
        if not self.has_class("-narrow"):  # the pane shows the cases itself
            return
        # Kept in front of the drafts' notices until the number changes or a save starts.
        if event.history.cases:
            notice = t("intake.history.narrow", cases=len(event.history.cases))
            self.header.show_status(notice, keep=True)
            self._history_notice = notice
        else:  # a number without cases: only the repeat caller's notice goes
            self.header.forget(self._history_notice)

    @on(CallerHistoryPanel.Failed)
    def _history_failed(self, event: CallerHistoryPanel.Failed) -> None:
        self.header.show_status(event.text)

    def _start_draft(self) -> None:
        values = self.form.values()
        untouched = not self.restored and values == self.initial and not self.edits.added
        if self.keeper.finished or untouched:
            return
        timer = self.header.timer.seconds
        number = self.form.case_number
        payload = draft_payload(values, self.received_at, timer, self.edits.to_json(), number)
        self._write_draft(payload, self.keeper.next_draft())

    @work(thread=True, group="draft", exit_on_error=False)
    def _write_draft(self, payload: dict[str, Any], seq: int) -> None:
        try:
            if self.keeper.write_draft(payload, seq):
                self.post_message(Status(t("intake.draft_saved")))
        except Exception as error:  # the form keeps everything; the next edit tries again
            self.post_message(Status(describe(error)))

    @on(Status)
    def _status(self, event: Status) -> None:
        self.header.show_status(event.text)

    # Saving ---------------------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving or self.keeper.finished:
            return
        self._saving = True
        for timer in self._debounce.values():
            timer.stop()
        self.header.show_status(t("intake.saving"), keep=True)
        edits = ReferralEdits.from_json(self.edits.to_json())
        self._save(self.form.values(), self.header.timer.seconds, edits)

    @work(thread=True, group="save", exit_on_error=False)
    def _save(self, values: dict[str, Any], duration: int, edits: ReferralEdits) -> None:
        try:
            saved = self.keeper.save(values, self.received_at, duration, edits)
        except IntakeInvalid as invalid:
            self.post_message(SaveFailed(invalid.errors, None))
        except Exception as error:  # disk full, database locked...: the form keeps everything
            self.post_message(SaveFailed([], describe(error)))
        else:
            self.post_message(Saved(saved))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        saved = event.saved
        key = "intake.saved_case" if saved.case_number else "intake.saved"
        self.app.notify(t(key, number=saved.case_number, referrals=saved.referral_count))
        self.dismiss(saved)

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        self._saving = False
        self.form.show_errors(event.errors)
        status = event.text or t("intake.save_invalid", count=len(event.errors))
        self.header.show_status(status, keep=True)
        if event.text:
            self.app.notify(event.text, severity="error")

    # Other actions --------------------------------------------------------------------
    def action_danger(self) -> None:
        self.form.toggle_danger()

    async def action_add_child(self) -> None:
        await self.form.add_child()

    async def action_add_perpetrator(self) -> None:
        await self.form.add_perpetrator()

    def action_routing(self) -> None:
        self.call_after_refresh(self.refresh_bindings)  # Esc's words follow the pane
        side = self.query_one("#intake-side")
        if self.focused is not None and side in self.focused.ancestors:
            self.remove_class("-side-shown")
            self.form.first_field().focus()
        else:
            self.add_class("-side-shown")
            self.query_one(RoutingPanel).focus()

    def action_history(self) -> None:
        """ctrl+t: to the caller's earlier cases (Enter links one), and back to the form."""
        self.call_after_refresh(self.refresh_bindings)
        panel = self.query_one(CallerHistoryPanel)
        cases = panel.query_one("#history-cases")
        # set_focus, not focus(): keys typed right after ctrl+t must find the cursor moved.
        if self.focused is cases:
            self.remove_class("-side-shown")
            self.set_focus(self.form.first_field())
        elif panel.display and panel.history is not None and panel.history.cases:
            self.add_class("-side-shown")
            self.set_focus(cases)
