"""Who may come in: the database's first set-up (``setup``), login and its throttle (``auth``,
``login_throttle``), password rules (``passwords``), the admin's security settings
(``security_settings``) and the users themselves (``users``)."""

from caseintake.services import public_surface

_NAMES = {
    "EarlyKey": "early_login",
    "LoginGate": "early_login",
    "SecuritySettingsService": "security_settings",
    "UserInfo": "users",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
