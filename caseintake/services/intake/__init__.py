"""Saving what an operator logged: the contact, its case and referrals in one transaction
(``service``), and the encrypted drafts of an unsaved form (``drafts``)."""

from caseintake.services import public_surface

_NAMES = {
    "ReferralChoice": "service",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
