"""The terminal application over one database: the composition root. Settings here, and the
services as a factory the app calls in a worker after the login screen is painted (SQLAlchemy
and the crypto stack load while the operator types the user name). Used by the plain launch
(``tui_launch``), Typer's command without a sub-command (``main``) and each browser tab
(``serve.session``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Settings


def services_factory(settings: Settings) -> Services:
    from caseintake.services.container import open_existing

    return open_existing(settings)


def launch(database: str | None) -> None:
    from functools import partial

    from caseintake.domain.errors import DomainError
    from caseintake.i18n import language
    from caseintake.services.core import Settings
    from caseintake.tui.app import CaseIntakeApp
    from caseintake.tui.crash_guard import guarded

    try:
        settings = Settings.from_env(database, language=language())
    except DomainError as err:  # a bad CASEINTAKE_IDLE_LOCK_SECONDS: one sentence (issue 20)
        sys.stderr.write(f"{err.message()}\n")
        sys.exit(1)
    app_class = guarded(CaseIntakeApp)
    app_class.crash_log = settings.state_dir / "crash.log"
    app = app_class(settings, partial(services_factory, settings))
    app.run()
    if app.return_code:  # a crash: Textual restored the terminal and printed one sentence
        sys.exit(app.return_code)
