"""The child or children the call is about, and the alleged perpetrators.

Enter moves through age, sex, name, address and the personal identification number (mã định
danh cá nhân, issue 24; past it when the name is empty) (a free-text field is never skipped: a name
typed after the sex must land in the name); age basis, ethnicity, disability and special
circumstances (Luật Trẻ em 2016 Art. 10) are detail rows reached with Tab. The perpetrator's
name follows the relationship the same way. Untouched rows are not saved (``form_state``).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from caseintake.i18n import t
from caseintake.tui.form_state import empty_child, empty_perpetrator
from caseintake.tui.widgets.intake.code_picker import CodePicker
from caseintake.tui.widgets.intake.fields import FieldRow, YesNo, text_row


class ChildForm(Vertical):
    DEFAULT_CSS = "ChildForm { height: auto; }"

    def __init__(self, index: int, values: dict[str, Any] | None = None) -> None:
        super().__init__(classes="child")
        self.index = index
        self.initial = dict(empty_child(), **(values or {}))

    def compose(self) -> ComposeResult:
        v, p = self.initial, f"children[{self.index}]"
        yield Static(t("intake.section.child", number=self.index + 1), classes="section-title")
        yield text_row(t("intake.field.age"), f"{p}.age", "age", value=v["age"], id="age")
        yield FieldRow(
            t("intake.field.age_basis"),
            CodePicker("age_basis", v["age_basis"], id="age-basis"),
            f"{p}.age_basis",
            detail=True,
        )
        yield FieldRow(t("intake.field.sex"), CodePicker("sex", v["sex"], id="sex"), f"{p}.sex")
        yield FieldRow(
            t("intake.field.ethnicity"),
            CodePicker("ethnicity", v["ethnicity"], id="ethnicity"),
            f"{p}.ethnicity",
            detail=True,
        )
        disability = YesNo(
            t("intake.yes"), t("intake.no"), value=bool(v["disability"]), id="disability"
        )
        yield FieldRow(t("intake.field.disability"), disability, f"{p}.disability", detail=True)
        yield FieldRow(
            t("intake.field.special_circumstances"),
            CodePicker(
                "special_circumstance", v["special_circumstances"], multiple=True, id="special"
            ),
            f"{p}.special_circumstances",
            detail=True,
        )
        yield text_row(
            t("intake.field.name"),
            f"{p}.name",
            "name",
            value=v["name"],
            id="child-name",
        )
        yield text_row(
            t("intake.field.address"),
            f"{p}.address",
            "address",
            value=v["address"],
            id="address",
        )
        yield text_row(
            t("intake.field.personal_id"),
            f"{p}.personal_id",
            "personal_id",
            value=v["personal_id"],
            id="personal-id",
        )

    def on_mount(self) -> None:
        # A child with no name rarely has an ID to give: Enter goes past it (29 keys for the
        # reference report); Tab and the arrows still reach it, and a named child's stops.
        name = self.query_one("#child-name", Input)
        personal_id: Any = self.query_one("#personal-id", Input)
        personal_id.passed_by_enter = lambda: not name.value.strip()

    def values(self) -> dict[str, Any]:
        return {
            "age": self.query_one("#age", Input).value,
            "age_basis": self.query_one("#age-basis", CodePicker).value,
            "sex": self.query_one("#sex", CodePicker).value,
            "ethnicity": self.query_one("#ethnicity", CodePicker).value,
            "disability": self.query_one("#disability", YesNo).value,
            "special_circumstances": list(self.query_one("#special", CodePicker).value),
            "name": self.query_one("#child-name", Input).value,
            "address": self.query_one("#address", Input).value,
            "personal_id": self.query_one("#personal-id", Input).value,
        }


class PerpetratorForm(Vertical):
    DEFAULT_CSS = "PerpetratorForm { height: auto; }"

    def __init__(self, index: int, values: dict[str, Any] | None = None) -> None:
        super().__init__(classes="perpetrator")
        self.index = index
        self.initial = dict(empty_perpetrator(), **(values or {}))

    def compose(self) -> ComposeResult:
        p = f"perpetrators[{self.index}]"
        title = t("intake.section.perpetrator", number=self.index + 1)
        yield Static(title, classes="section-title")
        picker = CodePicker(
            "perpetrator_relationship", self.initial["relationship"], id="relationship"
        )
        yield FieldRow(t("intake.field.perpetrator_relationship"), picker, f"{p}.relationship")
        yield text_row(
            t("intake.field.name"),
            f"{p}.name",
            "name",
            value=self.initial["name"],
            id="perp-name",
        )

    def values(self) -> dict[str, Any]:
        return {
            "relationship": self.query_one("#relationship", CodePicker).value,
            "name": self.query_one("#perp-name", Input).value,
        }


class PeopleList(Vertical):
    """A growing list of child or perpetrator forms (ctrl+n adds a child, ctrl+b a perpetrator)."""

    DEFAULT_CSS = "PeopleList { height: auto; }"

    def __init__(
        self, form: type[ChildForm] | type[PerpetratorForm], items: list[Any], id: str
    ) -> None:
        super().__init__(id=id)
        self.form, self.items = form, items

    def compose(self) -> ComposeResult:
        for i, item in enumerate(self.items or [{}]):
            yield self.form(i, item)

    def values(self) -> list[dict[str, Any]]:
        return [f.values() for f in self.query_children(self.form)]

    async def add(self) -> Vertical:
        form = self.form(len(self.query_children(self.form)))
        await self.mount(form)
        return form

    async def replace(self, items: list[dict[str, Any]]) -> None:
        """Other people in the list (a linked case's children or perpetrators)."""
        await self.remove_children()
        await self.mount_all([self.form(i, item) for i, item in enumerate(items or [{}])])
