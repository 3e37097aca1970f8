"""The statistics that leave the system: the indicators counted from the database
(``queries``) and the report with disclosure control and its exports (``service``)."""

from caseintake.services import public_surface

_NAMES = {
    "split_ids": "service",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
