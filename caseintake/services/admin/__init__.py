"""The admin's files and time limits: backups (``backup``), restores (``restore``), and
retention and erasure (``retention``), adopting rows from before records were bound
(``adopt``). New files are made the one way, ``core.new_files``."""

from caseintake.services import public_surface

_NAMES = {
    "MAX_DAYS": "retention",
    "RecordAdoption": "adopt",
    "restore_copy": "restore:restore",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
