"""A table of cases, shared by the shift home and the case list: one row per case summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from textual.widgets import DataTable

from caseintake.domain.states import state_label
from caseintake.domain.taxonomy import label
from caseintake.i18n import t
from caseintake.tui.widgets.time_text import deadline_text

if TYPE_CHECKING:
    from caseintake.services.cases import CaseSummary

_COLUMNS = ("number", "status", "priority", "due", "body", "concerns")


def short_body(code: str) -> str:
    """The body's name without its parenthesised gloss, to fit a column."""
    return label("body", code).split(" (")[0]


class CaseTable(DataTable[object]):
    """Rows are keyed by case id; ``RowSelected`` gives it back as ``event.row_key.value``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key in _COLUMNS:
            self.add_column(t(f"tui.case.col_{key}"), key=key)

    def show(self, cases: Sequence[CaseSummary], now: datetime) -> None:
        self.clear()
        for case in cases:
            self.add_row(
                case.number,
                state_label("case", case.status),
                label("priority", case.priority),
                deadline_text(case.next_due_at, now),
                short_body(case.next_due_body) if case.next_due_body else "",
                ", ".join(label("concern", c) for c in case.concerns),
                key=case.id,
            )
