"""The supervisor's hand-off inbox (issue 24 part C, item 1): every hand-off in and out, with
the partner line, this line's case, its status, legal basis and deadline. From here a package
is received from the export folder (one file by name, or every package there), an incoming one
accepted (its new local case is named) or rejected with a reason, and a receipt recorded for an
outgoing one. Each answer writes its receipt into the export folder through the services (in
a browser it downloads instead: ``delivery``; receiving still reads the server's folder);
refusals are said in the dialog, what was typed kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from caseintake.domain.errors import DomainError
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.handoff.accept_choices import answer_choices, into_case
from caseintake.tui.screens.handoff.deadline_cells import due_cell, overdue_title
from caseintake.tui.screens.handoff.delivery import hand_over, target
from caseintake.tui.screens.handoff.folder_watch import FolderWatch
from caseintake.tui.screens.supervisor.decision_dialog import Choice, Decision, DecisionDialog
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal
    from caseintake.services.handoffs import Download, HandoffView

COLUMNS = ("direction", "partner", "case", "status", "basis", "due")


def receipt_name(view: HandoffView, status: str) -> str:
    """A new receipt's file name in the export folder: the partner, the hand-off, the step."""
    return f"receipt-{view.partner}-{view.id[:8]}-{status}.cir"


class HandoffInboxScreen(Screen[None]):
    CSS_PATH = "inbox_screen.tcss"
    AUTO_FOCUS = "#handoffs"
    BINDINGS = [
        Binding("i", "receive", "Receive", id="handoff_inbox.receive"),
        Binding("a", "answer", "Accept/reject", id="handoff_inbox.answer"),
        Binding("u", "update", "Update", id="handoff_inbox.update"),
        Binding("b", "receipt", "Receipt", id="handoff_inbox.receipt"),
        Binding("r", "reload", "Refresh", id="handoff_inbox.reload"),
        Binding("escape", "app.pop_screen", "Queue", id="handoff_inbox.back"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[HandoffView]

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._handoffs = services.handoffs
        self._rows: dict[str, HandoffView] = {}

    def compose(self) -> ComposeResult:
        yield Static(t("handoff_desk.inbox.title"), id="inbox-title")
        yield DataTable(id="handoffs", cursor_type="row", zebra_stripes=True)
        yield Static(id="inbox-status")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        table = self.query_one("#handoffs", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"handoff_desk.col.{key}"), key=key)
        self.action_reload()
        # Issue 24, transport: the drop folders are read as the inbox opens.
        self._drop_watch = FolderWatch(self, self._services, self._principal, self._folder_said)
        self._drop_watch.poll_now()

    def drop_folders_polled(self) -> None:
        """A poll of the drop folders took or refused files (``FolderWatch``)."""
        self.action_reload()

    def _folder_said(self) -> None:
        if self._drop_watch.problem:
            self._say(self._drop_watch.problem, True)

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="handoff-inbox", exit_on_error=False)
    def _load(self) -> None:
        try:
            rows = self._handoffs.rows(self._principal)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Loaded(rows))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one("#handoffs", DataTable)
        keep = self.selected()
        table.clear()
        self._rows = {r.id: r for r in message.rows}
        for r in message.rows:
            table.add_row(*_cells(r), key=r.id)
        if keep is not None and keep.id in self._rows:
            table.move_cursor(row=table.get_row_index(keep.id))
        if not message.rows:
            self._say(t("handoff_desk.inbox.none"))
        title = overdue_title(t("handoff_desk.inbox.title"), message.rows)
        self.query_one("#inbox-title", Static).update(Text(title))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._say(message.text, True)

    def _say(self, text: str, failed: bool = False) -> None:
        status = self.query_one("#inbox-status", Static)
        status.update(Text(text, style="bold red" if failed else ""))

    def selected(self) -> HandoffView | None:
        table = self.query_one("#handoffs", DataTable)
        if not self._rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._rows.get(str(key))

    def _after(self, said: list[str]) -> Any:
        def done(decision: Decision | None) -> None:
            if decision is not None and said:
                self._say(said[-1])
            self.action_reload()

        return done

    # -- receive ---------------------------------------------------------------------------
    def action_receive(self) -> None:
        folder = self._services.settings.export_folder()
        choices = [
            Choice("file", t("handoff_desk.receive.one"), True,
                   t("handoff_desk.receive.name_prompt", folder=folder)),
            Choice("folder", t("handoff_desk.receive.all", folder=folder)),
        ]  # fmt: skip
        said: list[str] = []
        dialog = DecisionDialog(
            t("handoff_desk.receive.title"),
            t("handoff_desk.receive.body", folder=folder),
            choices,
            attempt=lambda d: said.append(self._receive(d)),
        )
        self.app.push_screen(dialog, callback=self._after(said))

    def _receive(self, decision: Decision) -> str:
        from caseintake.services.core import export_target

        settings = self._services.settings
        if decision.choice == "file":  # a name in the export folder, never a path
            handoff_id = self._handoffs.receive(
                self._principal, export_target(settings, decision.text)
            )
            return t("handoff_desk.receive.done", id=handoff_id)
        results = self._handoffs.receive_folder(self._principal, settings.export_folder())
        taken = [r for r in results if r[2]]
        refused = [f"{path.name}: {said}" for path, said, ok in results if not ok]
        if refused and not taken:
            # nothing taken: the first refusal, in the dialog
            raise DomainError("handoff_desk.receive.none_taken", first=refused[0])
        text = t("handoff_desk.receive.folder_done", taken=len(taken), refused=len(refused))
        return "\n".join([text, *refused])

    # -- accept or reject an incoming one --------------------------------------------------
    @on(DataTable.RowSelected, "#handoffs")
    def _chosen(self, _event: DataTable.RowSelected) -> None:
        self.action_answer()

    def action_answer(self) -> None:
        view = self.selected()
        if view is None:
            return
        if view.direction != "in" or view.status != "received":
            self._say(t("handoff_desk.answer.not_waiting"), True)
            return
        self._read_package(view)

    @work(thread=True, group="handoff-show", exit_on_error=False)
    def _read_package(self, view: HandoffView) -> None:
        """What the package says of itself, read (and audited) before deciding: this line's
        cases the child may already be (``show()``'s matches) are asked about."""
        try:
            matches = list(self._handoffs.show(self._principal, view.id)["matches"])
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.app.call_from_thread(self._ask_answer, view, matches)

    def _ask_answer(self, view: HandoffView, matches: list[dict[str, Any]]) -> None:
        body = t("handoff_desk.answer.body", number=view.partner_case_number or "",
                 basis=t(f"handoff_desk.basis.{view.basis}"))  # fmt: skip
        asked, choices = answer_choices(matches)  # a matching case is asked about first
        body += "\n" + asked if asked else ""
        said: list[str] = []
        dialog = DecisionDialog(
            t("handoff_desk.answer.title", partner=view.partner),
            body,
            choices,
            attempt=lambda d: said.append(self._answer(view, d)),
        )  # fmt: skip
        self.app.push_screen(dialog, callback=self._after(said))

    def _answer(self, view: HandoffView, decision: Decision) -> str:
        into = into_case(decision.choice)
        status = "accepted" if into else decision.choice
        out = self._receipt_out(view, status)
        if into is not None:
            sent = self._handoffs.accept(self._principal, view.id, out, into)
            where = hand_over(self.app, sent)
            return t("handoff_matching.tui.merged", case=sent.case_number or "", path=where)
        if decision.choice == "accepted":
            sent = self._handoffs.accept(self._principal, view.id, out)
            where = hand_over(self.app, sent)
            return t("handoff_desk.answer.accepted", case=sent.case_number or "", path=where)
        sent = self._handoffs.reject(self._principal, view.id, decision.text, out)
        return t("handoff_desk.answer.rejected", path=hand_over(self.app, sent))

    def _receipt_out(self, view: HandoffView, status: str) -> Path | Download | None:
        """Into the sending line's drop folder when it has one (None), else the export folder
        or a browser download."""
        if self._handoffs.receipt_folder(self._principal, view.id) is not None:
            return None
        return target(self.app, self._services.settings, receipt_name(view, status))

    # -- a later step of an accepted one, its receipt back to the sender -----------------
    def action_update(self) -> None:
        view = self.selected()
        if view is None:
            return
        if view.direction != "in" or view.status not in ("accepted", "in_progress"):
            self._say(t("handoff_desk.update.not_open"), True)
            return
        choices = [
            Choice("in_progress", t("handoff_desk.status.in_progress")),
            Choice("done", t("handoff_desk.status.done"), True,
                   t("handoff_desk.update.outcome_prompt")),
        ]  # fmt: skip
        said: list[str] = []
        dialog = DecisionDialog(
            t("handoff_desk.update.title", number=view.case_number or ""),
            t("handoff_desk.update.body", partner=view.partner),
            choices,
            attempt=lambda d: said.append(self._update(view, d)),
        )
        self.app.push_screen(dialog, callback=self._after(said))

    def _update(self, view: HandoffView, decision: Decision) -> str:
        out = self._receipt_out(view, decision.choice)
        sent = self._handoffs.update(
            self._principal, view.id, decision.choice, decision.text or None, out
        )
        where = hand_over(self.app, sent)
        return t("handoff_desk.update.done", status=_status(sent.status), path=where)

    # -- a receipt back for an outgoing one ------------------------------------------------
    def action_receipt(self) -> None:
        folder = self._services.settings.export_folder()
        prompt = t("handoff_desk.receipt.name_prompt", folder=folder)
        said: list[str] = []
        dialog = DecisionDialog(
            t("handoff_desk.receipt.title"),
            t("handoff_desk.receipt.body", folder=folder),
            [Choice("file", t("handoff_desk.receipt.one"), True, prompt)],
            attempt=lambda d: said.append(self._receipt(d)),
        )
        self.app.push_screen(dialog, callback=self._after(said))

    def _receipt(self, decision: Decision) -> str:
        from caseintake.services.core import export_target

        path = export_target(self._services.settings, decision.text)
        handoff_id, status = self._handoffs.take_receipt(self._principal, path)
        return t("handoff_desk.receipt.done", id=handoff_id, status=_status(status))


def _status(status: str) -> str:
    return t(f"handoff_desk.status.{status}")


def _cells(r: HandoffView) -> tuple[object, ...]:
    return (
        t(f"handoff_desk.direction.{r.direction}"),
        r.partner,
        r.case_number or t("handoff_desk.inbox.no_case"),
        _status(r.status),
        t(f"handoff_desk.basis.{r.basis}"),
        due_cell(r),
    )
