"""The words on a screen, from the catalogues, re-applied when the operator switches language."""

from __future__ import annotations

from collections.abc import Mapping

from textual.screen import Screen
from textual.widgets import Button, Input, Static

from caseintake.domain.errors import DomainError
from caseintake.i18n import t


def apply_texts(screen: Screen[object], texts: Mapping[str, str]) -> None:
    """Set each widget's visible text from its catalogue key (selector -> key)."""
    for selector, key in texts.items():
        widget = screen.query_one(selector)
        if isinstance(widget, Input):
            widget.placeholder = t(key)
        elif isinstance(widget, Button):
            widget.label = t(key)
        elif isinstance(widget, Static):
            widget.update(t(key))


def describe(error: BaseException) -> str:
    """One sentence for the operator, whatever failed in a worker; a role is named in words
    ("tư vấn viên"), never by its code ("operator")."""
    if isinstance(error, DomainError):
        return error.message()
    detail = str(getattr(error, "orig", None) or error).splitlines()
    return t("tui.app.unexpected", detail=detail[0] if detail else type(error).__name__)
