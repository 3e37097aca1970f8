"""An audit event's details as people read them (issue 19 items 1 and 5): one line a field,
labelled in the user's language, nested values indented, lists joined; never raw JSON. The
viewer's dialog and ``audit list --details`` show the same lines."""

from __future__ import annotations

from typing import Any

from caseintake.domain.referrals import states
from caseintake.i18n import has, t

_INDENT = "  "
# Fields whose value is a state of a case or a referral: shown in words ("Từ: Đã chuyển
# tuyến", not "Từ: referred"; issue 19 item 13, found again on the walk's closure event).
_STATE_FIELDS = frozenset({"from", "to", "state", "status", "before", "after"})


def detail_label(key: str) -> str:
    """A field's label from the catalogue (``seams.detail.<key>``), else the key itself."""
    code = f"seams.detail.{key}"
    return t(code) if has(code) or has(code, "vi") else key


def detail_lines(details: dict[str, Any], depth: int = 0) -> list[str]:
    lines: list[str] = []
    pad = _INDENT * depth
    for key in sorted(details):
        value = details[key]
        label = detail_label(str(key))
        if isinstance(value, dict):
            if not value:
                lines.append(f"{pad}{label}: –")
                continue
            lines.append(f"{pad}{label}:")
            lines.extend(detail_lines(value, depth + 1))
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            lines.append(f"{pad}{label}:")
            for i, item in enumerate(value, 1):
                if isinstance(item, dict):
                    lines.append(f"{pad}{_INDENT}{i}.")
                    lines.extend(detail_lines(item, depth + 2))
                else:
                    lines.append(f"{pad}{_INDENT}{i}. {_scalar(item)}")
        elif key in _STATE_FIELDS and isinstance(value, str):
            lines.append(f"{pad}{label}: {_state(value)}")
        else:
            lines.append(f"{pad}{label}: {_scalar(value)}")
    return lines


def _state(value: str) -> str:
    for kind in ("case", "referral"):
        if states.is_state(kind, value):
            return states.state_label(kind, value)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return t("seams.detail.yes")
    if value is False:
        return t("seams.detail.no")
    if isinstance(value, list):
        return "; ".join(_scalar(v) for v in value)
    return str(value)
