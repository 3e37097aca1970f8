"""Open the terminal application with its services (built here: the composition root)."""

from __future__ import annotations


def launch(database: str | None) -> None:
    from caseintake.cli.common import settings_for
    from caseintake.tui.app import CaseIntakeApp

    CaseIntakeApp(settings_for(database)).run()
