"""The first part of the call: what kind of contact it is and who is calling.

The phone number, once it is valid, is announced with ``PhoneEntered`` so the screen can show
the caller's earlier contacts and cases; a case chosen there is shown here as the link. The
caller's own age group and sex (for statistics) come last: on the way of Enter for counselling
and information calls, where the caller is usually the person helped; a detail (Tab) otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from caseintake.domain.intake.phones import normalise_phone
from caseintake.i18n import t
from caseintake.tui.widgets.intake.code_picker import CodePicker
from caseintake.tui.widgets.intake.fields import FieldRow, text_row


class ContactTypeRow(FieldRow):
    def __init__(self, value: str) -> None:
        super().__init__(
            t("intake.field.contact_type"),
            CodePicker("contact_type", value, id="contact-type"),
            "contact_type",
        )


class CallerSection(Vertical):
    """Relationship to the child, name and phone of the caller; the linked case, if any."""

    DEFAULT_CSS = """
    CallerSection { height: auto; }
    CallerSection #linked-case { padding: 0 0 0 16; color: $text-success; display: none; }
    CallerSection.-linked #linked-case { display: block; }
    """

    @dataclass
    class PhoneEntered(Message):
        """A valid phone number (E.164) is in the field, or None when it was cleared."""

        phone: str | None

    def __init__(self, caller: dict[str, Any]) -> None:
        super().__init__()
        self.initial = caller

    def compose(self) -> ComposeResult:
        v = self.initial
        yield Static(t("intake.section.caller"), classes="section-title")
        yield FieldRow(
            t("intake.field.caller_relationship"),
            CodePicker("caller_relationship", v.get("relationship"), id="caller-relationship"),
            "caller.relationship",
        )
        name = v.get("name") or ""
        yield text_row(t("intake.field.name"), "caller.name", "name", value=name, id="caller-name")
        yield text_row(
            t("intake.field.phone"),
            "caller.phone",
            "phone",
            value=v.get("phone") or "",
            id="caller-phone",
            placeholder=t("intake.placeholder.phone"),
        )
        yield Static("", id="linked-case")
        yield FieldRow(
            t("intake.field.caller_age_group"),
            CodePicker("caller_age_group", v.get("age_group"), id="caller-age-group"),
            "caller.age_group",
            detail=True,
            id="caller-age-row",
        )
        yield FieldRow(
            t("intake.field.caller_sex"),
            CodePicker("sex", v.get("sex"), id="caller-sex"),
            "caller.sex",
            detail=True,
            id="caller-sex-row",
        )

    def values(self) -> dict[str, Any]:
        return {
            "relationship": self.query_one("#caller-relationship", CodePicker).value,
            "name": self.query_one("#caller-name", Input).value,
            "phone": self.query_one("#caller-phone", Input).value,
            "age_group": self.query_one("#caller-age-group", CodePicker).value,
            "sex": self.query_one("#caller-sex", CodePicker).value,
        }

    def about_the_caller(self, on: bool) -> None:
        """Counselling or information: the caller's age group and sex are on the way of Enter."""
        for row in self.query("#caller-age-row, #caller-sex-row"):
            row.set_class(not on, "detail")

    def show_link(self, case_number: str | None) -> None:
        self.set_class(case_number is not None, "-linked")
        text = t("intake.caller.linked", number=case_number) if case_number else ""
        self.query_one("#linked-case", Static).update(text)

    @on(Input.Changed, "#caller-phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        self.post_message(self.PhoneEntered(normalise_phone(event.value)))
