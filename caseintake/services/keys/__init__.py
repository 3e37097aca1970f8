"""The data key's life: the session's key ring and the users' key slots (``ring``), rotating
the data key over every encrypted field (``rotation``) and rotating the recovery key
(``recovery``)."""

from caseintake.services import public_surface

_NAMES = {
    "KeyRotationService": "rotation",
    "RecoveryRotationService": "recovery",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
