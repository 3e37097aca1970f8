"""Where a file the user asks for goes (issue 21 items 1 and 2).

In a terminal it is a new file, by name, in the export folder the admin set. In a browser
(``caseintake serve``) it goes to the browser as a download (Textual's ``deliver_binary``,
which textual-serve turns into a one-time link) and nothing is written on the server, unless
the admin turned server files on (``serve --server-files``).
"""

from __future__ import annotations

import io
import mimetypes
from typing import Any

_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def to_browser(app: Any, settings: Any) -> bool:
    """True when a file goes to the browser, not into the export folder."""
    return bool(getattr(app, "is_web", False)) and not settings.server_files


def deliver(app: Any, name: str, data: bytes) -> None:
    """Hand ``data`` to the browser as a download called ``name`` (on the app's thread)."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    mime = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    app.deliver_binary(io.BytesIO(data), save_filename=name, open_method="download", mime_type=mime)
