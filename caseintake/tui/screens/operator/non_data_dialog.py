"""Quick log of a non-data call: the contact opens with this dialog and its timer starts; one
key names the kind of call and ends it (``n`` then ``s`` logs a silent call from home).

The caller's number is optional on any of them (repeated silent calls from one number are a
sign): ``0`` or ``+`` starts typing it, and the kind's letter still logs the call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from caseintake.domain.intake.field_checks import validate_field
from caseintake.domain.intake.phones import normalise_phone
from caseintake.domain.intake.taxonomy import label
from caseintake.i18n import t
from caseintake.tui.bindings import LocalFooter
from caseintake.tui.widgets.time_text import duration_text

# (contact type, keys): a letter, then the digit of its place in the list.
NON_DATA_KEYS = (
    ("silent", "s,1"),
    ("hang_up", "h,2"),
    ("prank_abusive", "p,3"),
    ("wrong_number", "w,4"),
    ("thanks", "t,5"),
)


PHONE_CHARACTERS = frozenset("0123456789+ .-()")


@dataclass(frozen=True)
class NonDataCall:
    contact_type: str
    received_at: datetime
    duration_seconds: int
    phone: str | None = None  # E.164, when the operator typed a valid number


class PhoneField(Input):
    """The number: digits go in, any other letter goes on to the dialog's one-key kinds."""

    @dataclass
    class Letter(Message):
        character: str

    async def _on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if event.is_printable and char not in PHONE_CHARACTERS:
            event.stop()
            event.prevent_default()
            self.post_message(self.Letter(char))  # "s" logs a silent call, as in the list
            return
        if event.key == "enter":
            event.stop()
            self.screen.query_one("#kinds").focus()
            return
        await super()._on_key(event)


class NonDataDialog(ModalScreen[NonDataCall | None]):
    CSS_PATH = "non_data_dialog.tcss"
    AUTO_FOCUS = "#kinds"
    BINDINGS = [
        *(
            Binding(keys, f"log('{kind}')", kind, id=f"non_data.{kind}")
            for kind, keys in NON_DATA_KEYS
        ),
        Binding("escape", "dismiss(None)", "Cancel", id="non_data.cancel"),
        Binding("0", "phone_key('0')", show=False, priority=True),
        Binding("plus", "phone_key('+')", show=False, priority=True),
    ]

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._clock = clock
        self._opened_at = clock()

    def compose(self) -> ComposeResult:
        with Vertical(id="non-data-box"):
            yield Static(t("tui.non_data.title"), id="non-data-title")
            yield OptionList(
                *(
                    Option(f"[b]{keys.split(',')[0]}[/b]  {label('contact_type', kind)}", id=kind)
                    for kind, keys in NON_DATA_KEYS
                ),
                id="kinds",
            )
            yield Static(id="timer")
            yield PhoneField(
                placeholder=t("intake.quick.phone"),
                id="quick-phone",
                compact=True,
                select_on_focus=False,
            )
            yield Static("", id="phone-error", markup=False)
            yield Static(t("tui.non_data.hint"), id="hint")
            yield Static(t("intake.quick.phone_hint"), id="phone-hint")
        yield LocalFooter()

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)

    def _elapsed(self) -> int:
        return max(0, int((self._clock() - self._opened_at).total_seconds()))

    def _tick(self) -> None:
        timer = t("tui.non_data.timer", duration=duration_text(self._elapsed()))
        self.query_one("#timer", Static).update(timer)

    def action_phone_key(self, character: str) -> None:
        """``0`` or ``+`` starts the phone number, wherever the cursor is. A priority binding,
        run before the next key is routed, with the cursor moved at once (set_focus, not
        focus()): digits typed right after are already queued and must land in the number,
        not in the list (issue 19 item 3)."""
        phone = self.query_one("#quick-phone", PhoneField)
        self.set_focus(phone)
        phone.insert_text_at_cursor(character)

    def action_log(self, kind: str) -> None:
        typed = self.query_one("#quick-phone", PhoneField).value
        error = validate_field("phone", typed, "caller.phone") if typed.strip() else None
        if error is not None:  # a wrong number is said, not dropped silently
            self.query_one("#phone-error", Static).update(t(error.key, **error.params))
            self.query_one("#quick-phone").focus()
            return
        call = NonDataCall(kind, self._opened_at, self._elapsed(), normalise_phone(typed))
        self.dismiss(call)

    @on(PhoneField.Letter)
    def _letter(self, event: PhoneField.Letter) -> None:
        kind = next((k for k, keys in NON_DATA_KEYS if keys[0] == event.character.lower()), None)
        if kind is not None:
            self.action_log(kind)

    @on(OptionList.OptionSelected, "#kinds")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_log(event.option.id)
