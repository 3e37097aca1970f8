"""The supervisor's dashboard, one key from the queue (issue 8, item 5): today's and this
month's contacts by type, open cases by priority, referrals overdue / due today / escalations
waiting, and the share of first steps on time this month. Read in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from caseintake.domain.intake.taxonomy import label, ordered_codes
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.supervisor.partner_panel import partner_table
from caseintake.tui.texts import describe
from caseintake.tui.widgets.bar_chart import BarChart
from caseintake.tui.widgets.live_clock import LiveClock

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal
    from caseintake.services.referrals import Dashboard

_PANELS = ("today", "month", "priority", "referrals")


class DashboardScreen(Screen[None]):
    CSS_PATH = "dashboard_screen.tcss"
    BINDINGS = [
        Binding("r", "reload", "Refresh", id="dashboard.reload"),
        Binding("escape", "app.pop_screen", "Queue", id="dashboard.back"),
    ]

    @dataclass
    class Loaded(Message):
        board: Dashboard

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        from caseintake.services.supervisor_desk import SupervisorDesk

        self._services = services
        self._principal = principal
        self._desk = SupervisorDesk(services)

    def compose(self) -> ComposeResult:
        with Vertical(id="dash-bar"):
            yield Static(t("supervisor.dash.title"), id="dash-title")
            yield LiveClock(self._services.settings.clock, id="dash-clock")
        with Grid(id="dash-grid"):
            for panel in _PANELS:
                with Vertical(classes="dash-panel", id=f"panel-{panel}") as box:
                    box.border_title = t(f"supervisor.dash.{panel}")
                    if panel == "referrals":
                        yield Static(id="dash-referrals")
                    else:
                        yield BarChart(id=f"chart-{panel}")
            with Vertical(classes="dash-panel", id="panel-partners") as box:  # issue 24
                box.border_title = t("handoff_deadlines.dash.title")
                yield Static(id="dash-partners")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _load(self) -> None:
        try:
            board = self._desk.dashboard.read(self._principal)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Loaded(board))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        board, none = message.board, t("supervisor.dash.none")
        for panel, counts in (("today", board.contacts_today), ("month", board.contacts_month)):
            items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            rows = [(label("contact_type", k), n) for k, n in items]
            self.query_one(f"#chart-{panel}", BarChart).show(rows, none)
        priorities = [
            (label("priority", p), board.open_cases_by_priority[p])
            for p in ordered_codes("priority")
            if board.open_cases_by_priority.get(p)
        ]
        self.query_one("#chart-priority", BarChart).show(priorities, none)
        self.query_one("#dash-referrals", Static).update(_referral_text(board))
        self.query_one("#dash-partners", Static).update(partner_table(board.partners))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)


def _referral_text(board: Dashboard) -> Text:
    out = Text(t("supervisor.dash.referrals_open", n=board.referrals_open) + "\n")
    out.append(t("supervisor.dash.overdue", n=board.referrals_overdue) + "\n",
               style="bold red" if board.referrals_overdue else "")  # fmt: skip
    out.append(t("supervisor.dash.due_today", n=board.referrals_due_today) + "\n")
    out.append(t("supervisor.dash.escalations", n=board.escalations_waiting) + "\n",
               style="bold magenta" if board.escalations_waiting else "")  # fmt: skip
    share = board.on_time_share
    if share is None:
        out.append(t("supervisor.dash.on_time_none"))
    else:
        out.append(
            t(
                "supervisor.dash.on_time",
                pct=round(share * 100),
                met=board.first_step_met,
                due=board.first_step_due,
            )
        )
    return out
