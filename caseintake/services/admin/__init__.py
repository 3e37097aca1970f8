"""The admin's files and time limits: backups (``backup``), restores (``restore``), the new
files both write (``copy_files``) and retention and erasure (``retention``)."""

from caseintake.services import public_surface

_NAMES = {
    "MAX_DAYS": "retention",
    "restore_copy": "restore:restore",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
