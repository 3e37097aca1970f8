"""The ground every service stands on: who is acting (``principal``), where the database and
the state folder are (``settings``), the read models returned to the screens and commands
(``views``), the state folder's private files (``private_files``) and the one way a file
leaves the building (``new_files``) into the export folder (``export_folder``)."""

from caseintake.services import public_surface

_NAMES = {
    "NewFile": "new_files",
    "export_target": "export_folder",
    "check_new_path": "new_files",
    "new_file": "new_files",
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
