"""Where a report goes: the pure routing decision joined to the directory's concrete desks
(``decisions``), the directory of bodies (``directory``), its administration and import
(``directory_admin``) and its versions (``directory_versions``)."""

from caseintake.services import public_surface

_NAMES = {
    "ProposedReferral": "decisions",
    "RoutedDecision": "decisions",
    "RoutingService": "decisions",
    "AdminEntry": "directory_admin",
    "ImportPreview": "directory_admin",
    "read_import_file": "directory_admin",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
