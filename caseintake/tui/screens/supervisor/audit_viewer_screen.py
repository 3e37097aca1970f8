"""The audit trail for a supervisor (issue 8, item 6): the chain's status at the top, verified
in a worker when the screen opens and again on ``v``; a checkpoint on ``k``; events paged and
filtered by actor, action, case and days; an event's details decrypted only on Enter, which is
itself audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, Static

from caseintake.domain.referrals.deadlines import VN_TZ, format_local
from caseintake.i18n import t
from caseintake.services.audit import AuditFilter, AuditPage
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.supervisor.event_details_dialog import EventDetailsDialog
from caseintake.tui.texts import describe
from caseintake.tui.widgets.case_text import action_code, action_label, entity_label

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

PAGE_SIZE = 50
_COLUMNS = ("seq", "at", "actor", "signer", "action", "entity", "entity_id")


class AuditViewerScreen(Screen[None]):
    CSS_PATH = "audit_viewer_screen.tcss"
    AUTO_FOCUS = "#events"
    BINDINGS = [
        Binding("v", "verify", "Verify now", id="audit_view.verify"),
        Binding("k", "checkpoint", "Checkpoint", id="audit_view.checkpoint"),
        Binding("pageup", "page(-1)", "Prev page", id="audit_view.prev_page", show=False),
        Binding("pagedown", "page(1)", "Next page", id="audit_view.next_page", show=False),
        Binding("escape", "app.pop_screen", "Back", id="audit_view.back"),
    ]

    @dataclass
    class Listed(Message):
        page: AuditPage
        seq: int

    @dataclass
    class Status(Message):
        text: Text
        busy: bool = False

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        from caseintake.services.supervisor_desk import SupervisorDesk

        self._services = services
        self._principal = principal
        self._trail = SupervisorDesk(services).audit_trail
        self._filter = AuditFilter()
        self._page = 0
        self._has_more = False
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Static(t("supervisor.audit_view.title"), id="audit-title")
        yield Static(t("supervisor.audit_view.not_verified"), id="chain-status")
        yield ProgressBar(total=None, show_eta=False, id="verify-progress")
        with Horizontal(classes="audit-filters"):
            for name in ("actor", "action", "case", "since", "until"):
                placeholder = t(f"supervisor.audit_view.f_{name}")
                field = Input(placeholder=placeholder, compact=True, id=f"a-{name}")
                field.styles.min_width = cell_len(placeholder) + 1  # whole, even at 80 columns
                yield field
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Static(id="audit-status")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        table = self.query_one("#events", DataTable)
        for key in _COLUMNS:
            table.add_column(t(f"supervisor.audit_view.col_{key}"), key=key)
        self._list()
        self.action_verify()

    # -- the list ----------------------------------------------------------------------------
    @on(Input.Submitted)
    def _filters(self) -> None:
        def value(name: str) -> str | None:
            return self.query_one(f"#a-{name}", Input).value.strip() or None

        try:
            since, until = _day(value("since")), _day(value("until"))
        except ValueError:
            self._say(t("supervisor.audit_view.bad_day"))
            return
        self._filter = AuditFilter(
            value("actor"),
            action_code(value("action") or "") or None,
            value("case"),
            since,
            until + timedelta(days=1) if until else None,
        )
        self._page = 0
        self._list()

    def action_page(self, step: int) -> None:
        target = self._page + step
        if target < 0 or (step > 0 and not self._has_more):
            return
        self._page = target
        self._list()

    def _list(self) -> None:
        self._seq += 1
        self._load(self._filter, self._page, self._seq)

    @work(thread=True, group="audit-list", exit_on_error=False)
    def _load(self, where: AuditFilter, page: int, seq: int) -> None:
        try:
            found = self._trail.page(self._principal, where, page, PAGE_SIZE)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Listed(found, seq))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        if message.seq != self._seq:
            return
        self._page, self._has_more = message.page.page, message.page.has_more
        table = self.query_one("#events", DataTable)
        table.clear()
        for r in message.page.rows:
            table.add_row(
                str(r.seq),
                format_local(r.at),
                Text(r.actor),  # stored text: shown as text
                Text(r.signer),  # whose key signed it: verify holds the actor to it
                action_label(r.action),
                entity_label(r.entity),
                Text(r.entity_id),
                key=str(r.seq),
            )
        text = t("supervisor.tui.page", page=self._page + 1)
        self._say(f"{text} · {t('supervisor.tui.more')}" if self._has_more else text)

    def _say(self, text: str) -> None:
        self.query_one("#audit-status", Static).update(Text(text))

    # -- details -----------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#events")
    def _open(self, event: DataTable.RowSelected) -> None:
        self._details(int(str(event.row_key.value)))

    @work(thread=True, group="audit-details", exit_on_error=False)
    def _details(self, seq: int) -> None:
        try:
            details = self._trail.details(self._principal, seq)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.app.call_from_thread(self.app.push_screen, EventDetailsDialog(seq, details))

    # -- the chain ---------------------------------------------------------------------------
    def action_verify(self) -> None:
        self.post_message(self.Status(Text(t("supervisor.audit_view.verifying")), busy=True))
        self._verify()

    @work(thread=True, exclusive=True, group="audit-verify", exit_on_error=False)
    def _verify(self) -> None:
        try:
            result = self._services.audit.verify(self._principal)
            cp = self._services.audit.latest_checkpoint(self._principal, self._trail.db_id())
        except Exception as error:
            self.post_message(self.Status(Text(describe(error), style="bold red")))
            return
        self.post_message(self.Status(_chain_text(result, cp)))

    def action_checkpoint(self) -> None:
        self._checkpoint()

    @work(thread=True, exclusive=True, group="audit-verify", exit_on_error=False)
    def _checkpoint(self) -> None:
        try:
            _path, seq = self._services.audit.write_checkpoint(self._principal)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.app.call_from_thread(self.notify, t("supervisor.audit_view.checkpointed", seq=seq))
        self.app.call_from_thread(self.action_verify)

    @on(Status)
    def _status(self, message: Status) -> None:
        self.query_one("#chain-status", Static).update(message.text)
        self.query_one("#verify-progress", ProgressBar).display = message.busy
        if not message.busy:
            self._list()  # verifying and checkpoints are events too

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=10)


def _chain_text(result: Any, cp: Any) -> Text:
    if not result.ok:
        why = result.message()
        head = t("supervisor.audit_view.broken", seq=result.first_bad_seq)
        return Text(f"{head} {why}", style="bold white on red")
    text = t("supervisor.audit_view.intact", last=result.last_seq)
    if cp is None:
        return Text(f"{text} {t('supervisor.audit_view.no_checkpoint')}", style="bold green")
    when = format_local(datetime.fromisoformat(cp.at))
    more = t("supervisor.audit_view.checkpoint", seq=cp.seq, at=when)
    return Text(f"{text} {more}", style="bold green")


def _day(text: str | None) -> datetime | None:
    """A day typed as YYYY-MM-DD or DD/MM/YYYY: its local midnight."""
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return datetime.combine(day, time(0), VN_TZ)
    raise ValueError(text)
