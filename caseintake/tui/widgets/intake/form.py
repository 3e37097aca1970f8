"""The whole intake form, in the order of the conversation, with Enter moving to the next step.

Order: contact type, caller, child(ren), what happened and where, alleged perpetrator(s),
immediate danger, narrative; the cursor follows it as drawn. ``values()`` returns the plain
dict of ``form_state``; ``load_case`` puts a linked case's children, place, concerns and
perpetrators in; ``show_errors`` puts the domain's field errors under their rows and keeps
every typed value. When the caller is the child, the caller's name is the child's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from caseintake.domain.errors import FieldError
from caseintake.domain.intake.taxonomy import non_data_contact_types
from caseintake.i18n import t
from caseintake.tui.form_state import Values, empty_values
from caseintake.tui.widgets.intake.caller import CallerSection, ContactTypeRow
from caseintake.tui.widgets.intake.children import ChildForm, PeopleList, PerpetratorForm
from caseintake.tui.widgets.intake.code_picker import CodePicker, SearchPicker
from caseintake.tui.widgets.intake.fields import FieldRow, NarrativeArea, YesNo, error_text
from caseintake.tui.widgets.intake.situation import DangerRow, SituationSection

# Contacts about the caller themself: their age group and sex are asked on the way of Enter.
ABOUT_THE_CALLER = ("counselling", "information")


class IntakeForm(VerticalScroll):
    """The form; it announces every edit with one ``Changed`` message. The scroll container
    itself takes no focus: Tab from the narrative goes on to the next field, never to a stop
    where typed keys show nowhere."""

    can_focus = False

    DEFAULT_CSS = """
    IntakeForm { height: 1fr; }
    IntakeForm .section-title { text-style: bold; color: $accent; margin: 1 0 0 1; }
    IntakeForm #form-errors { color: $text-error; display: none; padding: 0 1; }
    IntakeForm.-has-errors #form-errors { display: block; }
    IntakeForm.-non-data .case-data { display: none; }
    IntakeForm.-counselling #perpetrators { display: none; }
    IntakeForm #narrative { height: 5; background: $boost; }
    """

    @dataclass
    class Changed(Message):
        form: IntakeForm

    def __init__(self, values: Values | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.initial = values or empty_values()
        self.case_id: str | None = self.initial.get("case_id")
        self.case_number: str | None = None  # the linked case's number, as shown
        self._copied_name = ""  # the caller's name last copied to child 1 (caller is the child)

    def compose(self) -> ComposeResult:
        yield Static("", id="form-errors", markup=False)
        yield ContactTypeRow(self.initial["contact_type"])
        v = self.initial
        yield CallerSection(v["caller"])
        yield PeopleList(ChildForm, v["children"], id="children").add_class("case-data")
        yield SituationSection(v).add_class("case-data")
        people = PeopleList(PerpetratorForm, v["perpetrators"], id="perpetrators")
        yield people.add_class("case-data")
        yield DangerRow(bool(v.get("immediate_danger"))).add_class("case-data")
        narrative = NarrativeArea(
            v.get("narrative") or "",
            id="narrative",
            tab_behavior="focus",
            soft_wrap=True,
            compact=True,
            show_line_numbers=False,
        )
        yield FieldRow(t("intake.field.narrative"), narrative, "narrative").add_class("case-data")

    def on_mount(self) -> None:
        self._contact_type_shown(self.initial["contact_type"])

    # Values ----------------------------------------------------------------------------
    def values(self) -> Values:
        situation = self.query_one(SituationSection).values()
        return {
            "contact_type": self.query_one("#contact-type", CodePicker).value,
            "channel": self.initial.get("channel", "phone"),
            "caller": self.query_one(CallerSection).values(),
            "children": self.query_one("#children", PeopleList).values(),
            "perpetrators": self.query_one("#perpetrators", PeopleList).values(),
            "immediate_danger": self.query_one("#danger", YesNo).value,
            "narrative": self.query_one("#narrative", TextArea).text,
            "case_id": self.case_id,
            **situation,
        }

    def link_case(self, case_id: str | None, number: str | None) -> None:
        self.case_id, self.case_number = case_id, number if case_id else None
        self.query_one(CallerSection).show_link(number if case_id else None)
        self.post_message(self.Changed(self))

    def toggle_danger(self) -> None:
        toggle = self.query_one("#danger", YesNo)
        toggle.value = not toggle.value

    async def load_case(self, values: Values) -> None:
        """A linked case's children, location, concerns, setting and perpetrators (the
        operator then edits what changed); the caller and the narrative stay as typed."""
        await self.query_one("#children", PeopleList).replace(values["children"])
        await self.query_one("#perpetrators", PeopleList).replace(values["perpetrators"])
        self.query_one(SituationSection).load(values)
        self.post_message(self.Changed(self))

    def _contact_type_shown(self, contact_type: str | None) -> None:
        self.set_class(contact_type in non_data_contact_types(), "-non-data")
        self.set_class(contact_type == "counselling", "-counselling")
        self.query_one(SituationSection).show_counselling(contact_type == "counselling")
        self.query_one(CallerSection).about_the_caller(contact_type in ABOUT_THE_CALLER)

    def _copy_name_to_child(self) -> None:
        """The caller is the child: child 1's name is the caller's, unless typed apart."""
        caller = self.query_one(CallerSection).values()
        if caller["relationship"] != "self":
            return
        first = self.query_one("#children", PeopleList).query(ChildForm).first()
        name = first.query_one("#child-name", Input)
        if name.value in ("", self._copied_name) and name.value != caller["name"]:
            name.value = caller["name"]
        self._copied_name = caller["name"]

    # Errors ----------------------------------------------------------------------------
    def rows(self) -> dict[str, FieldRow]:
        return {row.path: row for row in self.query(FieldRow)}

    def show_errors(self, errors: list[FieldError]) -> None:
        """Each error under its row (``concerns[1]`` goes to ``concerns``); others on top."""
        rows, shown, loose = self.rows(), set(), []
        for row in rows.values():
            row.set_error(None)
        for error in errors:
            path = error.field
            while path not in rows and ("[" in path or "." in path):
                path = path[: max(path.rfind("["), path.rfind("."))]
            if path in rows and path not in shown:
                rows[path].set_error(error_text(error))
                shown.add(path)
            elif path not in rows:
                loose.append(error.message())
        self.set_class(bool(loose), "-has-errors")
        self.query_one("#form-errors", Static).update("\n".join(loose))
        first = next((rows[p] for p in rows if p in shown), None)  # in the form's order
        if first is not None:
            self.scroll_to_widget(first, animate=False)
            first.control.focus()

    # Moving on -------------------------------------------------------------------------
    @on(Input.Submitted)
    @on(SearchPicker.Accepted)
    @on(YesNo.Accepted)
    def _accepted(self, event: Message) -> None:
        event.stop()  # the field has already moved the cursor on

    @on(Input.Changed)
    @on(SearchPicker.Changed)
    @on(YesNo.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        if isinstance(event, SearchPicker.Changed) and event.picker.id == "contact-type":
            self._contact_type_shown(event.value)
        control = getattr(event, "control", None)
        if control is not None and control.id in ("caller-name", "caller-relationship"):
            self._copy_name_to_child()
        self.post_message(self.Changed(self))

    async def add_child(self) -> None:
        """Another child (ctrl+n), with the cursor in its age."""
        child = await self.query_one("#children", PeopleList).add()
        child.query_one("#age").focus()

    async def add_perpetrator(self) -> None:
        """Another alleged perpetrator (ctrl+b), with the cursor in the relationship."""
        perpetrator = await self.query_one("#perpetrators", PeopleList).add()
        perpetrator.query_one(CodePicker).focus()

    def first_field(self) -> Widget:
        """Where the cursor starts: the caller when the contact type came from home."""
        return self.query_one("#caller-relationship", CodePicker)
