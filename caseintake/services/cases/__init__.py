"""Cases and contacts once saved: finding and listing them (``service``, ``queries``),
opening one to read (``reading``, ``contacts``), the supervisor's review (``review``), the
rows a save writes (``writer``) and repeat callers by the phone's blind index (``callers``)."""

from caseintake.services import public_surface

_NAMES = {
    "CaseQuery": "service",
    "CaseSummary": "service",
    "ContactSummary": "contacts",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
