"""A commune filter: type without diacritics ("ben nghe"), pick from today's wards."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from caseintake.domain.intake.geography import Ward, province, search_wards

_SHOWN = 6


def ward_label(ward: Ward) -> str:
    found = province(ward.province_code)
    return f"{ward.name}, {found.short_name}" if found else ward.name


class CommuneFilter(Vertical):
    DEFAULT_CSS = """
    CommuneFilter {
        height: auto;
    }
    CommuneFilter OptionList {
        display: none;
        height: auto;
        max-height: 8;
        overlay: screen;
        constrain: none inside;
    }
    CommuneFilter OptionList.-shown {
        display: block;
    }
    """

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder
        self.ward: Ward | None = None
        self._matches: list[Ward] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, compact=True, id="commune-text")
        yield OptionList(id="commune-matches")

    @property
    def ward_code(self) -> int | None:
        return self.ward.code if self.ward else None

    def clear(self) -> None:
        self.ward = None
        self.query_one(Input).value = ""
        self._hide()

    @on(Input.Changed, "#commune-text")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.ward is not None and event.value == ward_label(self.ward):
            return
        self.ward = None
        self._matches = search_wards(event.value, limit=_SHOWN) if event.value.strip() else []
        matches = self.query_one(OptionList)
        matches.clear_options()
        matches.add_options(Option(ward_label(w)) for w in self._matches)
        matches.set_class(bool(self._matches), "-shown")

    @on(Input.Submitted, "#commune-text")
    def _take_first(self, event: Input.Submitted) -> None:
        # Enter keeps the best match and lets the search run (the event bubbles on).
        if self.ward is None and self._matches:
            self._choose(self._matches[0])

    def key_down(self) -> None:
        if self._matches and self.query_one(Input).has_focus:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#commune-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self._matches[event.option_index])
        self.query_one(Input).focus()

    def _choose(self, ward: Ward) -> None:
        self.ward = ward
        self.query_one(Input).value = ward_label(ward)
        self._hide()

    def _hide(self) -> None:
        self._matches = []
        self.query_one(OptionList).remove_class("-shown")
