"""Where a file asked for in the TUI goes (issue 21 item 2): to the browser under ``serve``
unless the admin turned server files on; never to the browser from a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from caseintake.services.core.settings import Settings
from caseintake.tui.file_delivery import to_browser


async def test_never_the_browser_from_a_terminal_and_only_so_when_the_admin_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The browser side (``is_web``) is the Chromium test's (tests/browser)."""
    monkeypatch.delenv("CASEINTAKE_SERVER_FILES", raising=False)
    plain = Settings.from_env("sqlite:///x.db")
    monkeypatch.setenv("CASEINTAKE_SERVER_FILES", "1")  # serve --server-files
    on = Settings.from_env("sqlite:///x.db")
    assert not plain.server_files and on.server_files
    async with App[None]().run_test() as pilot:
        assert not to_browser(pilot.app, plain) and not to_browser(pilot.app, on)


def test_the_export_folder_is_the_admins_choice(
    export_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings.from_env("sqlite:///x.db").export_folder() == export_folder
    monkeypatch.delenv("CASEINTAKE_EXPORT_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(export_folder.parent / "data"))
    default = Settings.from_env("sqlite:///x.db").export_folder()
    assert default == export_folder.parent / "data" / "caseintake" / "exports"
