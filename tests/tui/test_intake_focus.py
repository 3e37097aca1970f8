"""Where typed words land (issue 7, item 3): the cursor follows the form as drawn, no free-text
field is skipped, and a one-letter yes/no toggle is never reached by a field moving on by
itself, so a name can never answer "immediate danger"."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input, TextArea

from caseintake.tui.widgets.intake.fields import YesNo
from tests.tui.intake_helpers import IntakeHost, pick, set_text, sql, wait_until

_KEY_NAMES = {" ": "space", ".": "full_stop", ",": "comma", "-": "minus", "'": "apostrophe"}


def type_now(app: App[Any], *keys: str) -> None:
    """Queue keys as a terminal sends them, without waiting for the app: a burst. A key longer
    than one letter is a named key ("enter"); text is sent letter by letter."""
    for key in keys:
        if key in ("enter", "tab"):
            app.post_message(events.Key(key, "\r" if key == "enter" else "\t"))
            continue
        for char in key:
            name = _KEY_NAMES.get(char, char)
            app.post_message(events.Key(name, char))


def value(screen: Any, selector: str) -> Any:
    widget = screen.query_one(selector)
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value


TEXTS = {
    "#caller-name": "Trần Thị Hoa",
    "#caller-phone": "0912345678",
    "#age": "9",
    "#child-name": "Cao Thị Mai",
    "#address": "12 Lê Lợi, tổ 3",
    "#personal-id": "079316123456",
    "#perp-name": "Cao Văn Chiến",
    "#narrative": "Cháu bị đánh, cô nghe tiếng khóc.",
}


async def test_every_fields_text_typed_in_one_burst_lands_in_its_field(services, operator):
    """A practised operator types the whole report without waiting for the screen: names
    after pickers, a name starting with c/y/k/n, and never touches the danger toggle."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        await wait_until(pilot, lambda: app.focused is screen.query_one("#caller-relationship"))
        type_now(app, "h", "enter")  # caller: Hàng xóm
        type_now(app, TEXTS["#caller-name"], "enter", TEXTS["#caller-phone"], "enter")
        type_now(app, TEXTS["#age"], "enter", "1")  # sex 1 = Nữ moves on by itself
        type_now(app, TEXTS["#child-name"], "enter", TEXTS["#address"], "enter")
        type_now(app, TEXTS["#personal-id"], "enter")
        type_now(app, "1", "enter", "1")  # concern Bạo lực; setting Gia đình
        type_now(app, "hcm", "enter", "ben th", "enter")
        type_now(app, "1")  # perpetrator Cha, mẹ moves on by itself: to the name
        type_now(app, TEXTS["#perp-name"], "enter")
        type_now(app, "enter")  # danger: Enter keeps "no" and moves on
        type_now(app, TEXTS["#narrative"])
        narrative = screen.query_one("#narrative", TextArea)
        await wait_until(pilot, lambda: narrative.text == TEXTS["#narrative"], timeout=30)

        for selector, text in TEXTS.items():
            assert value(screen, selector) == text, selector
        assert value(screen, "#caller-relationship") == "neighbour"
        assert value(screen, "#sex") == "female"
        assert value(screen, "#concerns") == ("violence",)
        assert value(screen, "#setting") == "family"
        assert (value(screen, "#province"), value(screen, "#ward")) == (79, 26743)
        assert value(screen, "#relationship") == "parent"
        assert screen.query_one("#danger", YesNo).value is False


async def test_a_name_typed_after_the_relationship_lands_in_the_perpetrators_name(
    services, operator
):
    """The exact report of issue 7: "Cao Văn Chiến" typed after choosing the relationship set
    danger, raised the priority and left "ao Văn Chiến" in the narrative."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        screen.query_one("#relationship").focus()
        await pilot.press("1")
        assert app.focused is screen.query_one("#perp-name")
        type_now(app, "Cao Văn Chiến")
        perp = screen.query_one("#perp-name", Input)
        await wait_until(pilot, lambda: perp.value == "Cao Văn Chiến")
        assert screen.query_one("#danger", YesNo).value is False
        assert screen.query_one("#narrative", TextArea).text == ""
        await pilot.press("ctrl+s")  # nothing else filled: refused, but never an emergency
        await wait_until(pilot, lambda: not screen._saving)
    assert sql(services, "select count(*) from cases") == [(0,)]


async def test_enter_walks_the_form_as_drawn_and_stops_in_every_text_field(services, operator):
    app = IntakeHost(services, operator, contact_type=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        seen: list[str] = []
        while app.focused is not screen.query_one("#narrative"):
            seen.append(str(app.focused.id))
            await pilot.press("enter")
        assert seen == [
            "contact-type",
            "caller-relationship",
            "caller-name",
            "caller-phone",
            "age",
            "sex",
            "child-name",
            "address",
            "concerns",  # no name: Enter passes the personal ID (Tab reaches it)
            "setting",
            "province",
            "ward",
            "relationship",
            "perp-name",
            "danger",
        ]
        # Tab also reaches the detail rows, in the order they are drawn.
        screen.query_one("#age").focus()
        tabbed = []
        for _ in range(7):
            await pilot.press("tab")
            tabbed.append(str(app.focused.id))
        assert tabbed == [
            "age-basis",
            "sex",
            "ethnicity",
            "disability",
            "special",
            "child-name",
            "address",
        ]


async def test_enter_passes_the_personal_id_only_when_the_child_has_no_name(services, operator):
    """Issue 19, second walk: the reference report's 30th key was Enter on the ID of a child
    with no name. With no name, Enter goes past it and Tab still reaches it; with the name
    typed (in one burst, Enter after it), the ID typed next always lands in its field."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        pin = screen.query_one("#personal-id", Input)
        screen.query_one("#child-name").focus()
        await pilot.press("enter", "enter")
        assert app.focused is screen.query_one("#concerns")
        screen.query_one("#address").focus()
        await pilot.press("tab")
        assert app.focused is pin  # Tab still stops there
        screen.query_one("#child-name").focus()
        type_now(app, "Cao Thị Mai", "enter", "enter", "079316123456", "enter")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#concerns"))
        assert pin.value == "079316123456"
        assert screen.query_one("#child-name", Input).value == "Cao Thị Mai"
        assert screen.query_one("#concerns").value == ()  # nothing spilled past the ID


async def test_a_number_never_moves_on_to_a_yes_no_toggle(services, operator):
    """Counselling hides the perpetrator, so the commune comes right before danger: choosing
    it with a number keeps the cursor there, and the letters that follow cannot answer."""
    app = IntakeHost(services, operator, contact_type="counselling")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        pick(screen, "#province", 79)
        screen.query_one("#ward").focus()
        await pilot.press("b", "e", "n", "space", "t", "h", "1")
        assert screen.query_one("#ward").value == 26743
        assert app.focused is screen.query_one("#ward")  # not the toggle
        await pilot.press("c")  # a letter now only filters the commune list
        danger = screen.query_one("#danger", YesNo)
        assert danger.value is False
        await pilot.press("backspace", "enter")  # Enter: the operator moves on deliberately
        assert app.focused is danger
        await pilot.press("c")
        assert danger.value is True


async def test_changing_danger_is_shown_in_the_header_for_a_moment(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        screen.header.FLASH_SECONDS = 2.0  # long enough to be seen on a loaded machine
        flash = screen.header.query_one("#intake-flash")
        assert not flash.display
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: flash.display)
        assert "NGUY HIỂM NGAY: CÓ" in str(flash.render())
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: "Nguy hiểm ngay: không" in str(flash.render()))
        await wait_until(pilot, lambda: not flash.display)  # for a moment only


async def test_a_choice_clears_the_stale_must_have_a_concern_message(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        set_text(screen, "#age", "9")
        await pilot.press("ctrl+s")  # refused: no concern
        await wait_until(pilot, lambda: not screen._saving)
        row = screen.form.rows()["concerns"]
        assert row.has_class("-error")
        pick(screen, "#concerns", ("violence",))
        await pilot.pause()
        assert not row.has_class("-error")


async def test_the_caller_is_the_child_so_the_name_is_copied_to_child_one(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        pick(screen, "#caller-relationship", "self")
        set_text(screen, "#caller-name", "Lê Văn An")
        await pilot.pause()
        child = screen.query_one("#child-name", Input)
        assert child.value == "Lê Văn An"
        set_text(screen, "#caller-name", "Lê Văn Anh")  # corrected: follows
        await pilot.pause()
        assert child.value == "Lê Văn Anh"
        child.value = "Lê Thị Bình"  # typed apart by the operator: kept
        set_text(screen, "#caller-name", "Lê Văn Ánh")
        await pilot.pause()
        assert child.value == "Lê Thị Bình"

        pick(screen, "#caller-relationship", "neighbour")  # another caller: nothing copied
        set_text(screen, "#caller-name", "Hoa")
        await pilot.pause()
        assert child.value == "Lê Thị Bình"


async def test_the_row_with_the_cursor_is_marked_without_colour(services, operator):
    app = IntakeHost(services, operator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.intake
        screen.query_one("#age").focus()
        await pilot.pause()
        rows = screen.form.rows()
        focused = rows["children[0].age"].query_one(".field-label")
        other = rows["children[0].sex"].query_one(".field-label")
        assert focused.styles.text_style.reverse  # reversed: shows in 16 colours too
        assert not other.styles.text_style.reverse


async def test_tab_after_the_narrative_never_stops_where_nothing_shows(services, operator):
    """At 80×24 the side pane is hidden: Tab from the narrative goes round to the first field,
    not to the form's scroll container, where typed words would show nowhere."""
    app = IntakeHost(services, operator)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.intake
        screen.query_one("#narrative", TextArea).focus()
        await pilot.press("tab")
        await wait_until(pilot, lambda: screen.focused is not None)
        focused = screen.focused
        assert focused is not screen.form and focused.region.area > 0, focused
        await pilot.press("shift+tab")
        assert screen.focused is screen.query_one("#narrative", TextArea)
