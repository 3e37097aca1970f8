"""A file name the user picks in the TUI: one name inside the export folder, never a path
(issue 21 item 1). What the name may not be is checked here; the folder and the file's creation
are the services' (``services.core.export_folder``, ``new_files``)."""

from __future__ import annotations

from caseintake.domain.errors import DomainError

MAX_NAME = 120


def check_file_name(name: str, folder: str) -> str:
    """``name`` stripped, when it is a plain file name; one sentence otherwise."""
    text = name.strip()
    bad = (
        not text
        or len(text) > MAX_NAME
        or text.startswith(".")
        or "/" in text
        or "\\" in text
        or not text.isprintable()
    )
    if bad:
        raise DomainError("exports.bad_name", folder=folder)
    return text
