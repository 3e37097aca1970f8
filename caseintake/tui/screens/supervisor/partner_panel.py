"""The dashboard's time to accept per partner line (issue 24 item 5): this month's packages per
line, accepted, rejected, waiting and overdue there (in words and colour), and the median and
slowest time from the package's signed time to the acceptance receipt's signed time. Plain
columns of text, the widest cell setting each, so an 80-column terminal keeps every one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from caseintake.domain.handoff.deadlines import short_duration
from caseintake.i18n import t

if TYPE_CHECKING:
    from caseintake.services.referrals import PartnerTimes

COLUMNS = ("line", "sent", "accepted", "rejected", "waiting", "overdue", "median", "slowest")
GAP = "  "
OVERDUE_STYLE = "bold white on red"


def _cells(p: PartnerTimes) -> list[str]:
    return [
        p.partner,
        str(p.sent),
        str(p.accepted),
        str(p.rejected),
        str(p.waiting),
        f"‼ {p.overdue}" if p.overdue else "0",
        short_duration(p.median) if p.median is not None else "–",
        short_duration(p.slowest) if p.slowest is not None else "–",
    ]


def partner_table(partners: Sequence[PartnerTimes]) -> Text:
    if not partners:
        return Text(t("handoff_deadlines.dash.none"))
    header = [t(f"handoff_deadlines.dash.col.{key}") for key in COLUMNS]
    rows = [_cells(p) for p in partners]
    widths = [max(cell_len(r[i]) for r in [header, *rows]) for i in range(len(COLUMNS))]

    def pad(i: int, text: str) -> str:
        room = " " * (widths[i] - cell_len(text))
        return text + room if i == 0 else room + text  # the line's code left, figures right

    out = Text(GAP.join(pad(i, h) for i, h in enumerate(header)) + "\n", style="bold")
    for p, cells in zip(partners, rows, strict=True):
        for i, cell in enumerate(cells):
            if i:
                out.append(GAP)
            late = COLUMNS[i] == "overdue" and p.overdue
            out.append(pad(i, cell), style=OVERDUE_STYLE if late else "")
        out.append("\n")
    out.append(t("handoff_deadlines.dash.note"), style="dim")
    return out
