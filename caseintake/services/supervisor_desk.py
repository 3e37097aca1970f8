"""The supervisor's services over one database, built from the container by each entry point
(CLI command or TUI screen) that needs them; they share its database, settings and audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseintake.services.audit.queries import AuditQueryService
from caseintake.services.cases.review import CaseReviewService
from caseintake.services.referrals.dashboard import DashboardService
from caseintake.services.referrals.escalations import EscalationService
from caseintake.services.referrals.queue import ReferralQueueService
from caseintake.services.referrals.slips import ReferralSlipService

if TYPE_CHECKING:
    from caseintake.services.container import Services


class SupervisorDesk:
    def __init__(self, services: Services) -> None:
        args = (services.db, services.settings, services.audit_log)
        self.services = services
        self.queue = ReferralQueueService(services.db, services.settings)
        self.escalations = EscalationService(*args, self.queue, services.routing)
        self.review = CaseReviewService(*args)
        self.audit_trail = AuditQueryService(*args)
        self.dashboard = DashboardService(services.db, services.settings, self.queue)
        self.slips = ReferralSlipService(*args, services.routing)
