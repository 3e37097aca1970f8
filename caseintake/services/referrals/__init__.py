"""Following referrals until done: their steps (``service``, ``writer``), the supervisor's
queue read band by band (``queue``, ``bands``), escalations (``escalations``), the referral
slip (``slips``, ``slip_pdf``) and the dashboard (``dashboard``)."""

from caseintake.services import public_surface

_NAMES = {
    "Dashboard": "dashboard",
    "QueueCounts": "queue",
    "QueueFilter": "queue",
    "QueuePage": "queue",
    "QueueRow": "queue",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
