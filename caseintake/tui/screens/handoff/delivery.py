"""Where the hand-off desk's files go (issue 24f item 2): in a terminal, a new file by the
name typed (a package) or made (a receipt) in the export folder, as before; in a browser
(``caseintake serve``) a download made by ``deliver_binary``, named by the desk, nothing
written on the server (unless the admin turned server files on, as for slips). Called from
a dialog's worker thread; the download is handed to the browser on the app's thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseintake.i18n import t
from caseintake.tui.file_delivery import deliver, to_browser

if TYPE_CHECKING:
    from caseintake.services.core import Settings
    from caseintake.services.handoffs import Download, SentFile


def in_browser(app: Any, settings: Settings) -> bool:
    return to_browser(app, settings)


def package_name(case_number: str, partner_code: str) -> str:
    """A downloaded package's name: the case number and the partner's code, nothing typed."""
    safe = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in case_number)
    return f"chuyen-tuyen-{safe}-{partner_code}.cih"


def target(app: Any, settings: Settings, name: str) -> Path | Download:
    """A download called ``name`` in a browser; else ``name`` in the export folder (a name,
    never a path: one sentence when it is not one)."""
    from caseintake.services.core import export_target
    from caseintake.services.handoffs import Download

    if in_browser(app, settings):
        return Download(name)
    return export_target(settings, name)


def hand_over(app: Any, sent: SentFile) -> str:
    """Send a download's bytes to the browser; the words saying where the file is."""
    if sent.data is None:
        return str(sent.path)
    app.call_from_thread(deliver, app, sent.path.name, sent.data)
    return t("handoff_browser.downloaded", name=sent.path.name)
