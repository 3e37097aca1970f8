"""One contact, whatever its type: a counselling call's words, a silent call's time, a report's
first account. Opened from the shift home or from search; the view is audited by the service,
and the caller's phone is shown only when asked for (one key, audited too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.texts import describe
from caseintake.tui.widgets.case_text import contact_body, contact_heading

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import ContactView, Principal


class ContactDetailScreen(Screen[None]):
    CSS_PATH = "contact_detail_screen.tcss"
    AUTO_FOCUS = "#contact-body"
    BINDINGS = [
        Binding("o", "open_case", "Case", id="contact.open_case"),
        Binding("p", "phone", "Phone", id="contact.phone"),
        Binding("escape", "app.pop_screen", "Back", id="contact.back"),
    ]

    @dataclass
    class Loaded(Message):
        contact: ContactView

    @dataclass
    class PhoneShown(Message):
        phone: str | None

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal, contact_id: str) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._contact_id = contact_id
        self._contact: ContactView | None = None
        self._phone: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(t("tui.contact.loading"), id="contact-header")
        with VerticalScroll(id="contact-body"):
            yield Static(id="contact-text")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self._load()

    @work(thread=True, group="contact-detail", exit_on_error=False)
    def _load(self) -> None:
        try:
            contact = self._services.contacts.detail(self._principal, self._contact_id)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Loaded(contact))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self._contact = message.contact
        self._draw()

    def _draw(self) -> None:
        contact = self._contact
        if contact is None:
            return
        header = f"{t('tui.contact.title')} · {contact_heading(contact)}"
        self.query_one("#contact-header", Static).update(Text(header))
        body = contact_body(contact, self._phone)
        case = contact.case_number or t("tui.contact.no_case")
        body.append(f"{t('tui.contact.case')}: ", style="bold").append(case)
        self.query_one("#contact-text", Static).update(body)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)

    def action_open_case(self) -> None:
        if self._contact is None:
            return
        if self._contact.case_id is None:
            self.notify(t("tui.contact.no_case"), severity="warning")
            return
        from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen

        screen = CaseDetailScreen(self._services, self._principal, self._contact.case_id)
        self.app.push_screen(screen)

    def action_phone(self) -> None:
        if self._contact is None:
            return
        if not self._contact.has_phone:
            self.notify(t("tui.detail.no_phone"), severity="warning")
            return
        self._reveal()

    @work(thread=True, group="contact-phone", exit_on_error=False)
    def _reveal(self) -> None:
        try:
            phone = self._services.contacts.reveal_phone(self._principal, self._contact_id)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.PhoneShown(phone))

    @on(PhoneShown)
    def _phone_shown(self, message: PhoneShown) -> None:
        self._phone = message.phone
        self._draw()
