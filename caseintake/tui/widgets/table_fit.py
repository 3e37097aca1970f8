"""Column widths set from the rows themselves, before they go into a table.

A ``DataTable`` measures auto-width columns when its message queue is idle; on a busy machine a
screen could be painted before that, with every column at its header's width and the cells cut
("111-2" for a case number). Setting each column to its widest cell first makes the layout the
same whatever the load, and the columns do not jump when a refresh brings the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.widgets import DataTable


def fit_columns(table: DataTable[object], rows: Sequence[Sequence[object]]) -> None:
    for i, column in enumerate(table.ordered_columns):
        widest = max((widest_line(row[i]) for row in rows if i < len(row)), default=0)
        column.auto_width = False
        column.width = max(widest, widest_line(column.label.plain))


def widest_line(cell: object) -> int:
    """A cell of two lines (the queue's rows at 80 columns) is as wide as its widest line."""
    return max(cell_len(line) for line in str(cell).split("\n"))
