"""The messages the intake screen's workers post back to it (``IntakeScreen``)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from caseintake.domain.errors import FieldError
from caseintake.domain.intake.record import Intake
from caseintake.services.core import SavedContact
from caseintake.tui.widgets.intake.routing_panel import RoutingView


class Ready(Message):
    """Posted when the form has its cursor: keys queued to the screen before it pass on."""


@dataclass
class CaseLoaded(Message):
    intake: Intake
    case_id: str


@dataclass
class Routed(Message):
    view: RoutingView
    seq: int


@dataclass
class Status(Message):
    """A short state for the header: draft saved, or why a background task failed."""

    text: str


@dataclass
class Saved(Message):
    saved: SavedContact


@dataclass
class SaveFailed(Message):
    errors: list[FieldError]
    text: str | None
