"""The supervisor's home: every open referral of every operator, overdue first, then due within
the hour, then the rest (issue 8, item 1). Refreshed on a short timer in a worker; a refresh
keeps the cursor on its referral and never moves the focus."""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from caseintake.domain.intake import taxonomy
from caseintake.domain.intake.geography import provinces
from caseintake.domain.referrals.states import REFERRAL_STATES, is_final, state_label
from caseintake.i18n import t
from caseintake.services.referrals import QueueCounts, QueueFilter, QueuePage, QueueRow
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.handoff.folder_watch import FolderWatch
from caseintake.tui.screens.supervisor.queue_actions import QueueActions
from caseintake.tui.texts import describe
from caseintake.tui.widgets.case_table import tampered_line
from caseintake.tui.widgets.live_clock import LiveClock
from caseintake.tui.widgets.queue_table import QueueTable

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

REFRESH_SECONDS = 5.0  # operators save all the time: the queue follows within seconds
PAGE_SIZE = 50


class ReferralQueueScreen(QueueActions, Screen[None]):
    CSS_PATH = "referral_queue_screen.tcss"
    AUTO_FOCUS = "#queue"
    BINDINGS = [
        Binding("u", "follow_up", "Follow up", id="queue.follow_up"),
        Binding("e", "escalation", "Escalation", id="queue.escalation"),
        Binding("v", "review", "Review case", id="queue.review"),
        Binding("z", "ready_to_close", "Ready to close", id="queue.ready_to_close"),
        Binding("g", "rerefer", "Re-refer", id="queue.rerefer"),
        Binding("p", "slip", "Slip", id="queue.slip"),
        Binding("o", "toggle('overdue_only')", "Overdue", id="queue.overdue"),
        Binding("x", "toggle('escalations_only')", "Escalations", id="queue.escalations"),
        Binding("d", "dashboard", "Dashboard", id="queue.dashboard"),
        Binding("h", "handoffs", "Hand-offs", id="queue.handoffs"),
        Binding("a", "audit", "Audit", id="queue.audit"),
        Binding("s", "statistics", "Statistics", id="queue.statistics"),
        Binding("f,slash", "cases", "Find cases", id="queue.cases"),
        Binding("c", "new_contact", "New contact", id="queue.new_contact", show=False),
        Binding("pageup", "page(-1)", "Prev page", id="queue.prev_page", show=False),
        Binding("pagedown", "page(1)", "Next page", id="queue.next_page", show=False),
        Binding("r", "refresh", "Refresh", id="queue.refresh", show=False),
        Binding("ctrl+o", "app.logout", "Log out", id="queue.logout"),
    ]

    @dataclass
    class Loaded(Message):
        page: QueuePage
        seq: int

    @dataclass
    class Counted(Message):
        counts: QueueCounts
        seq: int

    @dataclass
    class Failed(Message):
        text: str

    def __init__(
        self, services: Services, principal: Principal, refresh_seconds: float | None = None
    ) -> None:
        super().__init__()
        from caseintake.services.supervisor_desk import SupervisorDesk

        self._services = services
        self._principal = principal
        self._desk = SupervisorDesk(services)
        self._refresh_seconds = refresh_seconds or REFRESH_SECONDS
        self._filter = QueueFilter()
        self._page = 0
        self._has_more = False
        self._seq = 0
        self._loading = False
        self._loaded_at = 0.0
        self._load_seconds = 0.0
        self._rows: dict[str, QueueRow] = {}
        self._drop_watch = FolderWatch(self, services, principal, changed=self._status_line)

    def compose(self) -> ComposeResult:
        role = t(f"tui.role.{self._principal.role}")
        with Horizontal(id="queue-bar"):
            yield Static(t("tui.home.who", name=self._principal.name, role=role), id="queue-who")
            yield LiveClock(self._services.settings.clock, id="queue-clock")
        yield Static(t("supervisor.tui.queue_title"), id="queue-counts")
        with Horizontal(classes="queue-filters"):
            bodies = [(taxonomy.label("body", b), b) for b in _bodies()]
            yield Select(bodies, prompt=t("supervisor.tui.f_body"), compact=True, id="f-body")
            # Settled states too: a case whose referrals are all settled is closed from here.
            every = [(state_label("referral", s), s) for s in REFERRAL_STATES]
            yield Select(every, prompt=t("supervisor.tui.f_status"), compact=True, id="f-status")
            levels = [
                (taxonomy.label("priority", p), p) for p in taxonomy.ordered_codes("priority")
            ]
            yield Select(
                levels, prompt=t("supervisor.tui.f_priority"), compact=True, id="f-priority"
            )
            places = [(p.name, p.code) for p in provinces()]
            yield Select(
                places, prompt=t("supervisor.tui.f_province"), compact=True, id="f-province"
            )
            yield Input(placeholder=t("supervisor.tui.f_operator"), compact=True, id="f-operator")
        yield QueueTable(id="queue")
        yield Static(id="queue-status")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        self.action_refresh()
        self.set_interval(self._refresh_seconds, self._tick)
        self._find_draft()
        self._drop_watch.start()  # issue 24: the partners' drop folders, read by themselves

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def _tick(self) -> None:
        # A slow database must not pile up refreshes: wait at least three loads' time between.
        rest = max(self._refresh_seconds, 3 * self._load_seconds)
        if not self._loading and monotonic() - self._loaded_at >= rest:
            self._load(self._filter, self._page, self._seq)

    def action_refresh(self) -> None:
        self._seq += 1
        self._load(self._filter, self._page, self._seq)

    @work(thread=True, group="queue-load", exit_on_error=False)
    def _load(self, where: QueueFilter, page: int, seq: int) -> None:
        self._loading = True
        started = monotonic()
        try:
            # The page first (a walk of an index: milliseconds at 5 M contacts), then the
            # header's totals, which count every open referral: the table never waits on them.
            self.post_message(
                self.Loaded(self._desk.queue.page(self._principal, where, page, PAGE_SIZE), seq)
            )
            self.post_message(self.Counted(self._desk.queue.counts(self._principal, where), seq))
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        finally:
            self._loaded_at = monotonic()
            self._load_seconds = self._loaded_at - started
            self._loading = False

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.seq != self._seq:  # the filters changed since: a newer load is coming
            return
        found = message.page
        self._page, self._has_more = found.page, found.has_more
        self._rows = {r.id: r for r in found.rows}
        self.query_one(QueueTable).show(found.rows)
        self._status_line()
        self.refresh_bindings()  # what the highlighted referral allows may have changed

    @on(Counted)
    def _show_counts(self, message: Counted) -> None:
        if message.seq != self._seq:
            return
        c = message.counts
        counts = t(
            "supervisor.tui.counts",
            open=c.open,
            cases=c.cases,
            overdue=c.overdue,
            soon=c.due_soon,
            escalations=c.escalations,
        )
        self.query_one("#queue-counts", Static).update(counts)

    def _status_line(self) -> None:
        parts = [t("supervisor.tui.page", page=self._page + 1)]
        if self._has_more:
            parts.append(t("supervisor.tui.more"))
        if self._filter.overdue_only:
            parts.append(t("supervisor.tui.only_overdue"))
        if self._filter.escalations_only:
            parts.append(t("supervisor.tui.only_escalations"))
        if not self._rows:
            parts.append(t("supervisor.tui.empty"))
        if at_partner := sum(1 for r in self._rows.values() if r.at_partner):  # issue 24
            parts.append(t("handoff_deadlines.queue_status", n=at_partner))
        untrue = len({r.case_id for r in self._rows.values() if r.tampered})
        if untrue:  # issue 20 item 2: never a tampered state shown silently
            parts.append(tampered_line(untrue))
        if self._drop_watch.problem:  # a drop folder gone or unreadable, in one sentence
            parts.append(self._drop_watch.problem)
        self.query_one("#queue-status", Static).update(" · ".join(parts))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)

    @on(Select.Changed)
    @on(Input.Submitted, "#f-operator")
    def _filters_changed(self) -> None:
        def chosen(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else None

        province = self.query_one("#f-province", Select).value
        operator = self.query_one("#f-operator", Input).value.strip() or None
        self._filter = QueueFilter(
            body=chosen("#f-body"),
            province_code=province if isinstance(province, int) else None,
            priority=chosen("#f-priority"),
            operator=operator,
            status=chosen("#f-status"),
            overdue_only=self._filter.overdue_only,
            escalations_only=self._filter.escalations_only,
        )
        self._page = 0
        self.action_refresh()

    def action_toggle(self, name: str) -> None:
        current = getattr(self._filter, name)
        self._filter = QueueFilter(**{**self._filter.__dict__, name: not current})
        self._page = 0
        self.action_refresh()

    def action_page(self, step: int) -> None:
        target = self._page + step
        if target < 0 or (step > 0 and not self._has_more):
            return
        self._page = target
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that would only be refused on the highlighted referral are not offered: no
        re-referral or follow-up once it is settled, no escalation decision without one."""
        if action not in ("rerefer", "follow_up", "escalation"):
            return True
        found = self.query_one(QueueTable).current_id()
        row = self._rows.get(found) if found else None
        if row is None:
            return True  # nothing highlighted yet: the key says so when pressed
        if action == "escalation":
            return row.escalation is not None
        return not is_final("referral", row.status)

    @on(DataTable.RowHighlighted, "#queue")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def selected(self) -> QueueRow | None:
        found = self.query_one(QueueTable).current_id()
        row = self._rows.get(found) if found else None
        if row is None:
            self.notify(t("supervisor.tui.no_row"), severity="warning")
        return row

    @on(DataTable.RowSelected, "#queue")
    def _open_case(self, event: DataTable.RowSelected) -> None:
        from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen

        row = self._rows.get(str(event.row_key.value))
        if row is not None:
            self.app.push_screen(CaseDetailScreen(self._services, self._principal, row.case_id))


def _bodies() -> list[str]:
    """Bodies a referral can go to (emergency numbers are actions during the call)."""
    return [b for b in taxonomy.ordered_codes("body") if not b.startswith("emergency_")]
