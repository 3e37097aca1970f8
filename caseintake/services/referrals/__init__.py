"""Following referrals until done: their steps (``service``, ``writer``), the supervisor's
queue read band by band (``queue``, ``bands``), escalations (``escalations``), the referral
slip (``slips``, ``slip_pdf``), the dashboard (``dashboard``) and its time to accept per
partner line (``partner_times``)."""

from caseintake.services import public_surface

_NAMES = {
    "Dashboard": "dashboard",
    "PartnerTimes": "partner_times",
    "QueueCounts": "queue",
    "QueueFilter": "queue",
    "QueuePage": "queue",
    "QueueRow": "queue",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
