"""The building blocks of the intake form: a labelled row with its inline error, text inputs
checked live by the domain's own field checks, and a yes/no toggle.

Rules live once (STYLE §6): a row runs ``validate_field`` of the domain on every change and
shows the message under the field; the typed text is never touched, so nothing is lost.
Rows marked ``detail`` (pickers and toggles only: a free-text field is never skipped, or the
name being typed lands in the next field) are reached with Tab but skipped by Enter, so a
typical report moves from one conversation step to the next with Enter alone. The row with
the cursor is drawn reversed, which shows in 16 colours too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from caseintake.domain.errors import FieldError
from caseintake.domain.intake.field_checks import validate_field
from caseintake.i18n import t
from caseintake.tui.widgets.intake.code_picker import focus_next_step, pass_on

# Fields whose partial input is normal while typing: their error waits for the field to be left.
CHECK_ON_BLUR = frozenset({"phone"})


def error_text(error: FieldError) -> str:
    """The message of an error, without the field path (the row already says which field)."""
    return t(error.key, **error.params)


class FieldRow(Vertical):
    """A label, one control, and the line where the control's error appears."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Horizontal { height: auto; }
    FieldRow .field-label { width: 16; color: $text-muted; padding: 0 0 0 1; }
    FieldRow .field-error { color: $text-error; padding: 0 0 0 16; display: none; }
    FieldRow.-error .field-error { display: block; }
    FieldRow.-error .field-label { color: $text-error; }
    FieldRow:focus-within { background: $boost; }
    FieldRow:focus-within .field-label { text-style: reverse bold; color: $text; }
    """

    def __init__(
        self,
        label: str,
        control: Widget,
        path: str,
        *,
        kind: str | None = None,
        detail: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="detail" if detail else None)
        self.label, self.control, self.path, self.kind = label, control, path, kind

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field-label")
            yield self.control
        yield Static("", classes="field-error", markup=False)

    def set_error(self, message: str | None) -> None:
        self.set_class(message is not None, "-error")
        self.control.set_class(message is not None, "-invalid")
        self.query_one(".field-error", Static).update(message or "")

    def check(self, *, leaving: bool = False) -> None:
        """Live validation of a text control by the domain rule of ``kind``."""
        if self.kind is None or not isinstance(self.control, Input):
            return
        error = validate_field(self.kind, self.control.value, self.path)
        if error is None:
            self.set_error(None)
        elif leaving or self.kind not in CHECK_ON_BLUR or self.has_class("-error"):
            self.set_error(error_text(error))

    @on(Input.Changed)
    def _changed(self) -> None:
        self.check()

    def on_search_picker_changed(self) -> None:
        # A choice answers what the save said was missing ("at least one concern"); the
        # service checks again on the next save.
        if self.has_class("-error"):
            self.set_error(None)

    def on_yes_no_changed(self) -> None:
        if self.has_class("-error"):
            self.set_error(None)

    @on(Input.Blurred)
    def _left(self) -> None:
        self.check(leaving=True)


class FormInput(Input):
    """A one-line input where Enter moves on at once (and keys typed ahead follow)."""

    async def _on_key(self, event: events.Key) -> None:
        if pass_on(self, event):
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.value))
            focus_next_step(self)
            return
        await super()._on_key(event)


def text_row(
    label: str,
    path: str,
    kind: str,
    *,
    value: str = "",
    placeholder: str = "",
    id: str | None = None,
) -> FieldRow:
    """A row with a one-line compact input checked as the domain field ``kind``; never a
    ``detail`` row, so Enter always stops in it."""
    control = FormInput(value, placeholder=placeholder, compact=True, id=id, select_on_focus=False)
    return FieldRow(label, control, path, kind=kind)


class YesNo(Widget, can_focus=True):
    """A yes/no answer in one key: c/y yes, k/n no (and move on), Space toggles; any other
    letter moves on and is typed in the next field.

    A field that moves on by itself never lands here (``focus_next_step``): the cursor arrives
    by Enter, Tab or a click, so a letter typed here was meant as the answer."""

    DEFAULT_CSS = """
    YesNo { height: 1; width: 1fr; }
    YesNo:focus { background: $boost; text-style: bold; }
    YesNo.danger.-on { background: $error; color: $text; text-style: bold; }
    """
    one_letter_answers = True

    value: reactive[bool] = reactive(False)

    @dataclass
    class Changed(Message):
        toggle: YesNo
        value: bool

        @property
        def control(self) -> YesNo:
            return self.toggle

    @dataclass
    class Accepted(Message):
        toggle: YesNo

    def __init__(
        self, yes: str, no: str, *, value: bool = False, id: str | None = None, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.yes, self.no = yes, no
        self.set_reactive(YesNo.value, value)

    def render(self) -> Text:
        if self.value:
            return Text(f"[x] {self.yes}")
        return Text(f"[ ] {self.no}", style="dim")

    def watch_value(self, value: bool) -> None:
        self.set_class(value, "-on")
        self.post_message(self.Changed(self, value))

    def on_key(self, event: events.Key) -> None:
        if pass_on(self, event):
            return
        char = (event.character or "").lower()
        if char in ("c", "y"):
            self.value = True
        elif char in ("k", "n"):
            self.value = False
        elif event.key == "space":
            self.value = not self.value
            event.stop()
            return
        elif event.is_printable and event.character:
            # Not an answer: words typed ahead (the narrative, while listening) go on to the
            # next field with this key, instead of vanishing here (issue 19 item 3).
            event.stop()
            event.prevent_default()
            focus_next_step(self)
            pass_on(self, event)
            return
        elif event.key != "enter":
            return
        event.stop()
        self.post_message(self.Accepted(self))
        focus_next_step(self, auto=event.key != "enter")

    def on_click(self) -> None:
        self.value = not self.value


class NarrativeArea(TextArea):
    """The caller's words: Enter before any word adds no blank first line (the Enter that
    follows a one-letter answer such as "c" on the danger row, issue 19 item 3)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.text.strip():
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)
