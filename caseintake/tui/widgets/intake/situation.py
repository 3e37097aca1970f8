"""What happened and where: concerns, signs of a crime, setting, location, immediate danger,
counselling topics.

Concerns are the forms of abuse of Luật Trẻ em 2016 Art. 4 and the other risks the directives
name (DOMAIN §2); signs of a crime are what the operator heard that the police (or, for
violence by officials, the Procuracy) must be told at once (BLTTHS 2015 Arts. 144–145), beside
what routing infers; the setting is the "môi trường xâm hại" of the national indicator.
Immediate danger is one key (c = có / yes) because it puts 113 and 115 first in routing.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from caseintake.i18n import t
from caseintake.tui.widgets.intake.code_picker import CodePicker
from caseintake.tui.widgets.intake.fields import FieldRow, YesNo
from caseintake.tui.widgets.intake.location_picker import LocationPicker


class SituationSection(Vertical):
    DEFAULT_CSS = """
    SituationSection { height: auto; }
    SituationSection #topics-row { display: none; }
    SituationSection.-counselling #topics-row { display: block; }
    """

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__()
        self.initial = values

    def compose(self) -> ComposeResult:
        v = self.initial
        yield Static(t("intake.section.situation"), classes="section-title")
        topics = CodePicker(
            "counselling_topic", v["counselling_topics"], multiple=True, id="topics"
        )
        yield FieldRow(
            t("intake.field.counselling_topics"), topics, "counselling_topics", id="topics-row"
        )
        concerns = CodePicker(
            "concern", v["concerns"], multiple=True, top_level=True, id="concerns"
        )
        yield FieldRow(t("intake.field.concerns"), concerns, "concerns")
        # A detail row (Tab from the concerns): Enter walks on to the setting, so the keys of a
        # report stay as they were; routing infers most signs anyway.
        signs = CodePicker(
            "crime_sign", v.get("crime_signs") or [], multiple=True, id="crime-signs"
        )
        yield FieldRow(t("law.field_crime_signs"), signs, "crime_signs", detail=True)
        setting = CodePicker("setting", v["setting"], id="setting")
        yield FieldRow(t("intake.field.setting"), setting, "setting")
        yield LocationPicker(v["location"])

    def values(self) -> dict[str, Any]:
        return {
            "concerns": list(self.query_one("#concerns", CodePicker).value),
            "crime_signs": list(self.query_one("#crime-signs", CodePicker).value),
            "setting": self.query_one("#setting", CodePicker).value,
            "location": self.query_one(LocationPicker).values(),
            "counselling_topics": list(self.query_one("#topics", CodePicker).value),
        }

    def load(self, values: dict[str, Any]) -> None:
        self.query_one("#concerns", CodePicker).value = values["concerns"]
        self.query_one("#setting", CodePicker).value = values["setting"]
        location = self.query_one(LocationPicker)
        location.province.value = values["location"]["province_code"]
        location.ward.province_code = values["location"]["province_code"]
        location.ward.value = values["location"]["ward_code"]

    def show_counselling(self, on: bool) -> None:
        self.set_class(on, "-counselling")


class DangerRow(FieldRow):
    """Immediate danger to life or health: the emergency actions of routing depend on it."""

    def __init__(self, value: bool) -> None:
        yes, no = t("intake.danger.yes"), t("intake.danger.no")
        toggle = YesNo(yes, no, value=value, id="danger", classes="danger")
        super().__init__(t("intake.field.immediate_danger"), toggle, "immediate_danger")
