"""A supervisor's review of one case, from the queue or from the case detail (issue 19 items
6 and 7): approve the support plan (offered only while the case waits for it, the plan shown
and confirmed first), close with a note, reassign, or reopen a closed case. Each change runs
in a thread worker; ``done`` gets one sentence and whether it failed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import format_local
from caseintake.domain.referrals.states import state_label
from caseintake.i18n import t
from caseintake.tui.screens.supervisor.decision_dialog import Choice, Decision, DecisionDialog
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.core import Principal

PLAN_WAITING = "referred"  # the case machine's only way into "in support" (states.py)


def review_choices(status: str) -> list[Choice]:
    if status == "closed":  # a closed case can only be reopened, with a reason
        return [Choice("reopen", t("supervisor.tui.reopen"), True, t("supervisor.tui.reason"))]
    choices = []
    if status == PLAN_WAITING:
        choices.append(Choice("approve_plan", t("supervisor.tui.approve_plan")))
    choices += [
        Choice("close", t("supervisor.tui.close"), True, t("supervisor.tui.closing_note")),
        Choice("assign", t("supervisor.tui.assign"), True, t("supervisor.tui.assignee")),
    ]
    return choices


def plan_text(steps: list[Any]) -> str:
    lines = [t("seams.review.plan_intro")]
    for i, step in enumerate(steps, 1):
        due = format_local(step.due_at) if step.due_at else "–"
        where = f" · {step.entry_name}" if step.entry_name else ""
        status = state_label("referral", step.status)
        lines.append(f"{i}. {label('body', step.body)}{where} · {status} · {due}")
    if not steps:
        lines.append(t("seams.review.no_referrals"))
    return "\n".join(lines)


class CaseReview:
    """One review, run on ``screen`` with the supervisor desk's ``review`` service."""

    def __init__(
        self,
        screen: Any,
        review: Any,
        principal: Principal,
        done: Callable[[str, bool], None],
    ) -> None:
        self._screen, self._review, self._principal, self._done = screen, review, principal, done

    def start(self, case_id: str, number: str, status: str) -> None:
        title = t("supervisor.tui.review_title", number=number)
        body = t("supervisor.tui.review_body", status=state_label("case", status))
        dialog = DecisionDialog(
            title, body, review_choices(status), attempt=lambda d: self._attempt(case_id, d)
        )
        self._screen.app.push_screen(dialog, callback=lambda d: self._chosen(case_id, number, d))

    def _attempt(self, case_id: str, decision: Decision) -> None:
        """Carried out inside the dialog (its worker): a refusal is said there and what was
        typed stays (issue 19 item 16). Approving the plan is shown and confirmed after."""
        review, who = self._review, self._principal
        changes: dict[str, Callable[[], object]] = {
            "close": lambda: review.close(who, case_id, decision.text),
            "assign": lambda: review.assign(who, case_id, decision.text),
            "reopen": lambda: review.reopen(who, case_id, decision.text),
        }
        change = changes.get(decision.choice)
        if change is not None:
            change()

    def _chosen(self, case_id: str, number: str, decision: Decision | None) -> None:
        if decision is None:
            return
        if decision.choice == "approve_plan":  # the plan first, then a second, explicit yes
            self._run(
                lambda: self._review.plan(self._principal, case_id),
                None,
                self._confirm(case_id, number),
            )
            return
        self._done(t(f"supervisor.tui.reviewed_{decision.choice}", number=number), False)

    def _confirm(self, case_id: str, number: str) -> Callable[[Any], None]:
        def show(steps: Any) -> None:
            title = t("seams.review.confirm_title", number=number)
            choices = [Choice("approve", t("seams.review.confirm"))]
            dialog = DecisionDialog(title, plan_text(steps), choices)
            self._screen.app.push_screen(dialog, callback=lambda d: approved(d))

        def approved(decision: Decision | None) -> None:
            if decision is None:
                self._done(t("seams.review.not_approved"), False)
                return
            done = t("supervisor.tui.reviewed_approve_plan", number=number)
            self._run(lambda: self._review.approve_plan(self._principal, case_id), done)

        return show

    def _run(
        self,
        change: Callable[[], object],
        done: str | None,
        then: Callable[[Any], None] | None = None,
    ) -> None:
        app = self._screen.app

        def work() -> None:
            try:
                result = change()
            except Exception as error:
                app.call_from_thread(self._done, describe(error), True)
                return
            if then is not None:
                app.call_from_thread(then, result)
            elif done is not None:
                app.call_from_thread(self._done, done, False)

        self._screen.run_worker(work, thread=True, group="case-review", exit_on_error=False)
