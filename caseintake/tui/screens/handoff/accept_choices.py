"""The accept step of an incoming hand-off when this line may already have the child (issue 24
item 4): each matching case is a choice of its own ("Gắn vào hồ sơ … (trùng mã định danh)"),
beside "Tạo hồ sơ mới" and rejecting; nothing is merged until one is chosen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caseintake.domain.referrals.deadlines import format_local
from caseintake.i18n import t
from caseintake.tui.screens.supervisor.decision_dialog import Choice

INTO = "into:"  # a choice's id: INTO and the case number


def into_case(choice: str) -> str | None:
    """The case number a choice adds the package to, or None (a new case, or a rejection)."""
    return choice.removeprefix(INTO) if choice.startswith(INTO) else None


def answer_choices(matches: list[dict[str, Any]]) -> tuple[str, list[Choice]]:
    """The text the dialog adds to its body, and its choices, for ``show()``'s matches."""
    reject = Choice(
        "rejected", t("handoff_desk.answer.reject"), True, t("handoff_desk.answer.reason_prompt")
    )
    if not matches:
        return "", [Choice("accepted", t("handoff_desk.answer.accept")), reject]
    into = [
        Choice(
            INTO + m["case_number"],
            t(
                "handoff_matching.tui.into",
                case=m["case_number"],
                keys=_keys(m["matched_by"]),
                opened=format_local(datetime.fromisoformat(m["opened_at"])),
                status=t(f"state.case.{m['status']}"),
            ),
        )
        for m in matches
    ]
    new_case = Choice("accepted", t("handoff_matching.tui.new_case"))
    return t("handoff_matching.tui.body"), [*into, new_case, reject]


def _keys(matched_by: list[str]) -> str:
    return ", ".join(t(f"handoff_matching.key.{key}") for key in matched_by)
