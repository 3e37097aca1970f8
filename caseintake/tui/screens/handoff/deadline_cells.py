"""The inbox's deadline words (issue 24 item 5): each hand-off's acceptance deadline, marked
overdue in words and colour (at the partner line for one sent, to answer for one received),
how late an acceptance was signed, and the count of overdue ones for the title."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from caseintake.domain.handoff.deadlines import short_duration
from caseintake.domain.referrals.deadlines import format_local
from caseintake.i18n import t

if TYPE_CHECKING:
    from caseintake.services.handoffs import HandoffView

OVERDUE_STYLE = "bold white on red"


def due_cell(r: HandoffView) -> Text:
    due = r.accept_by or r.due_at
    shown = format_local(due) if due else "—"
    if r.overdue and r.direction == "out":
        words = t("handoff_deadlines.overdue_at_partner", line=r.partner)
        return Text(f"‼ {words} · {shown}", style=OVERDUE_STYLE)
    if r.overdue:
        return Text(f"‼ {t('handoff_deadlines.overdue_here')} · {shown}", style=OVERDUE_STYLE)
    if r.late_by is not None:
        late = t("handoff_deadlines.accepted_late", late=short_duration(r.late_by))
        return Text(f"{shown} · {late}", style="dim")
    return Text(shown)


def overdue_title(title: str, rows: Iterable[HandoffView]) -> str:
    late = [r for r in rows if r.overdue]
    if not late:
        return title
    out = sum(1 for r in late if r.direction == "out")
    said = t("handoff_deadlines.inbox_status", n=len(late), out=out, inbound=len(late) - out)
    return f"{title} · {said}"
