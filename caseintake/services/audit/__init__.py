"""The tamper-evident trail: appending events (``log``: MAC chain, signature, details sealed
or encrypted by ``details``), reading them (``queries``, ``chain_reader``), verifying the whole
chain against the signed checkpoints (``trail``, ``signatures``, ``checkpoints``) and the trust
anchor that certifies every user's signing key (``trust``)."""

from caseintake.services import public_surface

_NAMES = {
    "AuditFilter": "queries",
    "AuditPage": "queries",
    "AuditQueryService": "queries",
    "AuditLog": "log",
    "AuditTrailService": "trail",
    "VerifyResult": "verdict",
    "current_anchor": "trust",
    "detail_lines": "details_text",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
