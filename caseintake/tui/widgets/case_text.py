"""The case detail as text: plain ``Text`` objects, so typed content is never read as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from caseintake.domain.deadlines import format_local
from caseintake.domain.geography import province, ward
from caseintake.domain.taxonomy import label
from caseintake.i18n import has, t

if TYPE_CHECKING:
    from caseintake.services.views import CaseDetail, ChildView


def place_text(province_code: int | None, ward_code: int | None) -> str:
    parts = [
        found.name
        for found in (ward(ward_code) if ward_code else None, province(province_code))
        if found is not None
    ]
    return ", ".join(parts) or "–"


def case_text(detail: CaseDetail) -> Text:
    summary = detail.summary
    out = Text()
    place = place_text(summary.province_code, summary.ward_code)
    out.append(t("tui.detail.opened", at=format_local(summary.opened_at), place=place) + "\n")
    if detail.immediate_danger:
        out.append(t("tui.detail.danger") + "\n", style="bold red")
    concerns = ", ".join(label("concern", c) for c in summary.concerns) or "–"
    out.append(f"{t('tui.detail.concerns')}: ", style="bold")
    out.append(concerns + "\n")
    if detail.setting:
        out.append(f"{t('tui.detail.setting')}: ", style="bold")
        out.append(label("setting", detail.setting) + "\n")
    out.append(f"{t('tui.detail.narrative')}: ", style="bold")
    out.append(detail.narrative or "–")
    return out


def child_line(child: ChildView) -> str:
    params = {
        "sex": label("sex", child.sex),
        "age": child.age,
        "basis": label("age_basis", child.age_basis),
        "ethnicity": label("ethnicity", child.ethnicity),
    }
    key = "tui.detail.child" if child.age is not None else "tui.detail.child_age_unknown"
    parts = [t(key, **params)]
    if child.disability:
        parts.append(t("tui.detail.disability"))
    parts.extend(label("special_circumstance", c) for c in child.special_circumstances)
    parts.extend(text for text in (child.name, child.address) if text)
    return "; ".join(parts)


def children_text(children: Sequence[ChildView]) -> Text:
    return lines_text([f"{i}. {child_line(c)}" for i, c in enumerate(children, 1)])


def lines_text(lines: Sequence[str], empty: str = "–") -> Text:
    return Text("\n".join(lines) if lines else empty)


def action_label(action: str) -> str:
    """An audit action in words when the catalogue knows it, else its code."""
    key = f"tui.action.{action}"
    return t(key) if has(key) else action
