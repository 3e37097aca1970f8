"""The export folder: where the TUI puts the files a user asks for, by name (issue 21 item 1).

The admin sets it (``CASEINTAKE_EXPORT_DIR``, ``serve --export-dir``); by default it is
``exports`` in the user data folder. It is made private (0700) when first used. The file itself
is created the one way (``new_files``), so a name already there is refused, never replaced.
"""

from __future__ import annotations

from pathlib import Path

from caseintake.domain.errors import DomainError
from caseintake.domain.file_names import check_file_name
from caseintake.services.core.private_files import private_dir
from caseintake.services.core.settings import Settings


def export_target(settings: Settings, name: str) -> Path:
    """The path of a new file called ``name`` in the export folder (made when missing)."""
    folder = settings.export_folder()
    checked = check_file_name(name, str(folder))
    try:
        private_dir(folder)
    except OSError:
        raise DomainError("exports.folder_missing", folder=str(folder)) from None
    if not folder.is_dir():
        raise DomainError("exports.folder_missing", folder=str(folder))
    return folder / checked
