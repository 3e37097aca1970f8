"""Repeat callers: the earlier contacts and cases of this phone number, found by blind index.

Looked up in a worker a moment after the number in the form becomes valid; silent calls from
the number are counted too. Enter on a case links this contact to it (the intake's
``case_id``) and the form starts from the case; Enter again unlinks; a linked contact adds to
that case instead of opening a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from caseintake.domain.intake import geography
from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import to_local
from caseintake.i18n import t
from caseintake.services.core import CallerHistory, CaseSummary
from caseintake.tui.texts import describe
from caseintake.tui.widgets.time_text import clock_time, duration_text

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

MAX_CONTACTS_SHOWN = 5


def case_line(case: CaseSummary, linked: bool) -> str:
    ward = geography.ward(case.ward_code)
    place = ward.short_name if ward else ""
    concerns = ", ".join(label("concern", c) for c in case.concerns[:2])
    mark = "✓ " if linked else ""
    status = t(f"state.case.{case.status}") if case.status else ""
    return f"{mark}{case.number} · {status} · {concerns} {place}".strip()


class CaseOptions(OptionList):
    """The caller's cases; Enter links (or unlinks) the highlighted one, shown in the footer."""

    BINDINGS = [Binding("enter", "select", "Link case", id="intake.link_case")]


class CallerHistoryPanel(Vertical):
    DEFAULT_CSS = """
    CallerHistoryPanel { height: auto; max-height: 12; display: none; padding: 0 1; }
    CallerHistoryPanel.-shown { display: block; }
    CallerHistoryPanel #history-title { text-style: bold; color: $warning; }
    CallerHistoryPanel #history-cases { height: auto; max-height: 5; }
    CallerHistoryPanel #history-contacts { color: $text-muted; }
    """

    LOOKUP_DELAY = 0.3  # seconds after the number becomes valid, so typing on is not a lookup

    @dataclass
    class Found(Message):
        history: CallerHistory

    @dataclass
    class Failed(Message):
        text: str

    @dataclass
    class Linked(Message):
        """Link this contact to the case (or unlink, with None)."""

        case_id: str | None
        number: str | None

    def __init__(self, services: Services, principal: Principal, id: str | None = None) -> None:
        super().__init__(id=id)
        self._services, self._principal = services, principal
        self.history: CallerHistory | None = None
        self.linked: str | None = None
        self._phone: str | None = None
        self._timer: Timer | None = None

    def look_up(self, phone: str | None) -> None:
        """The number in the form changed: look it up once the operator pauses."""
        if phone == self._phone:
            return
        self._phone = phone
        if self._timer is not None:
            self._timer.stop()
        if phone is None:
            self.show(None)
        else:
            self._timer = self.set_timer(self.LOOKUP_DELAY, lambda: self._lookup(phone))

    @work(thread=True, group="lookup", exit_on_error=False)
    def _lookup(self, phone: str) -> None:
        try:
            history = self._services.callers.history(self._principal, phone)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
        else:
            self.post_message(self.Found(history))

    @on(Found)
    def _found(self, event: Found) -> None:
        if event.history.phone_e164 == self._phone:  # not a number typed over since
            self.show(event.history)
        else:
            event.stop()

    def compose(self) -> ComposeResult:
        yield Static("", id="history-title")
        yield CaseOptions(id="history-cases")
        yield Static("", id="history-contacts")

    def show(self, history: CallerHistory | None) -> None:
        self.history = history
        shown = history is not None and bool(history.contacts or history.cases)
        self.set_class(shown, "-shown")
        if history is None or not shown:
            return
        title = t("intake.history.title", contacts=len(history.contacts), cases=len(history.cases))
        if history.silent_count:  # repeated silent calls from one number are a sign of their own
            title += " · " + t("intake.history.silent", count=history.silent_count)
        self.query_one("#history-title", Static).update(title)
        self._draw_cases()
        lines = [
            f"{to_local(c.received_at).strftime('%d/%m')} {clock_time(c.received_at)} "
            f"{label('contact_type', c.contact_type)} {duration_text(c.duration_seconds)}"
            f"{' · ' + c.case_number if c.case_number else ''}"
            for c in history.contacts[:MAX_CONTACTS_SHOWN]
        ]
        self.query_one("#history-contacts", Static).update("\n".join(lines))

    def _draw_cases(self) -> None:
        cases = self.query_one("#history-cases", OptionList)
        highlighted = cases.highlighted
        cases.clear_options()
        for case in self.history.cases if self.history else []:
            cases.add_option(Option(case_line(case, case.id == self.linked), id=case.id))
        if cases.option_count:
            cases.highlighted = min(highlighted or 0, cases.option_count - 1)

    @on(OptionList.OptionSelected, "#history-cases")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._toggle(event.option.id)

    def _toggle(self, case_id: str | None) -> None:
        if self.history is None or case_id is None:
            return
        self.linked = None if self.linked == case_id else case_id
        number = next((c.number for c in self.history.cases if c.id == self.linked), None)
        self._draw_cases()
        self.post_message(self.Linked(self.linked, number))
