"""The routing pane beside the form: it follows the form, and emergency actions come first."""

from __future__ import annotations

from tests.tui.intake_helpers import IntakeHost, fill, routed, screen_text


async def test_immediate_danger_puts_the_emergency_calls_first(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen, danger=False)
        await routed(pilot)
        panel = screen.query_one("#routing")
        assert "HÀNH ĐỘNG NGAY" not in panel.render_head().plain
        assert "Chuyển tuyến (1)" in panel.render_head().plain

        await pilot.press("ctrl+g")  # one key, from any field
        await routed(pilot)
        head = panel.render_head().plain
        assert head.index("Khẩn cấp") < head.index("HÀNH ĐỘNG NGAY") < head.index("Chuyển tuyến")
        assert head.index("Gọi 113") < head.index("Gọi 115") < head.index("Chuyển tuyến (2)")
        # The short basis, the emergency line as what it is; no rule id in the normal view.
        assert "NĐ 56/2017/NĐ-CP" in head and "Số khẩn cấp 113 (Cảnh sát)" in head
        assert "immediate_danger" not in head and "DOMAIN" not in head
        text = screen_text(app)
        assert "GỌI 113 · 115 NGAY" in text.splitlines()[0]  # the banner on the top line
        rows = [str(r.render()) for r in screen.query("#routing-rows > Static")]
        assert rows[0].startswith(" 1. UBND cấp xã") and "Phường Bến Thành" in rows[0]
        assert "Hạn 02/03/2026 09:00 (ngay)" in rows[0]
        assert "Căn cứ: NĐ 56/2017/NĐ-CP, Chương III" in rows[0]
        assert "report_to_commune" not in rows[0] and "Art." not in rows[0]
        assert rows[1].startswith(" 2. Công an cấp xã") and "Hạn 02/03/2026 21:00" in rows[1]


async def test_routing_follows_the_form_as_it_fills_in(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        await routed(pilot)
        panel = app.intake.query_one("#routing")
        assert "Chuyển tuyến (0)" in panel.render_head().plain
        assert "vấn đề" in panel.render_notes().plain  # a report needs a concern
        await pilot.press("enter", "enter", "enter", "1", "7", "enter")  # age 17
        await routed(pilot)
        assert "17" in panel.render_notes().plain  # 16–17: not "trẻ em" in the indicators
        await pilot.press("enter", "enter", "enter", "1", "enter")  # no name, address: past the ID
        await routed(pilot)
        assert "Chuyển tuyến (1)" in panel.render_head().plain


async def test_narrow_terminal_keeps_the_banner_and_swaps_in_the_routing(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.intake
        fill(screen)
        await routed(pilot)
        assert not screen.query_one("#intake-side").display
        assert "GỌI 113 · 115 NGAY" in screen_text(app).splitlines()[0]
        await pilot.press("ctrl+r")
        assert screen.query_one("#intake-side").display
        assert not screen.query_one("#intake-form").display
        assert "HÀNH ĐỘNG NGAY" in screen_text(app)
        await pilot.press("ctrl+r")
        assert screen.query_one("#intake-form").display


async def test_details_show_the_full_basis_and_the_rule_ids(services, operator):
    """``i`` on the routing pane opens the details: full citations and rule ids; ``i`` again
    goes back to the short basis. Nothing in either view cites internal notes."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        fill(screen)
        await routed(pilot)
        panel = screen.query_one("#routing")
        panel.focus()
        await pilot.pause()
        assert "i: chi tiết căn cứ" in panel.render_head().plain  # the key, while focused
        await pilot.press("i")
        rows = [str(r.render()) for r in screen.query("#routing-rows > Static")]
        assert "Mã quy tắc: report_to_commune" in rows[0]
        assert "Nghị định 56/2017/NĐ-CP, Chương III (chuyển ngay thông tin về UBND" in rows[0]
        assert "Luật Trẻ em 2016, Điều 52" in rows[0]
        head = panel.render_head().plain
        assert "Mã quy tắc: immediate_danger" in head
        assert "Số điện thoại khẩn cấp quốc gia 113 (Cảnh sát)" in head
        for text in (head, *rows):
            assert not any(m in text for m in ("DOMAIN", "seeds/", ".txt", "per "))
        await pilot.press("i")
        rows = [str(r.render()) for r in screen.query("#routing-rows > Static")]
        assert "Mã quy tắc" not in rows[0] and "Căn cứ: NĐ 56/2017" in rows[0]
