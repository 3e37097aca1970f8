"""The routing pane beside the form: priority, actions now, referrals, warnings.

Emergency actions (call 113 / 114 / 115) come first and loud, because the operator acts on them
while the caller is still on the line (Nghị định 56/2017/NĐ-CP ch. III: emergency measures
within 12 hours). Each referral shows its body, the concrete desk of the directory with phones,
the local due time, and its legal basis (short form), so the operator can check why; ``i``
opens the details: the full citations and the rule ids. What the record implied (a married
14-year-old: signs of sexual abuse) is listed with the warnings. The cursor (↑/↓) picks a
referral; ``x`` removes it with a reason (or restores it), ``a`` adds one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from caseintake.domain.directory import DirectoryEntry
from caseintake.domain.intake import geography
from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import Deadline, format_local
from caseintake.domain.routing.citations import basis_texts
from caseintake.domain.routing.decision import Decision
from caseintake.domain.routing.notes import plan_notes
from caseintake.i18n import t
from caseintake.services.routing import ProposedReferral, RoutedDecision
from caseintake.tui.bindings import localize_bindings
from caseintake.tui.widgets.intake.dialogs import AddReferralDialog, RemoveReferralDialog
from caseintake.tui.widgets.referral_edits import AddedReferral, ReferralEdits


@dataclass(frozen=True)
class RoutingView:
    """One routing result as the pane shows it: the decision and the operator's additions."""

    routed: RoutedDecision
    added: tuple[AddedReferral, ...] = ()


def emergency_numbers(decision: Decision) -> list[str]:
    return [a.code.removeprefix("emergency_") for a in decision.actions_now]


def banner_text(view: RoutingView | None) -> Text:
    """One line for the top of the screen, so a narrow terminal still sees "call 113 now"."""
    if view is None or not view.routed.decision.actions_now:
        return Text("")
    numbers = " · ".join(emergency_numbers(view.routed.decision))
    return Text(f" {t('intake.routing.call_now', numbers=numbers)} ", style="bold reverse red")


def _place(province_code: int | None, ward_code: int | None) -> str:
    ward, province = geography.ward(ward_code), geography.province(province_code)
    if ward is not None:
        return ward.name
    return province.name if province else t("intake.routing.national")


def _entry(entry: DirectoryEntry | None, text: Text) -> None:
    if entry is None:
        text.append(f"    {t('intake.routing.no_entry')}\n", style="yellow")
        return
    text.append(f"    {entry.name}\n")
    if entry.phones:
        text.append(f"    ☎ {', '.join(entry.phones)}\n", style="bold")
    if entry.hours:
        text.append(f"    {entry.hours}\n", style="dim")


class RoutingPanel(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    RoutingPanel { padding: 0 1; }
    RoutingPanel:focus { background: $boost; }
    RoutingPanel #routing-rows { height: auto; }
    RoutingPanel .referral { margin: 1 0 0 0; }
    RoutingPanel .referral.-cursor { background: $accent 30%; }
    RoutingPanel #routing-notes { margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous", show=False),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("x,delete", "remove", "Remove referral", id="intake.referral_remove"),
        Binding("a", "add", "Add referral", id="intake.referral_add"),
        # Not in the footer (it is full at 80×24): the pane's head shows the key while focused.
        Binding("i", "details", "Basis details", id="intake.routing_details", show=False),
    ]

    @dataclass
    class Edited(Message):
        """A referral was removed, restored or added."""

    def __init__(self, edits: ReferralEdits, id: str | None = None) -> None:
        super().__init__(id=id)
        self.edits = edits
        self.view: RoutingView | None = None
        self.cursor = 0
        self.details = False  # full citations and rule ids instead of the short basis

    def compose(self) -> ComposeResult:
        yield Static(t("intake.routing.waiting"), id="routing-head", markup=False)
        yield Vertical(id="routing-rows")
        yield Static("", id="routing-notes", markup=False)

    def on_mount(self) -> None:
        localize_bindings(self)

    def show(self, view: RoutingView) -> None:
        self.view = view
        self.cursor = min(self.cursor, max(0, len(self._rows()) - 1))
        self._draw()

    def _rows(self) -> list[ProposedReferral | AddedReferral]:
        if self.view is None:
            return []
        proposed_bodies = {p.plan.body for p in self.view.routed.referrals}
        extra = [a for a in self.view.added if a.body not in proposed_bodies]
        return [*self.view.routed.referrals, *extra]

    def _draw(self) -> None:
        """Head (priority, actions now), one widget per referral, then the warnings."""
        head, notes = self.render_head(), self.render_notes()
        self.query_one("#routing-head", Static).update(head)
        self.query_one("#routing-notes", Static).update(notes)
        rows, box = self._rows(), self.query_one("#routing-rows", Vertical)
        statics = list(box.query_children(Static))
        if len(statics) != len(rows):
            box.remove_children()
            statics = [Static(markup=False, classes="referral") for _ in rows]
            box.mount_all(statics)
        for i, (row, static) in enumerate(zip(rows, statics, strict=True)):
            text = Text()
            self._row(text, i, row)
            text.rstrip()
            static.update(text)
            static.set_class(i == self.cursor and self.has_focus, "-cursor")

    def render_head(self) -> Text:
        if self.view is None:
            return Text(t("intake.routing.waiting"), style="dim")
        decision = self.view.routed.decision
        text = Text()
        text.append(t("intake.routing.title") + "\n", style="bold")
        text.append(
            t(
                "intake.routing.priority",
                priority=label("priority", decision.priority),
                level=label("protection_level", decision.protection_level),
            )
            + "\n",
            style="bold red" if decision.priority == "emergency" else "",
        )
        if decision.actions_now:
            text.append(f"\n {t('intake.routing.actions_now')} \n", style="bold reverse red")
            for action in decision.actions_now:
                number = action.code.removeprefix("emergency_")
                call = t("intake.routing.call", number=number, body=label("body", action.code))
                text.append(f"☎ {call}\n", style="bold red")
                text.append(f"    {' · '.join(t(r) for r in action.reasons)}\n")
                self._basis(text, action.basis, action.rule_ids)
        if decision.crime_signs:
            signs = ", ".join(label("crime_sign", c) for c in decision.crime_signs)
            text.append(f"{t('law.crime_signs')}: {signs}\n", style="bold red")
        rows = self._rows()
        text.append(f"\n{t('intake.routing.referrals', count=len(rows))}", style="bold")
        if self.has_focus and (rows or decision.actions_now):
            text.append(f"  {t('routing_display.details_hint')}", style="dim")
        if not rows:
            text.append("\n" + t("intake.routing.none"), style="dim")
        return text

    def render_notes(self) -> Text:
        text = Text()
        if self.view is None:
            return text
        decision = self.view.routed.decision
        if decision.implied:
            text.append(f"{t('routing_display.implied')}\n", style="bold")
            for implied in decision.implied:
                text.append(f"→ {t(implied.reason)}\n")
                if self.details:
                    self._basis(text, implied.basis, (implied.id,))
        if decision.warnings:
            text.append(f"{t('intake.routing.warnings')}\n", style="bold yellow")
            for warning in decision.warnings:
                text.append(f"! {warning.message()}\n", style="yellow")
        return text

    def _basis(self, text: Text, basis: tuple[str, ...], rule_ids: tuple[str, ...]) -> None:
        """The short basis on one line; in the details view, every full citation and the ids."""
        if not self.details:
            short = "; ".join(basis_texts(basis, short=True))
            text.append(f"    {t('intake.routing.basis', basis=short)}\n", "dim")
            return
        text.append(f"    {t('routing_display.basis')}\n", "dim")
        for citation in basis_texts(basis):
            text.append(f"    · {citation}\n", "dim")
        text.append(f"    {t('routing_display.rules', rules=', '.join(rule_ids))}\n", "dim")

    def _row(self, text: Text, i: int, row: ProposedReferral | AddedReferral) -> None:
        mark = "›" if i == self.cursor and self.has_focus else " "
        if isinstance(row, AddedReferral):
            body = f"{mark}{i + 1}. + {label('body', row.body)}"
            text.append(body + "\n", style="bold green")
            text.append(f"    {_place(row.province_code, row.ward_code)}\n")
            _entry(row.entry, text)
            text.append(f"    {t('intake.routing.added')}\n", style="dim")
            return
        plan, reason = row.plan, self.edits.reason(row.plan)
        head = f"{mark}{i + 1}. {label('body', plan.body)}"
        if reason is not None:
            text.append(head + "\n", style="strike dim")
            text.append(f"    {t('intake.routing.removed', reason=reason)}\n", style="yellow")
            return
        text.append(head + "\n", style="bold")
        text.append(f"    {_place(plan.area.province_code, plan.area.ward_code)}\n")
        _entry(row.entry, text)
        spec = Deadline.parse(plan.due_spec).label()
        due = t("intake.routing.due", due=format_local(plan.due_at), spec=spec)
        text.append(f"    {due}\n", style="bold")
        for line, style in plan_notes(plan, self.view.routed.decision if self.view else None):
            text.append(f"    {line}\n", style=style)
        self._basis(text, plan.basis, plan.rule_ids)

    def action_details(self) -> None:
        self.details = not self.details
        self._draw()

    def on_focus(self) -> None:
        self._draw()

    def on_blur(self) -> None:
        self._draw()

    def action_cursor(self, step: int) -> None:
        rows = self._rows()
        if rows:
            self.cursor = (self.cursor + step) % len(rows)
            self._draw()
            self.scroll_to_widget(self.query("#routing-rows > Static")[self.cursor], animate=False)

    def action_remove(self) -> None:
        rows = self._rows()
        if not rows:
            return
        row = rows[self.cursor]
        if isinstance(row, AddedReferral):
            self.edits.drop_added(row.body)
            self._changed()
        elif self.edits.reason(row.plan) is not None:
            self.edits.restore(row.plan)
            self._changed()
        else:
            plan = row.plan

            def removed(reason: str | None) -> None:
                if reason:
                    self.edits.remove(plan, reason)
                    self._changed()

            self.app.push_screen(RemoveReferralDialog(label("body", plan.body)), removed)

    def action_add(self) -> None:
        def added(body: str | None) -> None:
            if body:
                self.edits.add(body)
                self._changed()

        self.app.push_screen(AddReferralDialog(), added)

    def _changed(self) -> None:
        self._draw()
        self.post_message(self.Edited())
