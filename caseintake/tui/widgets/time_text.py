"""How times, durations and deadlines read on screen (Viet Nam time, overdue in red)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from caseintake.domain.referrals.deadlines import format_local, to_local
from caseintake.i18n import t


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return "–"
    minutes, rest = divmod(max(0, seconds), 60)
    return f"{minutes}:{rest:02d}"


def clock_time(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M")


def deadline_text(due_at: datetime | None, now: datetime, *, done: bool = False) -> Text:
    """The due time; an overdue open deadline is bold red and says so."""
    if due_at is None:
        return Text("–")
    shown = format_local(due_at)
    if not done and due_at < now:
        return Text(f"{shown} {t('tui.case.overdue')}", style="bold red")
    if not done and (due_at - now).total_seconds() < 4 * 3600:
        return Text(shown, style="yellow")
    return Text(shown)


# How each deadline state reads: always words, colour only as a second cue (16 colours, NO_COLOR).
_STATE_STYLE = {
    "now": "bold yellow",
    "due_soon": "yellow",
    "pending": "",
    "overdue": "bold red",
    "met": "green",
    "late": "",
    "settled": "dim",
}


def deadline_state_text(due_at: datetime | None, state: str | None, *, short: bool = False) -> Text:
    """The due time with where it stands (domain.deadline_state): "now", "QUÁ HẠN", "met"…
    ``short`` leaves the year out, for narrow tables."""
    if due_at is None:
        return Text("–")
    shown = to_local(due_at).strftime("%d/%m %H:%M") if short else format_local(due_at)
    if state is None or state == "pending":
        return Text(shown)
    return Text(f"{shown} {t(f'tui.deadline.{state}')}", style=_STATE_STYLE.get(state, ""))
