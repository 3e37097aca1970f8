"""Find cases by number, phone, commune, dates, concern and status; pages come from SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from caseintake.domain.intake.phones import normalise_phone
from caseintake.domain.intake.taxonomy import label, top_concerns
from caseintake.domain.referrals.states import CASE_STATES, state_label
from caseintake.i18n import t
from caseintake.services.cases import CaseQuery
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from caseintake.tui.screens.cases.contact_detail_screen import ContactDetailScreen
from caseintake.tui.texts import describe
from caseintake.tui.widgets.case_table import CaseTable, ContactTable, tampered_line
from caseintake.tui.widgets.intake.commune_filter import CommuneFilter

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import CasePage, ContactSummary, Principal

PAGE_SIZE = 15
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


class BadDate(ValueError):
    pass


def parse_day(text: str) -> date | None:
    """``dd/mm/yyyy`` the way operators write dates (ISO accepted too); empty means no bound."""
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BadDate(text)


class CaseListScreen(Screen[None]):
    CSS_PATH = "case_list_screen.tcss"
    AUTO_FOCUS = "#text"
    BINDINGS = [
        Binding("f5", "search", "Search", id="cases.search"),
        Binding("pageup", "page(-1)", "Prev page", id="cases.prev_page", priority=True),
        Binding("pagedown", "page(1)", "Next page", id="cases.next_page", priority=True),
        Binding("ctrl+r", "clear", "Clear", id="cases.clear"),
        Binding("escape", "app.pop_screen", "Home", id="cases.back"),
    ]

    @dataclass
    class Found(Message):
        page: CasePage
        seq: int
        contacts: list[ContactSummary] = field(default_factory=list)  # from a phone number

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._query: CaseQuery | None = None
        self._page = 0
        self._has_more = False
        # Each page's keyset (the ``after`` it starts from), the first's None: PageUp goes
        # back through them and PageDown forward, never by offset (issue 23).
        self._cursors: list[tuple[datetime, str] | None] = [None]
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Static(t("tui.cases.title"), id="cases-title")
        with Horizontal(classes="filters"):
            yield Input(placeholder=t("tui.cases.text"), compact=True, id="text", max_length=40)
            yield CommuneFilter(t("tui.cases.commune"), id="commune")
        with Horizontal(classes="filters"):
            yield Input(placeholder=t("tui.cases.date_from"), compact=True, id="from")
            yield Input(placeholder=t("tui.cases.date_to"), compact=True, id="to")
            concerns = [(label("concern", c), c) for c in top_concerns()]
            yield Select(concerns, prompt=t("tui.cases.concern"), compact=True, id="concern")
            states = [(state_label("case", s), s) for s in CASE_STATES]
            yield Select(states, prompt=t("tui.cases.status"), compact=True, id="status")
        yield Static(id="cases-error")
        yield CaseTable(id="results")
        yield Static(t("tui.cases.contacts"), id="contacts-title", classes="-hidden")
        yield ContactTable(id="contacts-found", classes="-hidden")
        yield Static(id="cases-status")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self.action_search()

    @on(Input.Submitted)
    @on(Select.Changed)
    def action_search(self) -> None:
        try:
            opened_from = parse_day(self.query_one("#from", Input).value)
            opened_to = parse_day(self.query_one("#to", Input).value)
        except BadDate as bad:
            self._status(t("tui.cases.bad_date", value=str(bad)), error=True)
            return
        concern = self.query_one("#concern", Select).value
        status = self.query_one("#status", Select).value
        self._query = CaseQuery(
            text=self.query_one("#text", Input).value.strip(),
            ward_code=self.query_one(CommuneFilter).ward_code,
            concern=concern if isinstance(concern, str) else None,
            status=status if isinstance(status, str) else None,
            opened_from=opened_from,
            opened_to=opened_to,
        )
        self._cursors = [None]
        self._run(self._query, 0)

    def action_page(self, step: int) -> None:
        target = self._page + step
        if self._query is None or target < 0 or (step > 0 and not self._has_more):
            return
        if target >= len(self._cursors):  # the page before it has not come back yet
            return
        self._run(self._query, target)

    def action_clear(self) -> None:
        for selector in ("#text", "#from", "#to"):
            self.query_one(selector, Input).value = ""
        self.query_one(CommuneFilter).clear()
        for selector in ("#concern", "#status"):
            self.query_one(selector, Select).clear()
        self.action_search()

    def _run(self, query: CaseQuery, page: int) -> None:
        self._status(t("tui.cases.busy"))
        self._seq += 1
        self._search(query, page, self._cursors[page], self._seq)

    @work(thread=True, group="case-search", exit_on_error=False)
    def _search(
        self, query: CaseQuery, page: int, after: tuple[datetime, str] | None, seq: int
    ) -> None:
        try:
            found = self._services.cases.search(self._principal, query, page, PAGE_SIZE, after)
            contacts = []
            if page == 0 and normalise_phone(query.text):
                # Every contact from that number, silent calls and counselling included.
                contacts = self._services.callers.history(self._principal, query.text).contacts
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Found(found, seq, contacts))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.seq != self._seq:  # the operator changed the filters since: drop it
            return
        found = message.page
        self._page, self._has_more = found.page, found.has_more
        del self._cursors[found.page + 1 :]
        if found.after is not None:
            self._cursors.append(found.after)
        self.query_one(CaseTable).show(found.items)
        if found.page == 0:
            self.query_one(ContactTable).show(message.contacts)
            for selector in ("#contacts-title", "#contacts-found"):
                self.query_one(selector).set_class(not message.contacts, "-hidden")
        if not found.items and not message.contacts and found.page == 0:
            self._status(t("tui.cases.none"))
            return
        text = t("tui.cases.page", page=found.page + 1)
        text = f"{text} · {t('tui.cases.more')}" if found.has_more else text
        untrue = sum(1 for c in found.items if c.tampered)
        self._status(f"{text} · {tampered_line(untrue)}" if untrue else text)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._status(message.text, error=True)

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#cases-status", Static).update("" if error else text)
        shown = self.query_one("#cases-error", Static)
        shown.update(text if error else "")
        shown.set_class(error, "-shown")

    @on(DataTable.RowSelected, "#results")
    def _open(self, event: DataTable.RowSelected) -> None:
        case_id = str(event.row_key.value)
        self.app.push_screen(CaseDetailScreen(self._services, self._principal, case_id))

    @on(DataTable.RowSelected, "#contacts-found")
    def _open_contact(self, event: DataTable.RowSelected) -> None:
        contact_id = str(event.row_key.value)
        self.app.push_screen(ContactDetailScreen(self._services, self._principal, contact_id))
