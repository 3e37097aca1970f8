"""Errors the domain raises: each carries a message key for the catalogues, never free text."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from caseintake.i18n import has, t


def role_label(role: object, lang: str | None = None) -> object:
    """A role in words ("giám sát viên"), never by its code, where the catalogue knows it."""
    key = f"tui.role.{role}"
    return t(key, lang) if isinstance(role, str) and has(key, lang) else role


@dataclass(frozen=True)
class FieldError:
    """One rejected field: ``field`` is a path such as ``children[0].age``."""

    field: str
    key: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return t("validation.field_prefix", lang, field=self.field) + t(
            self.key, lang, **self.params
        )


class DomainError(Exception):
    """A refusal a user can read: a message key and its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.words(lang))

    def words(self, lang: str | None = None) -> dict[str, object]:
        """The parameters as a reader sees them: a role named in words, not by its code."""
        params = dict(self.params)
        if "role" in params:
            params["role"] = role_label(params["role"], lang)
        return params

    def __str__(self) -> str:
        return self.message()


class IntakeInvalid(DomainError):
    """An intake with one or more rejected fields."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("validation.intake_invalid", count=len(errors))
        self.errors = errors

    def message(self, lang: str | None = None) -> str:
        return "; ".join(e.message(lang) for e in self.errors)
