"""Province then commune, found by typing without diacritics ("ben thanh" finds "Bến Thành").

Today's map has 34 provinces and 3,321 communes and no districts (Nghị định 147/2025/NĐ-CP).
A pre-2025 ward name still finds the commune that took its area, shown with the old name, so a
caller who says "Bến Nghé" is placed in today's "Sài Gòn". Choosing a commune first fills in
its province; changing the province clears a commune that is not in it.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical

from caseintake.domain.intake import geography
from caseintake.domain.intake.geography import fold
from caseintake.i18n import t
from caseintake.tui.widgets.intake.code_picker import MAX_SHOWN, Choice, SearchPicker, best_matches
from caseintake.tui.widgets.intake.fields import FieldRow


class ProvincePicker(SearchPicker):
    """One of the 34 provinces; "hcm" (initials) or "ho chi" both find Hồ Chí Minh."""

    def __init__(self, value: int | None = None, **kw: Any) -> None:
        super().__init__(value, **kw)
        self._all = [
            Choice(p.code, p.name, fold(p.short_name), fold(p.name)) for p in geography.provinces()
        ]

    def choices(self, query: str) -> list[Choice]:
        return best_matches(query, self._all) if query.strip() else list(self._all)

    def label_of(self, value: Any) -> str:
        province = geography.province(value)
        return province.name if province else str(value)


class WardPicker(SearchPicker):
    """A commune, ward or special zone of today's map, within the chosen province if any."""

    def __init__(self, value: int | None = None, **kw: Any) -> None:
        super().__init__(value, **kw)
        self.province_code: int | None = None

    def choices(self, query: str) -> list[Choice]:
        if not query.strip():
            return []
        found = geography.search_wards(query, self.province_code, limit=MAX_SHOWN)
        return [Choice(w.code, self._label(w), fold(w.name)) for w in found]

    def _label(self, ward: geography.Ward) -> str:
        text = ward.name
        if ward.former_name:
            text += " " + t("intake.location.former", former=ward.former_name)
        if self.province_code is None:
            province = geography.province(ward.province_code)
            text += f" · {province.short_name}" if province else ""
        return text

    def label_of(self, value: Any) -> str:
        ward = geography.ward(value)
        return ward.name if ward else str(value)


class LocationPicker(Vertical):
    """The two rows of the location: province, then commune."""

    DEFAULT_CSS = "LocationPicker { height: auto; }"

    def __init__(self, location: dict[str, Any]) -> None:
        super().__init__()
        self.initial = location

    def compose(self) -> ComposeResult:
        hint = t("intake.placeholder.type_to_search")
        province = ProvincePicker(
            self.initial.get("province_code"), id="province", placeholder=hint
        )
        ward = WardPicker(self.initial.get("ward_code"), id="ward", placeholder=hint)
        ward.province_code = province.value
        yield FieldRow(t("intake.field.province"), province, "location.province_code")
        yield FieldRow(t("intake.field.ward"), ward, "location.ward_code")

    @property
    def province(self) -> ProvincePicker:
        return self.query_one(ProvincePicker)

    @property
    def ward(self) -> WardPicker:
        return self.query_one(WardPicker)

    def values(self) -> dict[str, int | None]:
        return {"province_code": self.province.value, "ward_code": self.ward.value}

    @on(SearchPicker.Changed, "#province")
    def _province_changed(self, event: SearchPicker.Changed) -> None:
        self.ward.province_code = event.value
        ward = geography.ward(self.ward.value)
        if ward is not None and event.value is not None and ward.province_code != event.value:
            self.ward.value = None

    @on(SearchPicker.Changed, "#ward")
    def _ward_changed(self, event: SearchPicker.Changed) -> None:
        ward = geography.ward(event.value)
        if ward is not None and self.province.value is None:
            self.province.value = ward.province_code
