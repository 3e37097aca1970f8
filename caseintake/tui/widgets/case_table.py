"""Tables of cases and of contacts, shared by the shift home and the search screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.states import state_label
from caseintake.i18n import t
from caseintake.tui.widgets.table_fit import fit_columns
from caseintake.tui.widgets.time_text import clock_time, deadline_state_text, duration_text

if TYPE_CHECKING:
    from caseintake.services.core import CaseSummary, ContactSummary

_COLUMNS = ("number", "status", "priority", "due", "body", "concerns")
# The shift home lists only open cases: no status column, short dates, so it fits 80 columns.
HOME_COLUMNS = ("number", "priority", "due", "body", "concerns")
_WIDTHS = {"body": 16}


def case_cell(number: str, tampered: bool) -> Text | str:
    """A case number; marked when its rows differ from the events that wrote them (issue 20
    item 2), in a sign and colour here, in words on the screen's status line."""
    return Text(f"⚠ {number}", style="bold red") if tampered else number


def tampered_line(count: int) -> str:
    return t("records.list_tampered", count=count) if count else ""


def short_body(code: str) -> str:
    """The body's name without its parenthesised gloss, to fit a column."""
    return label("body", code).split(" (")[0]


class CaseTable(DataTable[object]):
    """Rows are keyed by case id; ``RowSelected`` gives it back as ``event.row_key.value``."""

    def __init__(self, *, id: str | None = None, columns: tuple[str, ...] = _COLUMNS) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = columns

    def on_mount(self) -> None:
        for key in self._columns:
            self.add_column(t(f"tui.case.col_{key}"), key=key, width=_WIDTHS.get(key))

    def show(self, cases: Sequence[CaseSummary]) -> None:
        self.clear()
        short = "status" not in self._columns
        rows = []
        for case in cases:
            cells = {
                "number": case_cell(case.number, case.tampered),
                "status": state_label("case", case.status),
                "priority": label("priority", case.priority),
                "due": deadline_state_text(case.next_due_at, case.next_due_state, short=short),
                "body": short_body(case.next_due_body) if case.next_due_body else "",
                "concerns": ", ".join(label("concern", c) for c in case.concerns),
            }
            rows.append((case.id, [cells[k] for k in self._columns]))
        fit_columns(self, [r for _, r in rows])
        for key, row in rows:
            self.add_row(*row, key=key)


_CONTACT_COLUMNS = ("time", "type", "channel", "duration", "case")


class ContactTable(DataTable[object]):
    """Rows keyed by contact id: any contact opens, whatever its type."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key in _CONTACT_COLUMNS:
            self.add_column(t(f"tui.home.col_{key}"), key=key)

    def show(self, contacts: Sequence[ContactSummary]) -> None:
        self.clear()
        rows = [
            (
                contact.id,
                [
                    clock_time(contact.received_at),
                    label("contact_type", contact.contact_type),
                    label("channel", contact.channel),
                    duration_text(contact.duration_seconds),
                    contact.case_number or "",
                ],
            )
            for contact in contacts
        ]
        fit_columns(self, [r for _, r in rows])
        for key, row in rows:
            self.add_row(*row, key=key)
