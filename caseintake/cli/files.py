"""Reading input files with one clear sentence for every way they can be wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from caseintake.domain.errors import DomainError

MAX_INPUT_BYTES = 5_000_000


def read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise DomainError("cli.file_too_big", path=str(path), n=MAX_INPUT_BYTES)
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DomainError("cli.file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise DomainError("cli.file_is_dir", path=str(path)) from None
    except UnicodeDecodeError:
        raise DomainError("cli.file_not_utf8", path=str(path)) from None


def read_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DomainError(
            "cli.bad_json", path=str(path), line=err.lineno, col=err.colno, msg=err.msg
        ) from None
