"""What a supervisor does from the queue on the selected referral: record a follow-up step,
decide an escalation, review the case, re-refer; each change runs in a worker and the queue
reloads after it. Kept apart from the screen's layout and loading."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work

from caseintake.domain.intake.taxonomy import label
from caseintake.domain.referrals.deadlines import format_local
from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.domain.referrals.states import state_label
from caseintake.domain.routing.citations import basis_texts
from caseintake.i18n import t
from caseintake.tui.file_delivery import deliver, to_browser
from caseintake.tui.screens.cases.follow_up_dialog import FollowUpDialog
from caseintake.tui.screens.supervisor.case_review import CaseReview
from caseintake.tui.screens.supervisor.decision_dialog import Choice, Decision, DecisionDialog
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.core import Principal
    from caseintake.services.referrals import QueueRow
    from caseintake.services.supervisor_desk import SupervisorDesk


class QueueActions:
    """Mixed into ReferralQueueScreen, which provides these attributes and ``selected``."""

    _desk: SupervisorDesk
    _principal: Principal
    _services: Any
    app: Any

    if TYPE_CHECKING:  # provided by the screen and by Textual

        def selected(self) -> QueueRow | None: ...
        def action_refresh(self) -> None: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...

    # -- follow-up ------------------------------------------------------------------------
    def action_follow_up(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = FollowUpDialog(label("body", row.body), row.status, self._principal.role)
        self.app.push_screen(dialog, callback=lambda step: self._record(row, step))

    def _record(self, row: QueueRow, step: FollowUp | None) -> None:
        if step is None:
            return
        record = self._desk.services.referrals.record
        done = t("supervisor.tui.recorded", state=state_label("referral", step.status))
        self._change(lambda: record(self._principal, row.id, step), done)

    # -- escalation -----------------------------------------------------------------------
    def action_escalation(self) -> None:
        row = self.selected()
        if row is None:
            return
        esc = row.escalation
        if esc is None:
            self.notify(t("supervisor.tui.no_escalation"), severity="warning")
            return
        body = t(
            "supervisor.tui.escalation_body",
            body=label("body", esc.body),
            due=format_local(esc.due_at),
            basis="; ".join(basis_texts(esc.basis)),
        )
        if esc.to_confirm:  # the windows are not read in a source (issue 22)
            body += f" ({t('law.due_to_confirm')})"
        choices = [
            Choice("confirm", t("supervisor.tui.confirm")),
            Choice("dismiss", t("supervisor.tui.dismiss"), True, t("supervisor.tui.reason")),
        ]
        title = t("supervisor.tui.escalation_title", number=row.case_number)
        dialog = DecisionDialog(title, body, choices, attempt=lambda d: self._decide(row, d))
        self.app.push_screen(
            dialog,
            callback=self._done_in_dialog(
                lambda d: (
                    "supervisor.tui.confirmed"
                    if d.choice == "confirm"
                    else "supervisor.tui.dismissed"
                )
            ),
        )

    def _decide(self, row: QueueRow, decision: Decision) -> None:
        esc = self._desk.escalations
        if decision.choice == "confirm":
            esc.confirm(self._principal, row.id)
        else:
            esc.dismiss(self._principal, row.id, decision.text)

    def _done_in_dialog(
        self, said: Callable[[Decision], str], number: str = ""
    ) -> Callable[[Decision | None], None]:
        """After a dialog that carried its decision out: say so (``said`` gives the message's
        key) and reload the queue."""

        def done(decision: Decision | None) -> None:
            if decision is not None:
                self.notify(t(said(decision), number=number))
                self.action_refresh()

        return done

    # -- case review ----------------------------------------------------------------------
    def action_review(self) -> None:
        row = self.selected()
        if row is None:
            return
        review = CaseReview(self, self._desk.review, self._principal, self._changed)
        review.start(row.case_id, row.case_number, row.case_status)

    def action_ready_to_close(self) -> None:
        from caseintake.tui.screens.supervisor.ready_to_close_screen import ReadyToCloseScreen

        self.app.push_screen(ReadyToCloseScreen(self._services, self._principal))

    # -- re-refer -------------------------------------------------------------------------
    def action_rerefer(self) -> None:
        row = self.selected()
        if row is None:
            return
        entries = [
            e
            for e in self._services.directory.list()
            if e.province_code in (None, row.province_code) and not e.body.startswith("emergency_")
        ]
        prompt = t("supervisor.tui.reason")
        choices = [
            Choice(e.id, f"{label('body', e.body)} · {e.name}", True, prompt) for e in entries
        ]
        title = t("supervisor.tui.rerefer_title", number=row.case_number)
        body = t("supervisor.tui.rerefer_body", body=label("body", row.body))
        dialog = DecisionDialog(title, body, choices, attempt=lambda d: self._rerefer(row, d))
        self.app.push_screen(
            dialog, callback=self._done_in_dialog(lambda _d: "supervisor.tui.rereferred")
        )

    def _rerefer(self, row: QueueRow, decision: Decision) -> None:
        rerefer = self._desk.services.referrals.rerefer
        rerefer(self._principal, row.id, decision.choice, decision.text)

    # -- referral slip ----------------------------------------------------------------------
    def action_slip(self) -> None:
        row = self.selected()
        if row is None:
            return
        settings = self._services.settings
        browser = to_browser(self.app, settings)  # a download: no name to ask for
        prompt = "" if browser else t("exports.name_prompt", folder=settings.export_folder())
        kinds = [("text", False), ("pdf", False)]
        if self._principal.role == "supervisor":
            kinds += [("text", True), ("pdf", True)]
        choices = [
            Choice(
                f"{fmt}:{int(caller)}",
                t(f"supervisor.tui.slip_{fmt}{'_caller' if caller else ''}"),
                not browser,
                prompt,
            )
            for fmt, caller in kinds
        ]
        title = t("supervisor.tui.slip_title", number=row.case_number)
        body = t("exports.slip_download" if browser else "supervisor.tui.slip_body")
        from caseintake.services.core import export_target, new_file

        def check(name: str) -> object:  # refused inline, in the dialog, before any work
            return new_file(export_target(settings, name), self._services.db)

        dialog = DecisionDialog(title, body, choices, check=None if browser else check)
        self.app.push_screen(dialog, callback=lambda d: self._slip(row, d))

    def _slip(self, row: QueueRow, decision: Decision | None) -> None:
        if decision is None:
            return
        from caseintake.services.core import export_target

        fmt, caller = decision.choice.split(":")
        settings = self._services.settings
        if to_browser(self.app, settings):
            self._slip_download(row, fmt, caller == "1")
            return
        try:  # a name in the export folder, never a path
            out = export_target(settings, decision.text)
        except Exception as error:
            self._changed(describe(error), True)
            return
        slips, who = self._desk.slips, self._principal
        done = t("supervisor.slip.written_to", number=row.case_number, path=out)
        self._change(lambda: slips.write(who, row.id, out, fmt, caller == "1"), done)

    @work(thread=True, group="queue-change", exit_on_error=False)
    def _slip_download(self, row: QueueRow, fmt: str, caller: bool) -> None:
        try:
            _slip, name, data = self._desk.slips.deliver(self._principal, row.id, fmt, caller)
        except Exception as error:
            self.app.call_from_thread(self._changed, describe(error), True)
            return
        self.app.call_from_thread(deliver, self.app, name, data)
        self.app.call_from_thread(self._changed, t("exports.delivered", name=name), False)

    # -- other screens --------------------------------------------------------------------
    def action_cases(self) -> None:
        from caseintake.tui.screens.cases.case_list_screen import CaseListScreen

        self.app.push_screen(CaseListScreen(self._services, self._principal))

    def action_new_contact(self, draft: Any = None) -> None:
        from caseintake.tui.screens.operator.intake_screen import IntakeScreen

        self.app.push_screen(IntakeScreen(self._services, self._principal, None, draft=draft))

    @work(thread=True, group="queue-draft", exit_on_error=False)
    def _find_draft(self) -> None:
        """A supervisor's unsaved intake comes back at login, as on the operator's home."""
        try:
            draft = self._services.drafts.latest(self._principal)
        except Exception as error:
            self.app.call_from_thread(self._changed, describe(error), True)
            return
        if draft is not None:
            self.app.call_from_thread(self.action_new_contact, draft)

    def action_dashboard(self) -> None:
        from caseintake.tui.screens.supervisor.dashboard_screen import DashboardScreen

        self.app.push_screen(DashboardScreen(self._services, self._principal))

    def action_handoffs(self) -> None:
        from caseintake.tui.screens.handoff.inbox_screen import HandoffInboxScreen

        self.app.push_screen(HandoffInboxScreen(self._services, self._principal))

    def action_statistics(self) -> None:
        from caseintake.tui.screens.supervisor.stats_screen import StatsScreen

        self.app.push_screen(StatsScreen(self._services, self._principal))

    def action_audit(self) -> None:
        from caseintake.tui.screens.supervisor.audit_viewer_screen import AuditViewerScreen

        self.app.push_screen(AuditViewerScreen(self._services, self._principal))

    # -- running a change -----------------------------------------------------------------
    @work(thread=True, group="queue-change", exit_on_error=False)
    def _change(self, change: Callable[[], object], done: str) -> None:
        try:
            change()
        except Exception as error:
            self.app.call_from_thread(self._changed, describe(error), True)
            return
        self.app.call_from_thread(self._changed, done, False)

    def _changed(self, text: str, failed: bool) -> None:
        if failed:
            self.notify(text, severity="error", timeout=10)
            return
        self.notify(text)
        self.action_refresh()
