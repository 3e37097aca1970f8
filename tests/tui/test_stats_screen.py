"""The supervisor's statistics screen, driven by Pilot and checked against the database."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from caseintake.tui.screens.supervisor.stats_screen import StatsChart, StatsScreen
from tests.tui.conftest import settle, sql


class Host(App[None]):
    def __init__(self, screen: StatsScreen) -> None:
        super().__init__()
        self._stats = screen

    def on_mount(self) -> None:
        self.push_screen(self._stats)


@pytest.fixture
def calls(services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    """25 silent calls, 12 hang-ups and 3 wrong numbers on 1 March 2026."""
    start = clock() - timedelta(days=1)
    for kind, n in (("silent", 25), ("hang_up", 12), ("wrong_number", 3)):
        for i in range(n):
            services.intake.log_non_data(operator, kind, start - timedelta(minutes=i), 10)


def rows(screen: StatsScreen) -> list[list[str]]:
    grid = screen.query_one("#stats-table", DataTable)
    return [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]


def text_of(screen: StatsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def show(pilot: Any, start: str, end: str, threshold: str = "10") -> None:
    screen = pilot.app.screen
    screen.query_one("#from", Input).value = start
    screen.query_one("#to", Input).value = end
    screen.query_one("#threshold", Input).value = threshold
    screen.action_show()
    await settle(pilot)


async def test_table_marks_suppressed_cells_and_draws_bars(services, supervisor, calls) -> None:  # type: ignore[no-untyped-def]
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "2026-03-01", "2026-03-31")
        screen = pilot.app.screen
        got = rows(screen)
        # 3 wrong numbers are hidden, and so is the 12 hang-ups that would give them away.
        assert ["Cuộc gọi im lặng", "25"] in got
        assert ["Gác máy", "(ẩn)"] in got and ["Nhầm số", "(ẩn)"] in got
        assert got[-1] == ["Tổng", "40"]
        bars = screen.query_one(StatsChart).query(ProgressBar)
        assert sorted(b.progress for b in bars) == [0, 0, 25]
        # A hidden cell draws no track either (an empty track read as a full bar at 80x24).
        assert [b.visible for b in bars].count(False) == 2
        assert not screen.query_one("#progress", ProgressBar).display  # no idle spinner
        assert "2 ô bị ẩn" in text_of(screen, "#stats-status")


async def test_a_due_report_fills_its_period(services, supervisor) -> None:  # type: ignore[no-untyped-def]
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        # No contact yet: this month (the clock reads 2 March 2026), days as people write them.
        assert screen.query_one("#from", Input).value == "01/03/2026"
        assert screen.query_one("#to", Input).value == "31/03/2026"
        screen.query_one("#due", Select).value = "1"  # the Month of Action report
        await settle(pilot)
        assert screen.query_one("#from", Input).value == "01/06/2026"
        assert screen.query_one("#to", Input).value == "30/06/2026"
        assert rows(screen) == [["Tổng", "0"]]
        assert "Không có số liệu" in text_of(screen, "#stats-status")


@pytest.mark.parametrize(
    ("start", "end", "threshold", "words"),
    [
        ("2026-03-31", "2026-03-01", "10", "sau ngày kết thúc"),
        ("2026-03-01", "2026-03-31", "2", "từ 3 trở lên"),
        ("31/02/2026", "31/03/2026", "10", "không hợp lệ"),
        ("2026/03/01", "31/03/2026", "10", "dd/mm/yyyy"),
    ],
)
async def test_bad_input_is_an_inline_sentence(  # type: ignore[no-untyped-def]
    services, supervisor, calls, start: str, end: str, threshold: str, words: str
) -> None:
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        before = rows(pilot.app.screen)
        await show(pilot, start, end, threshold)
        assert words in text_of(pilot.app.screen, "#stats-error")
        assert rows(pilot.app.screen) == before  # the last good table stays


async def test_opens_on_the_latest_period_with_data_and_takes_dd_mm_yyyy(  # type: ignore[no-untyped-def]
    services, supervisor, operator, clock
) -> None:
    """Issue 19, item 9: not an empty future report; the last contact was in January."""
    services.intake.log_non_data(operator, "silent", clock() - timedelta(days=40), 10)
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.query_one("#from", Input).value == "01/01/2026"
        assert screen.query_one("#to", Input).value == "31/01/2026"
        assert ["Cuộc gọi im lặng", "1"] in rows(screen) or rows(screen)[-1] == ["Tổng", "(ẩn)"]
        assert "thong-ke-2026-01-01_2026-01-31.xlsx" in screen.query_one("#out", Input).value
        await show(pilot, "01/01/2026", "15/01/2026")  # typed as in the case search
        assert text_of(screen, "#stats-error") == ""
        assert "thong-ke-2026-01-01_2026-01-15.xlsx" in screen.query_one("#out", Input).value


async def test_an_operator_sees_the_refusal(services, operator) -> None:  # type: ignore[no-untyped-def]
    app = Host(StatsScreen(services, operator))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        refusal = text_of(pilot.app.screen, "#stats-error")
        assert "tư vấn viên" in refusal and "operator" not in refusal  # the role in words
        assert rows(pilot.app.screen) == []


async def test_export_runs_in_a_worker_with_progress(  # type: ignore[no-untyped-def]
    services, supervisor, calls, export_folder: Path
) -> None:
    out = export_folder / "march.xlsx"  # a name in the export folder, never a path
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await show(pilot, "2026-03-01", "2026-03-31")
        screen = pilot.app.screen
        screen.query_one("#out", Input).value = "march.xlsx"
        screen.action_export()
        await settle(pilot)
        bar = screen.query_one("#progress", ProgressBar)
        assert bar.total == 11 and bar.progress == 11  # ten indicators and the medians
        assert str(out) in text_of(screen, "#stats-status")
    assert out.stat().st_size > 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(export_folder.stat().st_mode) == 0o700
    exported = sql(
        services, "SELECT count(*) FROM audit_events WHERE action = :a", a="statistics_exported"
    )
    assert exported == [(1,)]


async def test_a_path_for_a_name_is_refused_inline(  # type: ignore[no-untyped-def]
    services, supervisor, tmp_path: Path
) -> None:
    out = tmp_path / "nowhere" / "x.xlsx"
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one("#out", Input).value = str(out)
        pilot.app.screen.action_export()
        await settle(pilot)
        assert "Tên tệp không hợp lệ" in text_of(pilot.app.screen, "#stats-error")
    assert not out.parent.exists()
    exported = sql(
        services, "SELECT count(*) FROM audit_events WHERE action = :a", a="statistics_exported"
    )
    assert exported == [(0,)]


async def test_two_way_tables_are_shown_and_exported_when_ticked(  # type: ignore[no-untyped-def]
    services, supervisor, calls, export_folder: Path
) -> None:
    import json

    from textual.widgets import Checkbox

    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#indicator", Select).value = "abused_children_0101"
        screen.query_one("#two-way", Checkbox).value = True
        await show(pilot, "2026-03-01", "2026-03-31")
        assert rows(screen) and all("Tổng" in (r[1], r[2]) for r in rows(screen))
        screen.query_one("#out", Input).value = "two-way.xlsx"
        screen.action_export()
        await settle(pilot)
    (cells,) = sql(
        services,
        "SELECT cells FROM statistics_releases WHERE indicator = :i",
        i="abused_children_0101",
    )
    assert all(c[1] == "*" or c[2] == "*" for c in json.loads(cells[0]))
    assert (export_folder / "two-way.xlsx").stat().st_size > 0


async def test_a_long_label_keeps_a_space_before_its_bar(
    services, supervisor, calls, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Issue 19, second walk: a label as wide as its column ran into the bar. It is cut with an
    ellipsis and one space always stands between it and the bar."""
    from caseintake.tui.screens.supervisor import stats_screen
    from tests.tui.intake_helpers import screen_text

    long = "Cuộc-gọi-im-lặng-kéo-dài"  # wider than the label column (18), no space to wrap at
    real = stats_screen.code_label
    monkeypatch.setattr(
        stats_screen, "code_label", lambda dim, code: long if code == "silent" else real(dim, code)
    )
    app = Host(StatsScreen(services, supervisor))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await show(pilot, "2026-03-01", "2026-03-31")
        chart = pilot.app.screen.query_one(StatsChart)
        lines = screen_text(pilot.app).splitlines()
        for row in chart.query(".bar-row").exclude(".-suppressed"):  # a hidden cell: no bar
            line = lines[row.region.y][row.region.x : row.region.right]
            label = line.partition("━")[0]
            assert label.endswith(" ") and label.strip(), line
        silent = lines[chart.query(".bar-row").first().region.y]
        assert "Cuộc-gọi-im-lặng-… ━" in silent, silent  # cut, marked, then one space
