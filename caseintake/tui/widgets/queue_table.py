"""The referral queue as a table: where each referral stands in words *and* colour (never colour
alone), and a refresh that keeps the cursor on the same referral."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.referrals.states import state_label
from caseintake.i18n import t
from caseintake.tui.widgets.case_table import case_cell, short_body
from caseintake.tui.widgets.table_fit import fit_columns

if TYPE_CHECKING:
    from caseintake.services.referrals import QueueRow

# Where each referral stands first, so an 80-column terminal keeps its status and escalation.
COLUMNS = ("deadline", "due", "case", "escalation", "status", "body", "priority", "operator")
# Below this many terminal columns each row takes two lines, two values a cell, so all eight
# (case, body, deadline, status, escalation and priority first) fit in 80 columns.
NARROW = 100
PAIRS = (("deadline", "due"), ("case", "priority"), ("status", "escalation"), ("body", "operator"))
_DEADLINE_STYLE = {
    "overdue": "bold white on red",
    "now": "bold black on yellow",
    "due_soon": "bold yellow",
    "pending": "",
    "met": "green",
    "late": "dim",
    "settled": "dim",
}


def deadline_cell(state: str) -> Text:
    mark = {"overdue": "‼ ", "now": "! ", "due_soon": "! "}.get(state, "")
    return Text(mark + t(f"supervisor.deadline.{state}"), style=_DEADLINE_STYLE.get(state, ""))


def escalation_cell(row: QueueRow) -> Text:
    if row.escalation is not None:
        return Text(f"⇑ {short_body(row.escalation.body)}", style="bold magenta")
    if row.escalation_decision is not None:
        return Text(t(f"supervisor.tui.decided_{row.escalation_decision}"), style="dim")
    return Text("")


def at_partner_cell(line: str) -> Text:
    """Overdue at the partner line (issue 24): its words apart from a plain overdue."""
    text = t("handoff_deadlines.overdue_at_partner", line=line)
    return Text("‼ " + text, style=_DEADLINE_STYLE["overdue"])


def row_cells(row: QueueRow) -> tuple[object, ...]:
    due = to_local(row.due_at).strftime("%H:%M %d/%m") if row.due_at else "–"
    return (
        at_partner_cell(row.at_partner) if row.at_partner else deadline_cell(row.deadline),
        due,
        case_cell(row.case_number, row.tampered),
        escalation_cell(row),
        state_label("referral", row.status),
        Text(short_body(row.body)),
        label("priority", row.priority),
        Text(row.operator or ""),  # a user name is stored text: shown as text, never markup
    )


def two_lines(cells: Sequence[object]) -> tuple[Text, ...]:
    """The eight cells of ``row_cells`` as the four two-line cells of ``PAIRS``."""
    by_key = dict(zip(COLUMNS, cells, strict=True))
    return tuple(
        Text.assemble(_text(by_key[top]), "\n", _text(by_key[bottom])) for top, bottom in PAIRS
    )


def _text(cell: object) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))


class QueueTable(DataTable[object]):
    """Rows keyed by referral id; ``show`` redraws only when something changed."""

    # Enter opens the referral's case: said in the footer, not only known.
    BINDINGS = [Binding("enter", "select_cursor", "Open case", id="queue.open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._shown: tuple[object, ...] = ()
        self._rows: Sequence[QueueRow] = ()
        self._narrow: bool | None = None

    def _lay_out(self) -> None:
        """One column a value, or at 80 columns two lines a row (``PAIRS``)."""
        narrow = self.app.size.width < NARROW
        if narrow == self._narrow:
            return
        self.clear(columns=True)
        self._narrow = narrow
        self.header_height = 2 if narrow else 1
        for key in [f"{a}_{b}" for a, b in PAIRS] if narrow else COLUMNS:
            words = [t(f"supervisor.tui.col_{k}") for k in key.split("_")] if narrow else []
            self.add_column("\n".join(words) or t(f"supervisor.tui.col_{key}"), key=key)

    def on_mount(self) -> None:
        self._lay_out()

    def on_resize(self) -> None:
        if self._narrow is not None and (self.app.size.width < NARROW) != self._narrow:
            self.show(self._rows)

    def show(self, rows: Sequence[QueueRow]) -> bool:
        """Redraw with ``rows``; the cursor stays on its referral. False when nothing changed."""
        self._rows = rows
        current = self.current_id()
        keep_row = self.cursor_row
        self._lay_out()
        cells = [row_cells(r) for r in rows]
        if self._narrow:
            cells = [two_lines(cs) for cs in cells]
        fingerprint = (
            self._narrow,
            *((r.id, tuple(map(str, cs))) for r, cs in zip(rows, cells, strict=True)),
        )
        if fingerprint == self._shown:
            return False
        self.clear()
        fit_columns(self, cells)
        for r, cs in zip(rows, cells, strict=True):
            self.add_row(*cs, key=r.id, height=2 if self._narrow else 1)
        self._shown = fingerprint
        if rows:
            ids = [r.id for r in rows]
            target = ids.index(current) if current in ids else min(keep_row, len(rows) - 1)
            self.move_cursor(row=max(target, 0), animate=False)
        return True

    def current_id(self) -> str | None:
        if not self.row_count or self.cursor_row < 0:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
        return str(key.value) if key.value is not None else None
