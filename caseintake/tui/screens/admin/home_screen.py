"""The admin's desk: users, the directory of bodies, backups and retention, one tab each, and
the command-line counterparts. An admin reads no case content (DESIGN §1), so there is no
intake form, no case list and no contact here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane, Tabs

from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.screens.admin.backup_pane import BackupPane
from caseintake.tui.screens.admin.directory_pane import DirectoryPane
from caseintake.tui.screens.admin.keys_pane import KeysPane
from caseintake.tui.screens.admin.retention_pane import RetentionPane
from caseintake.tui.screens.admin.users_pane import UsersPane
from caseintake.tui.widgets.live_clock import LiveClock

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

# (what, the command that does it): the admin's tasks at the command line, for scripts.
_TASKS = (
    ("tui.admin.task.users", "caseintake user add NAME --role operator --user {name}"),
    (
        "tui.admin.task.roles",
        "caseintake user list --user {name} · caseintake user disable NAME --user {name}",
    ),
    ("tui.admin.task.reset", "caseintake user reset NAME"),
    (
        "tui.admin.task.directory",
        "caseintake directory import FILE.csv --user {name} · directory list",
    ),
    ("tui.admin.task.rules", "caseintake rules check"),
    (
        "tui.admin.task.audit",
        "caseintake audit verify --user {name} · audit checkpoint --out FILE --user {name}",
    ),
    (
        "admin.tui.task_backup",
        "caseintake backup FILE --user {name} · restore FILE --db URL --user {name}",
    ),
    ("admin.tui.task_retention", "caseintake retention show|set DAYS|sweep · case erase NUMBER"),
    ("keys.tui.task", "caseintake key rotate --user {name} · key rotate-recovery --user {name}"),
    ("tui.admin.task.upgrade", "caseintake db upgrade"),
)


class AdminHomeScreen(Screen[None]):
    CSS_PATH = "home_screen.tcss"
    BINDINGS = [
        Binding("ctrl+o", "app.logout", "Log out", id="home.logout"),
        # The tabs from the keyboard wherever the focus is (an input keeps the arrow keys).
        Binding("f3", "switch_tab(-1)", "Previous tab", id="admin.previous_tab"),
        Binding("f4", "switch_tab(1)", "Next tab", id="admin.next_tab"),
    ]

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal

    def compose(self) -> ComposeResult:
        role = t(f"tui.role.{self._principal.role}")
        with Horizontal(id="home-bar"):
            yield Static(t("tui.home.who", name=self._principal.name, role=role), id="who")
            yield LiveClock(self._services.settings.clock, id="clock")
        with TabbedContent(id="admin-tabs"):
            with TabPane(t("admin.tui.tab.users"), id="tab-users"):
                yield UsersPane(self._services, self._principal, id="users-pane")
            with TabPane(t("admin.tui.tab.directory"), id="tab-directory"):
                yield DirectoryPane(self._services, self._principal, id="directory-pane")
            with TabPane(t("admin.tui.tab.backup"), id="tab-backup"):
                yield BackupPane(self._services, self._principal, id="backup-pane")
            with TabPane(t("admin.tui.tab.retention"), id="tab-retention"):
                yield RetentionPane(self._services, self._principal, id="retention-pane")
            with TabPane(t("keys.tui.tab"), id="tab-keys"):
                yield KeysPane(self._services, self._principal, id="keys-pane")
            with (
                TabPane(t("admin.tui.tab.commands"), id="tab-commands"),
                VerticalScroll(id="admin-body"),
            ):
                yield Static(self._tasks(), id="admin-tasks")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)

    def action_switch_tab(self, step: int) -> None:
        """The next or previous tab, and the focus into it: a field left focused in the old
        tab would take its tab back."""
        tabs = self.query_one("#admin-tabs", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if tabs.active not in panes:
            return
        target = panes[(panes.index(tabs.active) + step) % len(panes)]
        pane = tabs.get_pane(target)
        first = next((w for w in pane.query("*") if w.focusable), None)
        self.set_focus(first if first is not None else tabs.query_one(Tabs))
        tabs.active = target

    def _tasks(self) -> Text:
        out = Text()
        out.append(t("tui.admin.intro") + "\n\n")
        for key, command in _TASKS:
            out.append(f"• {t(key)}\n", style="bold")
            out.append(f"  {command.format(name=self._principal.name)}\n")
        out.append("\n" + t("tui.admin.no_content"), style="italic")
        return out
