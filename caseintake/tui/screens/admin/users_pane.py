"""The admin desk's users tab: add (the one-time password shown once), disable, enable, change
role, and reset a lost password with the recovery key. Every change goes through UserService,
which signs the user's standing and audits it; the pane only shows what came back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Select, Static

from caseintake.domain.errors import role_label
from caseintake.i18n import t
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.access import UserInfo
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

ROLES = ("operator", "supervisor", "admin")


class UsersPane(Vertical):
    @dataclass
    class Listed(Message):
        users: list[UserInfo]

    @dataclass
    class Done(Message):
        text: str
        ok: bool
        secret: str | None = None  # a one-time password, shown once

    def __init__(self, services: Services, principal: Principal, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._services = services
        self._principal = principal
        self._users: list[UserInfo] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="admin-row"):
            yield Input(placeholder=t("admin.tui.users.name"), id="users-name")
            yield Select(
                [(t(f"tui.role.{r}"), r) for r in ROLES], value="operator", id="users-role",
                allow_blank=False,
            )  # fmt: skip
        with Horizontal(classes="admin-row"):
            yield Button(t("admin.tui.users.add"), id="users-add", variant="primary")
            yield Button(t("admin.tui.users.role"), id="users-set-role")
            yield Button(t("admin.tui.users.disable"), id="users-disable", variant="error")
            yield Button(t("admin.tui.users.enable"), id="users-enable")
        with Horizontal(classes="admin-row"):
            yield Input(
                placeholder=t("admin.tui.users.recovery"), password=True, id="users-recovery"
            )
            yield Button(t("admin.tui.users.reset"), id="users-reset")
        yield Static("", id="users-status", markup=False)
        yield Static("", id="users-secret", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#users-table", DataTable)
        for key in ("name", "role", "state"):
            table.add_column(t(f"admin.tui.users.col.{key}"), key=key)
        self.reload()

    @work(thread=True, group="users-list", exclusive=True, exit_on_error=False)
    def reload(self) -> None:
        try:
            users = self._services.users.list(self._principal)
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self.post_message(self.Listed(users))

    @on(Listed)
    def _show(self, message: Listed) -> None:
        self._users = message.users
        table = self.query_one("#users-table", DataTable)
        table.clear()
        for u in message.users:
            flags = [
                t(f"admin.tui.users.state.{k}")
                for k, on_ in (
                    ("disabled", u.disabled),
                    ("one_time", u.must_change_password),
                    ("locked", u.locked),
                )
                if on_
            ]
            state = ", ".join(flags) or t("admin.tui.users.state.active")
            table.add_row(Text(u.name), Text(t(f"tui.role.{u.role}")), Text(state), key=u.name)

    @on(DataTable.RowSelected, "#users-table")
    def _pick(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._users):
            user = self._users[event.cursor_row]
            self.query_one("#users-name", Input).value = user.name
            self.query_one("#users-role", Select).value = user.role

    def _user_name(self) -> str:
        return self.query_one("#users-name", Input).value.strip()

    def _chosen_role(self) -> str:
        return str(self.query_one("#users-role", Select).value)

    @on(Button.Pressed, "#users-add")
    def add(self) -> None:
        name, role = self._user_name(), self._chosen_role()
        self._run(lambda: self._services.users.add(self._principal, name, role),
                  lambda _otp: t("admin.tui.users.added", name=name), secret=True)  # fmt: skip

    @on(Button.Pressed, "#users-set-role")
    def set_role(self) -> None:
        name, role = self._user_name(), self._chosen_role()
        self._run(lambda: self._services.users.change_role(self._principal, name, role),
                  lambda _r: t("admin.users.role_changed", name=name, role=role_label(role)))  # fmt: skip

    @on(Button.Pressed, "#users-disable")
    def disable(self) -> None:
        name = self._user_name()
        self._run(lambda: self._services.users.disable(self._principal, name),
                  lambda _r: t("cli.user_disabled", name=name))  # fmt: skip

    @on(Button.Pressed, "#users-enable")
    def enable(self) -> None:
        name = self._user_name()
        self._run(lambda: self._services.users.enable(self._principal, name),
                  lambda _r: t("admin.users.enabled", name=name))  # fmt: skip

    @on(Button.Pressed, "#users-reset")
    def reset(self) -> None:
        name = self._user_name()
        box = self.query_one("#users-recovery", Input)
        key, box.value = box.value, ""  # the recovery key leaves the screen at once

        def reset_with_key() -> str:
            recovery = self._services.auth.recover(key)
            return str(self._services.users.reset_with_recovery(recovery, name))

        self._run(reset_with_key, lambda _otp: t("admin.tui.users.reset_done", name=name),
                  secret=True)  # fmt: skip

    def _run(
        self, action: Callable[[], Any], sentence: Callable[[Any], str], secret: bool = False
    ) -> None:
        self.query_one("#users-secret", Static).update("")  # a password is shown once only
        if not self._user_name():
            self._done(self.Done(t("admin.tui.users.need_name"), ok=False))
            return
        self._work(action, sentence, secret)

    @work(thread=True, group="users-write", exclusive=True, exit_on_error=False)
    def _work(
        self, action: Callable[[], Any], sentence: Callable[[Any], str], secret: bool
    ) -> None:
        try:
            result = action()
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self.post_message(self.Done(sentence(result), True, str(result) if secret else None))

    @on(Done)
    def _done(self, message: Done) -> None:
        status = self.query_one("#users-status", Static)
        status.update(Text(message.text))
        status.set_class(not message.ok, "admin-error")
        if message.secret is not None:
            shown = t("admin.tui.users.one_time", password=message.secret)
            self.query_one("#users-secret", Static).update(Text(shown, style="bold"))
        if message.ok:
            self.reload()
