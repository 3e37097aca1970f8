"""The admin desk's backup tab: a copy while operators work, a restore into a new file, with
progress. Both run in thread workers; the result comes back as one sentence, shown as text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, ProgressBar, Static

from caseintake.domain.referrals.deadlines import to_local
from caseintake.i18n import t
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal


class BackupPane(Vertical):
    @dataclass
    class Progressed(Message):
        share: float

    @dataclass
    class Finished(Message):
        text: str
        ok: bool

    def __init__(self, services: Services, principal: Principal, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._services = services
        self._principal = principal

    def compose(self) -> ComposeResult:
        # Local time, as the admin reads the clock on the wall (issue 19, item 17).
        stamp = to_local(self._services.settings.clock()).strftime("%Y%m%d-%H%M")
        yield Label(t("admin.tui.backup.title"), classes="admin-title")
        with Horizontal(classes="admin-row"):
            folder = self._services.settings.export_folder()  # a name there, never a path
            prompt = t("exports.name_prompt", folder=folder)
            yield Input(f"caseintake-{stamp}.db", placeholder=prompt, id="backup-out")
            yield Button(t("admin.tui.backup.run"), id="backup-run", variant="primary")
        yield Label(t("admin.tui.restore.title"), classes="admin-title")
        with Horizontal(classes="admin-row"):
            yield Input(placeholder=t("admin.tui.restore.source"), id="restore-source")
            yield Input(placeholder=prompt, id="restore-target")
            yield Button(t("admin.tui.restore.run"), id="restore-run")
        yield ProgressBar(total=100, show_eta=False, id="backup-progress")
        yield Static("", id="backup-status", markup=False)

    @on(Button.Pressed, "#backup-run")
    @on(Input.Submitted, "#backup-out")  # Enter in the file name starts it too
    def start_backup(self) -> None:
        from caseintake.services.core import export_target

        try:
            out = export_target(self._services.settings, self.query_one("#backup-out", Input).value)
        except Exception as error:
            self._show(describe(error), ok=False)
            return
        self._begin()
        self.run_backup(out)

    @on(Button.Pressed, "#restore-run")
    @on(Input.Submitted, "#restore-target")
    def start_restore(self) -> None:
        from caseintake.services.core import export_target

        source = self.query_one("#restore-source", Input).value.strip()
        if not source:
            self._show(t("admin.tui.need_path"), ok=False)
            return
        try:  # the copy: a new file, by name, in the export folder
            name = self.query_one("#restore-target", Input).value
            target = export_target(self._services.settings, name)
        except Exception as error:
            self._show(describe(error), ok=False)
            return
        self._begin()
        self.run_restore(Path(source).expanduser(), target)

    def _begin(self) -> None:
        self.query_one("#backup-progress", ProgressBar).update(total=100, progress=0)
        self._show(t("admin.tui.working"), ok=True)
        for button in self.query(Button):
            button.disabled = True

    def _progress(self, share: float) -> None:
        self.post_message(self.Progressed(share))

    @work(thread=True, group="admin-backup", exclusive=True, exit_on_error=False)
    def run_backup(self, out: Path) -> None:
        try:
            result = self._services.backup.backup(self._principal, out, progress=self._progress)
        except Exception as error:  # one sentence on the pane, never a traceback
            self.post_message(self.Finished(describe(error), ok=False))
            return
        text = t("admin.backup.done", path=result.path, size=result.size, seq=result.audit_seq)
        self.post_message(self.Finished(text, ok=True))

    @work(thread=True, group="admin-backup", exclusive=True, exit_on_error=False)
    def run_restore(self, source: Path, target: Path) -> None:
        backup = self._services.backup
        try:
            seq, behind = backup.restore_beside(self._principal, source, target, self._progress)
        except Exception as error:
            self.post_message(self.Finished(describe(error), ok=False))
            return
        if behind is None:
            text = t("admin.tui.restore.done_ok", path=target, seq=seq)
        else:
            text = t("admin.tui.restore.done_behind", path=target, seq=seq, pinned=behind)
        self.post_message(self.Finished(text, ok=behind is None))

    @on(Progressed)
    def _moved(self, message: Progressed) -> None:
        self.query_one("#backup-progress", ProgressBar).update(progress=message.share * 100)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        for button in self.query(Button):
            button.disabled = False
        if message.ok:
            self.query_one("#backup-progress", ProgressBar).update(progress=100)
        self._show(message.text, message.ok)

    def _show(self, text: str, ok: bool) -> None:
        status = self.query_one("#backup-status", Static)
        status.update(Text(text))
        status.set_class(not ok, "admin-error")
