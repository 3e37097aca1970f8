"""One case: its calls as a timeline (newest first), children, alleged perpetrators, referrals
with their deadlines and legal basis, notes and history. Opening it is a view of case content,
audited by the service (DESIGN §4); so is showing the caller's phone, asked for with one key.

The body scrolls with the keyboard wherever the cursor is (PageUp/PageDown, Home/End), so a long
narrative never hides the referrals below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from caseintake.domain.intake.phones import phone_text
from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals import states
from caseintake.domain.referrals.deadlines import format_local
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.cases.follow_up_dialog import FollowUpDialog
from caseintake.tui.screens.cases.note_dialog import NoteDialog
from caseintake.tui.texts import describe
from caseintake.tui.widgets.case_table import short_body
from caseintake.tui.widgets.case_text import (
    action_label,
    case_text,
    children_text,
    lines_text,
    perpetrators_text,
    referral_details_text,
    timeline_text,
)
from caseintake.tui.widgets.queue_table import at_partner_cell
from caseintake.tui.widgets.table_fit import fit_columns
from caseintake.tui.widgets.time_text import deadline_state_text

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import CaseDetail, Principal, ReferralView

_REFERRAL_COLUMNS = ("body", "status", "due", "entry", "phones")  # what matters first at 80
_SECTIONS = ("contacts", "children", "perpetrators", "referrals", "notes", "history")


class CaseDetailScreen(Screen[None]):
    CSS_PATH = "case_detail_screen.tcss"
    AUTO_FOCUS = "#detail-body"
    BINDINGS = [
        Binding("n", "add_note", "Note", id="detail.add_note"),
        Binding("s", "referral_status", "Status", id="detail.referral_status"),
        Binding("p", "phone", "Phone", id="detail.phone"),
        Binding("v", "review", "Review case", id="detail.review"),
        Binding("h", "handoff", "Hand off", id="detail.handoff"),
        Binding("r", "reload", "Reload", id="detail.reload", show=False),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False, priority=True),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, priority=True),
        Binding("ctrl+end", "scroll('scroll_end')", "End", show=False, priority=True),
        Binding("ctrl+home", "scroll('scroll_home')", "Top", show=False, priority=True),
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
    ]

    @dataclass
    class Loaded(Message):
        detail: CaseDetail

    @dataclass
    class Done(Message):
        """A note or a status change was saved; ``text`` says which."""

        text: str

    @dataclass
    class PhoneShown(Message):
        contact_id: str
        phone: str | None

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal, case_id: str) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._case_id = case_id
        self._referrals: dict[str, ReferralView] = {}
        self._detail: CaseDetail | None = None
        self._has_partners = False  # known after a read at mount (supervisors only)
        self._phones: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        yield Static(t("tui.detail.loading"), id="detail-header")
        with VerticalScroll(id="detail-body"):
            yield Static(id="tamper-warning")
            yield Static(id="summary")
            for section in _SECTIONS:
                yield Static(t(f"tui.detail.{section}"), classes="section-title")
                if section == "referrals":
                    yield DataTable(id="referrals", cursor_type="row")
                    yield Static(id="referral-details", classes="section")
                else:
                    yield Static(id=section, classes="section")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        table = self.query_one("#referrals", DataTable)
        for key in _REFERRAL_COLUMNS:
            table.add_column(t(f"tui.detail.col_{key}"), key=key)
        self.action_reload()
        if self._principal.role == "supervisor":
            self._look_for_partners()

    @work(thread=True, group="case-detail-partners", exit_on_error=False)
    def _look_for_partners(self) -> None:
        """Whether any partner line has a card: ``h`` is offered only then (issue 19 item 15:
        nothing offered is refused)."""
        try:
            found = bool(self._services.line_cards.cards(include_retired=False))
        except Exception:  # the send flow says why when it is asked for
            found = True
        self.app.call_from_thread(self._partners_known, found)

    def _partners_known(self, found: bool) -> None:
        self._has_partners = found
        self.refresh_bindings()

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        {
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "scroll_end": body.scroll_end,
            "scroll_home": body.scroll_home,
        }[how](animate=False)

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="case-detail", exit_on_error=False)
    def _load(self) -> None:
        try:
            detail = self._services.cases.detail(self._principal, self._case_id)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Loaded(detail))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        detail, summary = message.detail, message.detail.summary
        self._detail = detail
        self.refresh_bindings()  # a closed case sends nothing
        header = t(
            "tui.detail.header",
            number=summary.number,
            status=states.state_label("case", summary.status),
            priority=label("priority", summary.priority),
        )
        self.query_one("#detail-header", Static).update(Text(header))
        warning = self.query_one("#tamper-warning", Static)
        warning.display = detail.tampered is not None
        warning.update(Text(tamper_warning(detail.tampered), style="bold red"))
        self.query_one("#summary", Static).update(case_text(detail))
        self._show_contacts()
        self.query_one("#children", Static).update(children_text(detail.children))
        self.query_one("#perpetrators", Static).update(perpetrators_text(detail.perpetrators))
        self._show_referrals(detail.referrals)
        notes = [f"{format_local(n.at)}  {n.author}: {n.text}" for n in detail.notes]
        self.query_one("#notes", Static).update(lines_text(notes, t("tui.detail.no_notes")))
        history = [
            f"#{h.seq}  {format_local(h.at)}  {h.actor}  {action_label(h.action)}"
            for h in detail.history
        ]
        self.query_one("#history", Static).update(lines_text(history))

    def _show_contacts(self) -> None:
        if self._detail is not None:
            text = timeline_text(self._detail.contacts, self._phones)
            self.query_one("#contacts", Static).update(text)

    def _show_referrals(self, referrals: list[ReferralView]) -> None:
        table = self.query_one("#referrals", DataTable)
        keep = table.cursor_row
        table.clear()
        self._referrals = {r.id: r for r in referrals}
        rows = [
            (
                r.id,
                [
                    short_body(r.body),
                    states.state_label("referral", r.status),
                    at_partner_cell(r.partner_line)
                    if r.partner_overdue and r.partner_line
                    else deadline_state_text(r.due_at, r.deadline_state, short=True),
                    Text(r.contact_point or ""),
                    ", ".join(r.phones),
                ],
            )
            for r in referrals
        ]
        fit_columns(table, [cells for _, cells in rows])
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if referrals:
            table.move_cursor(row=min(keep, len(referrals) - 1))
        self.query_one("#referral-details", Static).update(referral_details_text(referrals))
        # An auto-height table paints its header before measuring the new rows: repaint it.
        table.call_after_refresh(table.refresh)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)

    @on(Done)
    def _done(self, message: Done) -> None:
        self.notify(message.text)
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # review, closure, hand-offs: the supervisor's
        if action in ("review", "handoff") and self._principal.role != "supervisor":
            return False
        if action == "handoff":  # only to a partner line, and only an open case
            closed = self._detail is not None and self._detail.summary.status in ("closed",)
            return self._has_partners and not closed
        return True

    def action_review(self) -> None:
        """Approve the plan, close, reassign or reopen, from where one reads the case."""
        if self._detail is None or self._principal.role != "supervisor":
            return
        from caseintake.services.supervisor_desk import SupervisorDesk
        from caseintake.tui.screens.supervisor.case_review import CaseReview

        summary = self._detail.summary
        review = CaseReview(
            self, SupervisorDesk(self._services).review, self._principal, self._reviewed
        )
        review.start(self._case_id, summary.number, summary.status)

    def action_handoff(self) -> None:
        """Send this case's referral to a partner line as a hand-off package (issue 24)."""
        if self._detail is None or self._principal.role != "supervisor":
            return
        from caseintake.tui.screens.handoff.send_flow import SendHandoff

        send = SendHandoff(self, self._services, self._principal, self._reviewed)
        send.start(self._detail.summary.number)

    def _reviewed(self, text: str, failed: bool) -> None:
        if failed:
            self.notify(text, severity="error", timeout=10)
            return
        self.post_message(self.Done(text))

    # Phone for a call-back -------------------------------------------------------------
    def action_phone(self) -> None:
        """Each call's phone (a call-back may be to an earlier number), shown on request;
        each reading is audited."""
        if self._detail is None:
            return
        ids = [c.id for c in self._detail.contacts if c.has_phone]
        if not ids:
            self.notify(t("tui.detail.no_phone"), severity="warning")
            return
        self._reveal(ids)

    @work(thread=True, group="case-phone", exit_on_error=False)
    def _reveal(self, contact_ids: list[str]) -> None:
        for contact_id in contact_ids:
            try:
                phone = self._services.contacts.reveal_phone(self._principal, contact_id)
            except Exception as error:
                self.post_message(self.Failed(describe(error)))
                return
            self.post_message(self.PhoneShown(contact_id, phone))

    @on(PhoneShown)
    def _phone_shown(self, message: PhoneShown) -> None:
        self._phones[message.contact_id] = message.phone
        self._show_contacts()
        phones = [phone_text(p) for p in dict.fromkeys(self._phones.values()) if p]
        self.notify(t("tui.detail.phone_shown", phone=", ".join(phones) or "–"))

    # Notes and referral moves ----------------------------------------------------------
    def action_add_note(self) -> None:
        self.app.push_screen(NoteDialog(), callback=self._note_typed)

    def _note_typed(self, text: str | None) -> None:
        if text:
            add_note = self._services.cases.add_note
            self._save(
                lambda: add_note(self._principal, self._case_id, text), t("tui.detail.noted")
            )

    def action_referral_status(self) -> None:
        """Record what the body reported: the next step, how and whom, and what it said."""
        table = self.query_one("#referrals", DataTable)
        if not self._referrals or table.cursor_row < 0:
            self.notify(t("tui.detail.no_referral"), severity="warning")
            return
        row_key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
        referral = self._referrals[str(row_key.value)]
        if not states.allowed_targets("referral", referral.status, self._principal.role):
            self.notify(t("tui.detail.no_move"), severity="warning")
            return
        role = self._principal.role
        dialog = FollowUpDialog(label("body", referral.body), referral.status, role)
        self.app.push_screen(dialog, callback=lambda step: self._record(referral, step))

    def _record(self, referral: ReferralView, step: FollowUp | None) -> None:
        if step is None:
            return
        done = t("tui.detail.moved", state=states.state_label("referral", step.status))
        record = self._services.referrals.record
        self._save(lambda: record(self._principal, referral.id, step), done)

    @work(thread=True, group="case-save", exit_on_error=False)
    def _save(self, change: Callable[[], None], done: str) -> None:
        try:
            change()
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Done(done))


def tamper_warning(tampered: Any) -> str:
    """Issue 20 item 2: the case's rows do not match the events that wrote them."""
    if tampered is None:
        return ""
    what = ", ".join(tampered.tables)
    if tampered.seq is None:
        return t("records.tampered_none", what=what)
    return t("records.tampered", seq=tampered.seq, what=what)
