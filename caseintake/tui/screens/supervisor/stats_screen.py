"""The supervisor's statistics: a period (or a due report), an indicator, its table with the
suppressed cells marked, a bar chart, and an export of every indicator in a worker.

Open it with ``app.push_screen(StatsScreen(services, principal))``; only supervisors and admins
get figures (the service refuses anyone else, and the screen shows that sentence inline).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)

from caseintake.domain.referrals.deadlines import to_local
from caseintake.domain.statistics.indicators import IDS
from caseintake.domain.statistics.periods import Period
from caseintake.domain.statistics.report import (
    IndicatorTable,
    StatisticsReport,
    cell_text,
    code_label,
    dimension_label,
)
from caseintake.domain.statistics.suppression import DEFAULT_THRESHOLD
from caseintake.domain.statistics.tables import ALL
from caseintake.domain.statistics.two_way import TWO_WAY
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter, localize_bindings
from caseintake.tui.file_delivery import deliver, to_browser
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.domain.statistics.calendar import DueReport
    from caseintake.services.container import Services
    from caseintake.services.core import Principal

MAX_BARS = 20


class StatsChart(VerticalScroll):
    """Horizontal bars of the first dimension's margins (or the cells of a one-way table),
    drawn with Textual's own ProgressBar; a suppressed cell has no bar, only its mark."""

    def show(self, table: IndicatorTable) -> None:
        self.remove_children()
        dims = table.indicator.dimensions
        rows = [
            (key[0], value)
            for key, value in table.cells()
            if key[0] != ALL and all(code == ALL for code in key[1:])
        ][:MAX_BARS]
        top = max((v for _, v in rows if v is not None), default=0)
        for code, value in rows:
            bar = ProgressBar(total=max(top, 1), show_eta=False, show_percentage=False)
            bar.progress = value or 0
            self.mount(
                Horizontal(
                    Label(Text(code_label(dims[0], code)), classes="bar-label"),
                    bar,
                    Label(Text(cell_text(value)), classes="bar-value"),
                    classes="bar-row" + (" -suppressed" if value is None else ""),
                )
            )


class StatsScreen(Screen[None]):
    CSS_PATH = "stats_screen.tcss"
    AUTO_FOCUS = "#indicator"
    BINDINGS = [
        Binding("f5", "show", "Show", id="stats.show"),
        Binding("ctrl+e", "export", "Export", id="stats.export"),
        Binding("escape", "app.pop_screen", "Back", id="stats.back"),
    ]

    @dataclass
    class Computed(Message):
        report: StatisticsReport
        seq: int

    @dataclass
    class Failed(Message):
        text: str

    @dataclass
    class Progressed(Message):
        done: int
        total: int

    @dataclass
    class Exported(Message):
        path: Path

    @dataclass
    class Delivered(Message):
        name: str
        data: bytes

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self._services = services
        self._principal = principal
        self._due: list[DueReport] = services.statistics.calendar()
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Static(t("stats.screen.title"), id="stats-title")
        due = [
            (f"{t(r.title_key)} · {r.due:%d/%m/%Y} · {r.source_short}", str(i))
            for i, r in enumerate(self._due)
        ]
        with Horizontal(classes="filters"):
            yield Select(due, prompt=t("stats.screen.due"), compact=True, id="due")
            indicators = [(t(f"stats.indicator.{i}"), i) for i in IDS]
            yield Select(indicators, value=IDS[0], allow_blank=False, compact=True, id="indicator")
        with Horizontal(classes="filters"):
            # Filled with the latest period that has data once it is read (``_opened``).
            yield Input(placeholder=t("stats.screen.from"), id="from")
            yield Input(placeholder=t("stats.screen.to"), id="to")
            yield Input(str(DEFAULT_THRESHOLD), placeholder=t("stats.screen.threshold"),
                        type="integer", id="threshold")  # fmt: skip
            yield Button(t("stats.screen.show"), id="show", compact=True)
        # Three-way indicators as the two-way tables the directives use (issue 21 item 4).
        yield Checkbox(t("linked_tables.two_way"), id="two-way", compact=True)
        yield Static(id="stats-error")
        yield Static(id="stats-note")
        with Horizontal(id="stats-body"):
            yield DataTable(id="stats-table", zebra_stripes=True, cursor_type="row")
            with Vertical(id="stats-chart-box"):
                yield Static(t("stats.screen.chart"), classes="chart-title")
                yield StatsChart(id="stats-chart")
        with Horizontal(classes="filters", id="export-row"):
            folder = self._services.settings.export_folder()
            yield Input(placeholder=t("exports.name_prompt", folder=folder), id="out")
            yield Button(t("stats.screen.export"), id="export", compact=True)
            yield ProgressBar(show_eta=False, id="progress")
        yield Static(id="stats-status")
        yield LocalFooter()

    def on_mount(self) -> None:
        localize_bindings(self)
        out = self.query_one("#out", Input)
        out.display = not to_browser(self.app, self._services.settings)  # a download: no name
        self._open()

    # Its own group: ``_compute`` is exclusive in "stats" and would cancel this worker
    # while it is still returning from handing over the period.
    @work(thread=True, group="stats-open", exit_on_error=False)
    def _open(self) -> None:
        try:
            period = self._services.statistics.latest_period(self._principal)
        except Exception:  # refused or failed: this month, and showing it says why inline
            today = to_local(self._services.settings.clock()).date()
            period = Period.month(today.year, today.month)
        self.app.call_from_thread(self._opened, period)

    def _opened(self, period: Period) -> None:
        typed = self.query_one("#from", Input).value or self.query_one("#to", Input).value
        if typed:  # the supervisor was quicker than the read: keep what they typed
            return
        self._show_period(period)
        self.query_one("#out", Input).value = _default_name(period)  # a name, never a path
        self.action_show()

    def _show_period(self, period: Period) -> None:
        """Days as people write them (dd/mm/yyyy), as in the case search."""
        self.query_one("#from", Input).value = f"{period.start:%d/%m/%Y}"
        self.query_one("#to", Input).value = f"{period.end:%d/%m/%Y}"

    @on(Select.Changed, "#due")
    def _pick_due(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        self._show_period(self._due[int(event.value)].period)
        self.action_show()

    @on(Select.Changed, "#indicator")
    @on(Checkbox.Changed, "#two-way")
    @on(Input.Submitted, "#from, #to, #threshold")
    @on(Button.Pressed, "#show")
    def action_show(self) -> None:
        request = self._request()
        if request is None:
            return
        period, threshold = request
        out = self.query_one("#out", Input)
        if out.value.startswith("thong-ke-"):  # still the default name: follow
            out.value = _default_name(period)
        indicator = self.query_one("#indicator", Select).value
        self._seq += 1
        self._status(t("stats.screen.computing"))
        self._compute(period, str(indicator), threshold, self._seq, self._two_way())

    def _request(self) -> tuple[Period, int] | None:
        """The period and threshold typed, or None with the reason shown inline."""
        from caseintake.domain.errors import DomainError
        from caseintake.domain.statistics.suppression import check_threshold

        raw = self.query_one("#threshold", Input).value.strip()
        try:
            period = Period.parse(
                self.query_one("#from", Input).value.strip(),
                self.query_one("#to", Input).value.strip(),
            )
            if not raw.lstrip("-").isdigit() or len(raw) > 6:
                raise DomainError("stats.threshold_too_low", minimum=3, value=raw[:8])
            threshold = check_threshold(int(raw))
        except DomainError as err:
            self._error(err.message())
            return None
        self._error("")
        return period, threshold

    @work(thread=True, group="stats", exclusive=True, exit_on_error=False)
    def _compute(
        self, period: Period, indicator: str, threshold: int, seq: int, two_way: bool
    ) -> None:
        try:
            report = self._services.statistics.compute(
                self._principal, period, [indicator], threshold, two_way=two_way
            )
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        self.post_message(self.Computed(report, seq))

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        if message.seq != self._seq:  # the supervisor asked for something else since
            return
        (table,) = message.report.tables
        grid = self.query_one("#stats-table", DataTable)
        grid.clear(columns=True)
        dims = table.indicator.dimensions
        grid.add_columns(*[dimension_label(d) for d in dims], t("stats.dimension.value"))
        for key, value in table.cells():
            labels = [Text(code_label(d, c)) for d, c in zip(dims, key, strict=True)]
            mark = Text(cell_text(value), style="italic dim" if value is None else "")
            grid.add_row(*labels, mark)
        self.query_one(StatsChart).show(table)
        self.query_one("#stats-note", Static).update(Text(t(table.indicator.note_key)))
        if table.table.values.get(table.keys[-1]) == 0:
            self._status(t("stats.screen.no_data"))
            return
        hidden = table.table.suppressed_count
        said = t("stats.screen.suppressed_count", count=hidden, threshold=table.table.threshold)
        if table.totals_lost and table.indicator.id in TWO_WAY and not self._two_way():
            said += " " + t("linked_tables.offer_screen")
        self._status(said)

    def _two_way(self) -> bool:
        return self.query_one("#two-way", Checkbox).value

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        request = self._request()
        if request is None:
            return
        from caseintake.services.core import export_target

        settings = self._services.settings
        browser = to_browser(self.app, settings)
        out = None
        if not browser:
            try:
                out = export_target(settings, self.query_one("#out", Input).value)
            except Exception as error:
                self._error(describe(error))
                return
        self._error("")
        progress = self.query_one("#progress", ProgressBar)
        progress.display = True  # shown from the first export on, never as an idle spinner
        progress.update(total=None, progress=0)
        self._status(t("stats.screen.exporting"))
        self._export(request[0], request[1], out, self._two_way())

    @work(thread=True, group="stats-export", exclusive=True, exit_on_error=False)
    def _export(self, period: Period, threshold: int, out: Path | None, two_way: bool) -> None:
        """To ``out`` in the export folder, or to the browser as a download when None."""

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progressed(done, total))

        stats, who = self._services.statistics, self._principal
        try:
            if out is None:
                _report, name, data = stats.deliver(
                    who, period, "xlsx", None, threshold, None, progress, two_way
                )
            else:
                stats.export(who, period, "xlsx", out, None, threshold, None, progress, two_way)
        except Exception as error:
            self.post_message(self.Failed(describe(error)))
            return
        if out is None:
            self.post_message(self.Delivered(name, data))
        else:
            self.post_message(self.Exported(out))

    @on(Delivered)
    def _delivered(self, message: Delivered) -> None:
        deliver(self.app, message.name, message.data)
        self._status(t("exports.delivered", name=message.name))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self._status(t("stats.screen.exported", path=message.path))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._status("")
        self._error(message.text)

    def _error(self, text: str) -> None:
        box = self.query_one("#stats-error", Static)
        box.update(Text(text))
        box.set_class(bool(text), "-shown")

    def _status(self, text: str) -> None:
        self.query_one("#stats-status", Static).update(Text(text))


def _default_name(period: Period) -> str:
    return f"thong-ke-{period.start.isoformat()}_{period.end.isoformat()}.xlsx"
