"""The shift home: one key opens a contact, two keys log a non-data call; today's contacts,
my open cases with their next deadline, and the time in Viet Nam."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from caseintake.domain.intake.taxonomy import label
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.cases.case_list_screen import CaseListScreen
from caseintake.tui.screens.cases.contact_detail_screen import ContactDetailScreen
from caseintake.tui.screens.operator.non_data_dialog import NonDataCall, NonDataDialog
from caseintake.tui.texts import describe
from caseintake.tui.widgets.case_table import HOME_COLUMNS, CaseTable, ContactTable
from caseintake.tui.widgets.live_clock import LiveClock
from caseintake.tui.widgets.time_text import duration_text

if TYPE_CHECKING:
    from caseintake.services.cases import CaseSummary, ContactSummary
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

Draft = tuple[str, dict[str, Any]]  # (draft id, the form's values) from services.drafts


class HomeScreen(Screen[None]):
    CSS_PATH = "home_screen.tcss"
    AUTO_FOCUS = "#cases"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("c", "new_contact", "New contact", id="home.new_contact"),
        Binding("t", "new_contact('report')", "Report", id="home.new_report"),
        Binding("n", "non_data", "Quick log", id="home.non_data"),
        Binding("f,slash", "cases", "Find cases", id="home.cases"),
        Binding("r", "refresh", "Refresh", id="home.refresh", show=False),
        Binding("ctrl+o", "app.logout", "Log out", id="home.logout"),
    ]

    @dataclass
    class Loaded(Message):
        contacts: list[ContactSummary]
        cases: list[CaseSummary]
        seq: int

    @dataclass
    class Logged(Message):
        call: NonDataCall

    @dataclass
    class Failed(Message):
        text: str

    @dataclass
    class DraftFound(Message):
        draft: Draft

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._load_seq = 0

    def compose(self) -> ComposeResult:
        role = t(f"tui.role.{self._principal.role}")
        with Horizontal(id="home-bar"):
            yield Static(t("tui.home.who", name=self._principal.name, role=role), id="who")
            yield LiveClock(self._services.settings.clock, id="clock")
        with Container(id="panels"):
            with Vertical(id="contacts-panel", classes="panel"):
                yield Static(t("tui.home.contacts", count=0), id="contacts-title")
                yield ContactTable(id="contacts")
            with Vertical(id="cases-panel", classes="panel"):
                yield Static(t("tui.home.cases", count=0), id="cases-title")
                yield CaseTable(id="cases", columns=HOME_COLUMNS)
        yield LocalFooter(compact=True)

    def on_mount(self) -> None:
        localize_bindings(self)
        self._find_draft()

    @work(thread=True, group="home-draft", exit_on_error=False)
    def _find_draft(self) -> None:
        """A form left unsaved (crash, closed terminal, lost SSH) comes back at the next login."""
        try:
            draft = self._services.drafts.latest(self._principal)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        if draft is not None:
            self.post_message(self.DraftFound(draft))

    @on(DraftFound)
    def _draft_found(self, message: DraftFound) -> None:
        self.notify(t("tui.home.draft_restored"))
        self._open_intake(None, message.draft)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load_seq += 1
        self._load(self._load_seq)

    @work(thread=True, group="home-load", exit_on_error=False)
    def _load(self, seq: int) -> None:
        try:
            contacts = self._services.contacts.today(self._principal)
            cases = self._services.cases.my_open(self._principal)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Loaded(contacts, cases, seq))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.seq != self._load_seq:  # an older load finishing late must not win
            return
        self.query_one("#contacts", ContactTable).show(message.contacts)
        self.query_one("#cases", CaseTable).show(message.cases)
        contacts_title = t("tui.home.contacts", count=len(message.contacts))
        self.query_one("#contacts-title", Static).update(contacts_title)
        cases_title = t("tui.home.cases", count=len(message.cases))
        self.query_one("#cases-title", Static).update(cases_title)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)

    def action_new_contact(self, contact_type: str | None = None) -> None:
        self._open_intake(contact_type)

    def _open_intake(self, contact_type: str | None, draft: Draft | None = None) -> None:
        # The intake form (routing engine, directory) loads when first opened.
        from caseintake.tui.screens.operator.intake_screen import IntakeScreen

        screen = IntakeScreen(self._services, self._principal, contact_type, draft=draft)
        self.app.push_screen(screen)

    def action_non_data(self) -> None:
        dialog = NonDataDialog(self._services.settings.clock)
        self.app.push_screen(dialog, callback=self._non_data_chosen)

    def _non_data_chosen(self, call: NonDataCall | None) -> None:
        if call is not None:
            self._save_non_data(call)

    @work(thread=True, group="home-save", exit_on_error=False)
    def _save_non_data(self, call: NonDataCall) -> None:
        try:
            self._services.intake.log_non_data(
                self._principal,
                call.contact_type,
                call.received_at,
                call.duration_seconds,
                phone=call.phone,
            )
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Logged(call))

    @on(Logged)
    def _logged(self, message: Logged) -> None:
        kind = label("contact_type", message.call.contact_type)
        duration = duration_text(message.call.duration_seconds)
        self.notify(t("tui.home.logged", type=kind, duration=duration))
        self.action_refresh()

    def action_cases(self) -> None:
        self.app.push_screen(CaseListScreen(self._services, self._principal))

    @on(DataTable.RowSelected, "#cases")
    def _open_case(self, event: DataTable.RowSelected) -> None:
        case_id = str(event.row_key.value)
        self.app.push_screen(CaseDetailScreen(self._services, self._principal, case_id))

    @on(DataTable.RowSelected, "#contacts")
    def _open_contact(self, event: DataTable.RowSelected) -> None:
        """Any contact opens, a silent call or a counselling session as much as a report."""
        contact_id = str(event.row_key.value)
        self.app.push_screen(ContactDetailScreen(self._services, self._principal, contact_id))
