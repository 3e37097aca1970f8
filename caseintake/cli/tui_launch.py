"""Open the terminal application. The composition root: settings here, and the services as a
factory the app calls in a worker after the login screen is painted (SQLAlchemy and the crypto
stack load while the operator types the user name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.settings import Settings


def services_factory(settings: Settings) -> Services:
    from caseintake.services.container import open_existing

    return open_existing(settings)


def launch(database: str | None) -> None:
    from functools import partial

    from caseintake.i18n import language
    from caseintake.services.settings import Settings
    from caseintake.tui.app import CaseIntakeApp

    settings = Settings.from_env(database, language=language())
    CaseIntakeApp(settings, partial(services_factory, settings)).run()
