"""One JSON document on stdout for ``--json``: times in ISO 8601 with Viet Nam's offset."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import typer

from caseintake.domain.referrals.deadlines import to_local


def iso(moment: datetime | None) -> str | None:
    return to_local(moment).isoformat() if moment is not None else None


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def echo_json(document: Any) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2, default=_default))


def plain(text: str | None) -> str:
    """A stored text on one terminal line: control characters shown as escapes, not obeyed."""
    if not text:
        return ""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
