"""The ground every service stands on: who is acting (``principal``), where the database and
the state folder are (``settings``), the read models returned to the screens and commands
(``views``) and the state folder's private files (``private_files``)."""

from caseintake.services import public_surface

_NAMES = {
    "Principal": "principal",
    "Settings": "settings",
    "SessionEnded": "standing",
    **dict.fromkeys(
        (
            "CallerHistory",
            "CaseDetail",
            "CasePage",
            "CaseSummary",
            "ChildView",
            "ContactSummary",
            "ContactView",
            "PerpetratorView",
            "ReferralView",
            "SavedContact",
        ),
        "views",
    ),
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
