"""Each role lands on its own home, with only the bindings it may use (DESIGN §1).

Operators log calls; supervisors follow referrals; an admin does not read case content and
keeps the system alive (users, directory, keys, backups), so the intake form is not theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from caseintake.services.container import Services
    from caseintake.services.core import Principal


def home_for(services: Services, principal: Principal) -> Screen[None]:
    """The first screen after login for the principal's role."""
    if principal.role == "admin":
        from caseintake.tui.screens.admin.home_screen import AdminHomeScreen

        return AdminHomeScreen(services, principal)
    if principal.role == "supervisor":  # the supervisor's desk: the referral queue (issue 8)
        from caseintake.tui.screens.supervisor.referral_queue_screen import ReferralQueueScreen

        return ReferralQueueScreen(services, principal)
    from caseintake.tui.screens.operator.home_screen import HomeScreen

    return HomeScreen(services, principal)
