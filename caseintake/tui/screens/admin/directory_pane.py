"""The admin desk's directory tab: search, add, edit, retire, and a CSV import previewed before
it is applied. Stored text is shown as text in the table (issue 10 item 8); the service refuses
control characters, so the form shows its one sentence inline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static
from textual.widgets.data_table import ColumnKey

from caseintake.domain.intake import geography
from caseintake.domain.intake.taxonomy import label, ordered_codes
from caseintake.i18n import t
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal
    from caseintake.services.routing import AdminEntry, ImportPreview

# The name first, as wide as it is up to NAME_WIDTH: at 80 columns it is what an admin looks for
# (the id, longest and least read, last; Enter puts the whole entry in the form).
COLUMNS = ("name", "body", "area", "phones", "hours", "state", "id")
NAME_WIDTH = 46
FIELDS = ("id", "body", "name", "province_code", "ward_code", "phones", "email", "hours", "source")
EDITABLE = FIELDS[1:]


def _value(entry: Any, name: str) -> str:
    value = getattr(entry, name)
    if name == "phones":
        return ";".join(value)
    return "" if value is None else str(value)


class DirectoryPane(Vertical):
    @dataclass
    class Found(Message):
        entries: list[AdminEntry]

    @dataclass
    class Done(Message):
        text: str
        ok: bool
        preview: ImportPreview | None = None

    def __init__(self, services: Services, principal: Principal, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._services = services
        self._principal = principal
        self._shown: list[AdminEntry] = []
        self._previewed: str | None = None  # the CSV text a preview was shown for

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-row"):
            yield Input(placeholder=t("admin.tui.directory.search"), id="dir-search")
            yield Checkbox(t("admin.tui.directory.retired"), id="dir-retired")
        yield DataTable(id="dir-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="admin-row admin-form"):
            for name in FIELDS:
                if name == "body":  # chosen by its name, never typed as a code (issue 19, item 13)
                    bodies = [(label("body", code), code) for code in ordered_codes("body")]
                    yield Select(bodies, prompt=t("admin.tui.directory.field.body"), id="dir-body")
                    continue
                yield Input(placeholder=t(f"admin.tui.directory.field.{name}"), id=f"dir-{name}")
        with Horizontal(classes="admin-row"):
            yield Button(t("admin.tui.directory.add"), id="dir-add", variant="primary")
            yield Button(t("admin.tui.directory.save"), id="dir-save")
            yield Button(t("admin.tui.directory.retire"), id="dir-retire", variant="error")
        with Horizontal(classes="admin-row"):  # other lines: their cards and drop folders
            yield Button(t("line.tui.add_line"), id="dir-add-line")
            yield Button(t("line.tui.retire_line"), id="dir-retire-line", variant="warning")
            yield Button(t("handoff_folders.tui.button"), id="dir-drop-folder")
        with Horizontal(classes="admin-row"):
            yield Input(placeholder=t("admin.tui.directory.csv"), id="dir-csv")
            yield Button(t("admin.tui.directory.preview"), id="dir-preview")
            yield Button(t("admin.tui.directory.import"), id="dir-import", disabled=True)
        yield Static("", id="dir-status", markup=False)
        yield Label("", id="dir-preview-text", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#dir-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"admin.tui.directory.col.{key}"), key=key)
        self.refresh_list()

    # -- reading -------------------------------------------------------------------------------
    @on(Input.Changed, "#dir-search")
    @on(Checkbox.Changed, "#dir-retired")
    def refresh_list(self) -> None:
        text = self.query_one("#dir-search", Input).value
        self._search(text, self.query_one("#dir-retired", Checkbox).value)

    @work(thread=True, group="dir-search", exclusive=True, exit_on_error=False)
    def _search(self, text: str, retired: bool) -> None:
        try:
            found = self._services.directory_admin.search(text, include_retired=retired)
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self.post_message(self.Found(found))

    @on(Found)
    def _show(self, message: Found) -> None:
        self._shown = message.entries
        table = self.query_one("#dir-table", DataTable)
        table.clear()
        for found in message.entries:
            e = found.entry
            area = _area(e.ward_code, e.province_code)
            state = t("admin.tui.directory.state_retired") if found.retired else f"v{found.version}"
            cells = (e.name, label("body", e.body), area, ", ".join(e.phones), e.hours, state, e.id)
            table.add_row(*(Text(c) for c in cells), key=e.id)
        name = table.columns[ColumnKey("name")]
        widest = max((cell_len(found.entry.name) for found in message.entries), default=0)
        name.auto_width = False
        name.width = max(min(widest, NAME_WIDTH), cell_len(name.label.plain))

    @on(DataTable.RowSelected, "#dir-table")
    def _fill(self, event: DataTable.RowSelected) -> None:
        """Enter on a row puts the entry in the form, to edit or retire it."""
        if event.cursor_row < 0 or event.cursor_row >= len(self._shown):
            return
        entry = self._shown[event.cursor_row].entry
        for name in FIELDS:
            if name == "body":
                self.query_one("#dir-body", Select).value = entry.body
            else:
                self.query_one(f"#dir-{name}", Input).value = _value(entry, name)

    # -- writing -------------------------------------------------------------------------------
    def _form(self, names: tuple[str, ...]) -> dict[str, object]:
        body = self.query_one("#dir-body", Select).value
        return {
            name: ("" if body is Select.BLANK else str(body))
            if name == "body"
            else self.query_one(f"#dir-{name}", Input).value
            for name in names
        }

    @on(Button.Pressed, "#dir-add")
    def add(self) -> None:
        fields = self._form(FIELDS)
        self._write(lambda: self._services.directory_admin.add(self._principal, fields),
                    lambda e: t("admin.directory.added", id=e.id))  # fmt: skip

    @on(Button.Pressed, "#dir-save")
    def save(self) -> None:
        entry_id = self.query_one("#dir-id", Input).value.strip()
        changes = self._form(EDITABLE)
        edit = self._services.directory_admin.edit
        self._write(lambda: edit(self._principal, entry_id, changes),
                    lambda r: t("admin.directory.edited", id=r.entry.id, version=r.version))  # fmt: skip

    @on(Button.Pressed, "#dir-retire")
    def retire(self) -> None:
        entry_id = self.query_one("#dir-id", Input).value.strip()
        self._write(lambda: self._services.directory_admin.retire(self._principal, entry_id),
                    lambda _r: t("admin.directory.retired", id=entry_id))  # fmt: skip

    @on(Button.Pressed, "#dir-add-line")
    def add_line(self) -> None:
        """Another line's card, pinned once its fingerprint matches (issue 24)."""
        from caseintake.tui.screens.admin.add_line_dialog import AddLineDialog

        def added(directory_id: str | None) -> None:
            if directory_id is not None:
                self.post_message(self.Done(t("line.tui.added", id=directory_id), ok=True))

        self.app.push_screen(AddLineDialog(self._services, self._principal), added)

    @on(Button.Pressed, "#dir-drop-folder")
    def drop_folder(self) -> None:
        """The drop folder of the entry in the form, a partner line (issue 24, transport)."""
        from caseintake.tui.screens.admin.drop_folder_dialog import DropFolderDialog

        entry_id = self.query_one("#dir-id", Input).value.strip()
        if not entry_id:
            self.post_message(self.Done(t("handoff_folders.tui.no_entry"), ok=False))
            return

        def done(sentence: str | None) -> None:
            if sentence is not None:
                self.post_message(self.Done(sentence, ok=True))

        self.app.push_screen(DropFolderDialog(self._services, self._principal, entry_id), done)

    @on(Button.Pressed, "#dir-retire-line")
    def retire_line(self) -> None:
        entry_id = self.query_one("#dir-id", Input).value.strip()
        retire = self._services.line_cards.retire_card
        self._write(lambda: retire(self._principal, entry_id),
                    lambda p: t("line.retired", code=p.code, id=p.directory_id))  # fmt: skip

    @on(Button.Pressed, "#dir-preview")
    def preview(self) -> None:
        self._import(apply=False)

    @on(Button.Pressed, "#dir-import")
    def apply(self) -> None:
        self._import(apply=True)

    @work(thread=True, group="dir-write", exclusive=True, exit_on_error=False)
    def _write(self, action: Callable[[], Any], sentence: Callable[[Any], str]) -> None:
        try:
            result = action()
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self.post_message(self.Done(sentence(result), ok=True))

    @work(thread=True, group="dir-write", exclusive=True, exit_on_error=False)
    def _import(self, apply: bool) -> None:
        from caseintake.services.routing import read_import_file

        path = Path(self.query_one("#dir-csv", Input).value.strip()).expanduser()
        d = self._services.directory_admin
        try:
            text = read_import_file(path)
            if apply and text != self._previewed:  # the file changed since its preview
                preview, key = d.preview_import(text), "admin.directory.preview"
            elif apply:
                preview, key = (
                    d.import_csv(self._principal, text, path.name),
                    "admin.directory.imported",
                )
            else:
                preview, key = d.preview_import(text), "admin.directory.preview"
        except Exception as error:
            self.post_message(self.Done(describe(error), ok=False))
            return
        self._previewed = None if key == "admin.directory.imported" else text
        counts = {"added": len(preview.added), "changed": len(preview.changed)}
        self.post_message(self.Done(t(key, **counts, unchanged=preview.unchanged), True, preview))

    @on(Done)
    def _done(self, message: Done) -> None:
        status = self.query_one("#dir-status", Static)
        status.update(Text(message.text))
        status.set_class(not message.ok, "admin-error")
        lines = []
        if message.preview is not None:
            lines += [f"+ {e.id}  {e.name}" for e in message.preview.added]
            lines += [f"~ {o.id}  {o.name} → {n.name}" for o, n in message.preview.changed]
        self.query_one("#dir-preview-text", Label).update(Text("\n".join(lines[:50])))
        self.query_one("#dir-import", Button).disabled = self._previewed is None
        if message.ok:
            self.refresh_list()


def _area(ward_code: int | None, province_code: int | None) -> str:
    """Where an entry serves, in names (a commune, else a province, else the whole country),
    never the bare codes (found on the walk)."""
    ward = geography.ward(ward_code)
    if ward is not None:
        return ward.name
    province = geography.province(province_code)
    return province.name if province is not None else t("admin.tui.directory.nationwide")
