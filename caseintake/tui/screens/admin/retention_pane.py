"""The admin desk's retention tab: the period after closure (none by default), the closed cases
past it, a sweep, and erasing one closed case's content (confirmed: it cannot be undone)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static

from caseintake.domain.errors import DomainError
from caseintake.i18n import t
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


def erased_sentence(result: Any) -> str:
    if result.pending:  # shown as pending, never as done (issue 20 item 6)
        return str(t("access_checks.erasure_pending", number=result.number, fields=result.fields))
    key = "admin.retention.erased" if result.compacted else "admin.retention.erased_not_compacted"
    return str(t(key, number=result.number, fields=result.fields))


class RetentionPane(Vertical):
    @dataclass
    class State(Message):
        days: int | None
        due: list[str]

    @dataclass
    class Done(Message):
        text: str
        ok: bool

    def __init__(self, services: Services, principal: Principal, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._services = services
        self._principal = principal

    def compose(self) -> ComposeResult:
        yield Static("", id="ret-period", markup=False)
        with Horizontal(classes="admin-row"):
            yield Input(placeholder=t("admin.tui.retention.days"), id="ret-days")
            yield Button(t("admin.tui.retention.set"), id="ret-set")
        yield Static("", id="ret-due", markup=False)
        yield Button(t("admin.tui.retention.sweep"), id="ret-sweep", variant="warning")
        yield Label(t("admin.tui.retention.erase_title"), classes="admin-title")
        with Horizontal(classes="admin-row"):
            yield Input(placeholder=t("admin.tui.retention.number"), id="ret-number")
            yield Checkbox(t("admin.tui.retention.confirm"), id="ret-confirm")
            yield Button(t("admin.tui.retention.erase"), id="ret-erase", variant="error")
        yield Static("", id="ret-status", markup=False)

    def on_mount(self) -> None:
        self.reload()

    @work(thread=True, group="ret-read", exclusive=True, exit_on_error=False)
    def reload(self) -> None:
        try:
            state = self.State(
                self._services.retention.period(), self._services.retention.due(self._principal)
            )
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self.post_message(state)

    @on(State)
    def _show_state(self, message: State) -> None:
        days = message.days
        period = (
            t("admin.retention.period_none")
            if days is None
            else t("admin.retention.period_days", days=days)
        )
        self.query_one("#ret-period", Static).update(Text(period))
        due = t("admin.tui.retention.due", n=len(message.due), numbers=", ".join(message.due[:10]))
        self.query_one("#ret-due", Static).update(Text(due))
        self.query_one("#ret-sweep", Button).disabled = not message.due

    @on(Button.Pressed, "#ret-set")
    def set_period(self) -> None:
        from caseintake.services.admin import MAX_DAYS

        text = self.query_one("#ret-days", Input).value.strip().lower()
        if text in ("", "không", "none"):  # empty keeps for ever; no English word needed
            value = None
        elif text.isascii() and text.isdigit() and len(text) <= 6:
            value = int(text)
        else:
            self._done(
                self.Done(
                    DomainError("admin.tui.retention.bad_days", max=MAX_DAYS).message(), False
                )
            )
            return
        self._run(lambda: self._services.retention.set_period(self._principal, value),
                  lambda _r: t("admin.retention.set"))  # fmt: skip

    @on(Button.Pressed, "#ret-sweep")
    def sweep(self) -> None:
        self._run(lambda: self._services.retention.sweep(self._principal),
                  lambda done: t("admin.retention.swept", n=len(done)))  # fmt: skip

    @on(Button.Pressed, "#ret-erase")
    def erase(self) -> None:
        number = self.query_one("#ret-number", Input).value.strip()
        confirm = self.query_one("#ret-confirm", Checkbox)
        if not confirm.value:
            self._done(self.Done(t("admin.tui.retention.need_confirm"), ok=False))
            return
        confirm.value = False  # one confirmation, one erasure
        self._run(lambda: self._services.retention.erase(self._principal, number), erased_sentence)

    @work(thread=True, group="ret-write", exclusive=True, exit_on_error=False)
    def _run(self, action: Callable[[], Any], sentence: Callable[[Any], str]) -> None:
        try:
            result = action()
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self.post_message(self.Done(sentence(result), ok=True))

    @on(Done)
    def _done(self, message: Done) -> None:
        status = self.query_one("#ret-status", Static)
        status.update(Text(message.text))
        status.set_class(not message.ok, "admin-error")
        if message.ok:
            self.reload()
