"""The supervisor's list of cases ready to close: open, with every referral settled (issue
19 item 6). Enter opens the case, where ``v`` reviews and closes it; the list reloads on
return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from caseintake.domain.referrals.deadlines import format_local
from caseintake.domain.referrals.states import state_label
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

_COLUMNS = ("number", "status", "referrals", "settled")


class ReadyToCloseScreen(Screen[None]):
    DEFAULT_CSS = """
    ReadyToCloseScreen #ready-title { text-style: bold; color: $accent; padding: 0 1; }
    ReadyToCloseScreen #ready-table { height: 1fr; }
    """
    AUTO_FOCUS = "#ready-table"
    BINDINGS = [
        Binding("enter", "open", "Open case", id="ready.open"),
        Binding("r", "reload", "Reload", id="ready.reload", show=False),
        Binding("escape", "app.pop_screen", "Back", id="ready.back"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[object]

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal

    def compose(self) -> ComposeResult:
        yield Static(t("seams.ready.title", count="…"), id="ready-title")
        yield DataTable(id="ready-table", cursor_type="row")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        table = self.query_one(DataTable)
        for key in _COLUMNS:
            table.add_column(t(f"seams.ready.col_{key}"), key=key)
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="ready", exit_on_error=False)
    def _load(self) -> None:
        from caseintake.services.supervisor_desk import SupervisorDesk

        try:
            rows = SupervisorDesk(self._services).review.ready_to_close(self._principal)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Loaded(list(rows)))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in message.rows:
            settled = format_local(row.last_settled_at) if row.last_settled_at else "–"  # type: ignore[attr-defined]
            table.add_row(
                row.number,  # type: ignore[attr-defined]
                state_label("case", row.status),  # type: ignore[attr-defined]
                str(row.referrals),  # type: ignore[attr-defined]
                settled,
                key=row.case_id,  # type: ignore[attr-defined]
            )
        title = t("seams.ready.title", count=len(message.rows))
        self.query_one("#ready-title", Static).update(title)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen

        self.app.push_screen(CaseDetailScreen(self._services, self._principal, str(key)))
