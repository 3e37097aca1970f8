"""Where a package or receipt goes: a new file by path (a terminal, the CLI), or a
``Download`` kept in memory for the browser (``caseintake serve``: Textual's
``deliver_binary`` hands it over and nothing is written on the server, as slips and
statistics do, issue 21). Either is placed inside the transaction that audits it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from caseintake.services.core.new_files import NewFile, new_file
from caseintake.store.db import Database


@dataclass
class Download:
    """A file for the browser: its name (made by the desk, never typed) and, once placed,
    its bytes."""

    name: str
    data: bytes | None = None

    def __enter__(self) -> Download:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.data = None  # nothing leaves with a failed transaction

    def place(self, data: bytes) -> None:
        self.data = data


def target(out: Path | Download, db: Database) -> Download | NewFile:
    return out if isinstance(out, Download) else new_file(out, db)


def where(out: Path | Download) -> dict[str, str]:
    """What the audit event says of where the file went (a download by its name)."""
    return {"download": out.name} if isinstance(out, Download) else {}


def delivered(out: Path | Download) -> tuple[Path, bytes | None]:
    """The path a hand-off view names (a download's name) and a download's bytes."""
    return (Path(out.name), out.data) if isinstance(out, Download) else (out, None)
