"""Codes read back from the database are checked against the taxonomy before they leave in an
export (issue 21 item 5): a row edited outside the app (``=HYPERLINK(...)`` as a concern) stops
the export with one sentence instead of reaching a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography
from caseintake.domain.intake.field_checks import echo
from caseintake.domain.statistics.indicators import UNKNOWN
from caseintake.domain.statistics.tables import ALL, Key


def known_code(dimension: str, code: str, orders: Mapping[str, tuple[str, ...]]) -> bool:
    if code in (UNKNOWN, ALL):
        return True
    if dimension == "commune":
        return code.isdigit() and geography.ward(int(code)) is not None
    return code in orders.get(dimension, ())


def check_codes(
    dimensions: Iterable[str], keys: Iterable[Key], orders: Mapping[str, tuple[str, ...]]
) -> None:
    """Every code of every key is one the taxonomy (or the map) knows; one sentence if not."""
    dims = tuple(dimensions)
    for key in keys:
        for dimension, code in zip(dims, key, strict=True):
            if not known_code(dimension, code, orders):
                raise DomainError("exports.unknown_code", dimension=dimension, code=echo(code))
