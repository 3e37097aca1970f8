"""The keyboard pickers: a few letters without diacritics, a number, Enter."""

from __future__ import annotations

from textual.app import App, ComposeResult

from caseintake.domain.intake import geography
from caseintake.tui.widgets.intake.code_picker import CodePicker, SearchPicker, best_matches, choice
from caseintake.tui.widgets.intake.location_picker import LocationPicker


def labels(picker: SearchPicker, query: str) -> list[str]:
    return [c.label for c in picker.choices(query)]


def test_letters_find_labels_without_diacritics_initials_and_codes():
    items = [choice(c, label, c) for c, label in (
        ("neighbour", "Hàng xóm"), ("health_worker", "Nhân viên y tế"), ("self", "Chính trẻ em"),
    )]  # fmt: skip
    assert [c.value for c in best_matches("hang", items)] == ["neighbour"]
    assert [c.value for c in best_matches("hx", items)] == ["neighbour"]  # initials
    assert [c.value for c in best_matches("HEALTH", items)] == ["health_worker"]  # the code
    assert [c.value for c in best_matches("tre em", items)] == ["self"]  # a word inside
    assert best_matches("zzz", items) == []


def test_code_picker_lists_top_level_concerns_until_something_is_typed():
    picker = CodePicker("concern", multiple=True, top_level=True)
    assert "Bạo lực thể chất" not in labels(picker, "")
    assert labels(picker, "")[0] == "Bạo lực"
    assert "Bạo lực thể chất" in labels(picker, "the chat")
    assert labels(picker, "xam hai")[0] == "Xâm hại tình dục"


class PickerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CodePicker("sex", id="sex")
        yield CodePicker("concern", multiple=True, top_level=True, id="concerns")
        yield LocationPicker({})

    def on_mount(self) -> None:
        self.accepted: list[str | None] = []

    def on_search_picker_accepted(self, event: SearchPicker.Accepted) -> None:
        self.accepted.append(event.picker.id)


async def test_keys_of_single_and_multiple_pickers():
    app = PickerApp()
    async with app.run_test(size=(80, 12)) as pilot:
        sex, concerns = app.query_one("#sex"), app.query_one("#concerns")
        sex.focus()
        await pilot.press("n", "a", "enter")  # "na" = Nam
        assert sex.value == "male" and app.accepted == ["sex"]
        assert app.focused is concerns  # Enter moved on at once
        for keys in (("2",), ("down", "enter")):  # the second of the list: Nam again
            sex.value = None
            sex.focus()
            await pilot.press(*keys)
            assert sex.value == "male" and app.focused is concerns
        sex.focus()
        await pilot.press("backspace")
        assert sex.value is None

        concerns.focus()
        await pilot.press("1", "b", "o", "c", "+")  # Bạo lực; then "boc" = Bóc lột, and stay
        assert concerns.value == ("violence", "exploitation")
        await pilot.press("1")  # a chosen one again: toggled off
        assert concerns.value == ("exploitation",)
        await pilot.press("backspace")
        assert concerns.value == ()
        await pilot.press("enter")  # nothing typed: keeps the value and moves on
        assert app.accepted[-1] == "concerns" and app.focused is app.query_one("#province")


async def test_commune_by_todays_or_former_name_fills_its_province():
    app = PickerApp()
    async with app.run_test(size=(80, 12)) as pilot:
        location = app.query_one(LocationPicker)
        location.ward.focus()
        await pilot.press(*"ben nghe")
        shown = labels(location.ward, location.ward.query)
        assert shown[0].startswith("Phường Sài Gòn (trước: Phường Bến Nghé)")
        await pilot.press("enter")
        ward = geography.ward(location.ward.value)
        assert ward is not None and ward.name == "Phường Sài Gòn"
        assert location.values() == {"province_code": 79, "ward_code": ward.code}

        location.province.focus()
        await pilot.press(*"ha noi", "enter")  # another province: the commune no longer fits
        assert location.values() == {"province_code": 1, "ward_code": None}
        location.ward.focus()
        await pilot.press(*"ben thanh")
        assert labels(location.ward, location.ward.query) == []  # searched in Hà Nội only


def test_a_word_inside_a_sub_type_label_is_found_and_words_in_any_order():
    picker = CodePicker("concern", multiple=True, top_level=True)
    assert "Bắt nạt trên mạng" in labels(picker, "mạng")  # a sub-type, by its last word
    assert labels(picker, "bat mang")[0] == "Bắt nạt trên mạng"  # each word starts a word
    assert "Bắt nạt trên mạng" in labels(picker, "nat")  # inside a label
    assert labels(picker, "zzz mang") == []  # a word that starts nothing finds nothing


class ConcernsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CodePicker("concern", multiple=True, top_level=True, id="concerns")


async def test_long_matches_are_listed_one_under_another_not_cut_off():
    """At the form's width only the first long label fitted on the one line of matches, so
    "mạng" seemed to miss "Bắt nạt trên mạng" (issue 7, item 13)."""
    app = ConcernsApp()
    async with app.run_test(size=(40, 8)) as pilot:
        picker = app.query_one("#concerns", CodePicker)
        picker.focus()
        await pilot.press("m", "a", "n", "g")
        shown = str(picker.render())
        assert "3 Bắt nạt trên mạng" in shown
        await pilot.press("3")  # the number shown picks it
        assert picker.value == ("online_harm.bullying",)
