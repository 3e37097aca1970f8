"""Hand-offs between lines (issue 24 items 3-5): sending a referral as a signed, sealed package
(``sending``), receiving, accepting, rejecting and updating one (``receiving``), receipts
back at the sender (``receipts``), what both sides read (``views``, with deadlines in
``deadline_views``), and the partner lines'
cards and this line's keys as the format needs them (``partners``)."""

from caseintake.services import public_surface

_NAMES = {
    "CaseMatch": "views",
    "Download": "downloads",
    "HandoffService": "service",
    "HandoffView": "views",
    "PollResult": "polling",
    "PolledFile": "polling",
    "PartnerReport": "deadline_views",
    "SentFile": "views",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
