"""Messages that travel from screens up to the app, which owns the session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from caseintake.services.core import Principal


@dataclass
class LoggedIn(Message):
    """A login (or a first-login password change) succeeded: the shift starts."""

    principal: Principal


@dataclass
class BackToLogin(Message):
    """Leave the password change without changing it."""


@dataclass
class LoggedOut(Message):
    """The session ended; the audit checkpoint was written up to ``seq``."""

    seq: int
