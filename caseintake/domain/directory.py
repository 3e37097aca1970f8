"""The directory of bodies: who to call for a body code in a commune, a province or nationally.

Seed entries live in ``rules/directory.toml`` with their source; admins add their own with
``caseintake directory import FILE.csv``. A referral is matched to the most local entry of its
body: the commune's, else the province's, else the national one.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from caseintake.domain.errors import DomainError
from caseintake.domain.intake import geography, taxonomy
from caseintake.domain.intake.phones import normalise_phone
from caseintake.domain.spreadsheet_text import looks_like_formula

CSV_COLUMNS = (
    "id",
    "body",
    "name",
    "province_code",
    "ward_code",
    "phones",
    "email",
    "hours",
    "source",
    "note",
)
REQUIRED_COLUMNS = ("id", "body", "name")
# Free-text columns that reach slips, exports and spreadsheets: never a formula (issue 21).
TEXT_COLUMNS = ("name", "email", "hours", "source", "note")
PHONE_SEPARATOR = ";"
_T = TypeVar("_T")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_EMAIL = re.compile(r"^[^@\s,;]{1,64}@[^@\s,;]{1,190}\.[^@\s,;.]{2,24}$")


@dataclass(frozen=True)
class DirectoryEntry:
    id: str  # slug, unique in the directory
    body: str  # a body code of the taxonomy
    name: str
    province_code: int | None = None  # None: a national entry
    ward_code: int | None = None  # set for a commune's own entry
    phones: tuple[str, ...] = ()  # E.164, or a service number as dialled (111, 113...)
    email: str | None = None
    hours: str = ""
    source: str = ""  # where the contact was published
    note: str = ""

    @property
    def level(self) -> str:
        if self.ward_code is not None:
            return "commune"
        return "province" if self.province_code is not None else "national"


def resolve_entry(
    entries: Iterable[DirectoryEntry], body: str, province_code: int | None, ward_code: int | None
) -> DirectoryEntry | None:
    """The most local entry for ``body``: the commune's, the province's, then the national one."""
    best: tuple[int, DirectoryEntry] | None = None
    for entry in entries:
        if entry.body != body:
            continue
        if ward_code is not None and entry.ward_code == ward_code:
            rank = 0
        elif (
            entry.ward_code is None
            and province_code is not None
            and entry.province_code == province_code
        ):
            rank = 1
        elif entry.province_code is None and entry.ward_code is None:
            rank = 2
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, entry)
    return best[1] if best else None


def load_directory(
    text: str | None = None, source: str = "directory.toml"
) -> tuple[DirectoryEntry, ...]:
    """Entries of a directory TOML file (default: the shipped seed ``rules/directory.toml``)."""
    if text is None:
        text = resources.files("caseintake.rules").joinpath("directory.toml").read_text("utf-8")
    try:
        raw = tomllib.loads(text).get("entry", [])
    except tomllib.TOMLDecodeError as exc:
        raise DomainError("directory.error.file", source=source, reason=str(exc)) from None
    if not isinstance(raw, list):
        raise DomainError("directory.error.file", source=source, reason="[[entry]] expected")
    rows: list[dict[str, str]] = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise DomainError("directory.error.file", source=source, reason="[[entry]] expected")
        row = {k: _cell(item.get(k)) for k in CSV_COLUMNS}
        row["phones"] = PHONE_SEPARATOR.join(str(p) for p in item.get("phones", ()))
        rows.append(row)
    return tuple(_entries(enumerate(rows, start=1)))


def parse_directory_csv(text: str) -> list[DirectoryEntry]:
    """Entries of a CSV file with a header row; a DomainError names the bad line and column."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    if not set(REQUIRED_COLUMNS) <= set(header) or not set(header) <= set(CSV_COLUMNS):
        raise DomainError("directory.error.csv_header", expected=", ".join(CSV_COLUMNS))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise DomainError(
                    "directory.error.csv_columns",
                    line=reader.line_num,
                    found=len(cells),
                    expected=len(header),
                )
            row = {col: "" for col in CSV_COLUMNS} | dict(zip(header, cells, strict=True))
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise DomainError("directory.error.file", source="CSV", reason=str(exc)) from None
    return list(_entries(rows))


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _entries(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterable[DirectoryEntry]:
    seen: set[str] = set()
    for line, row in rows:
        entry = _entry(line, {k: v.strip() for k, v in row.items()})
        if entry.id in seen:
            raise DomainError(
                "directory.error.csv_duplicate", line=line, column="id", value=entry.id
            )
        seen.add(entry.id)
        yield entry


def _entry(line: int, row: dict[str, str]) -> DirectoryEntry:
    def fail(key: str, column: str, **params: object) -> DomainError:
        return DomainError(
            f"directory.error.{key}", line=line, column=column, value=row[column], **params
        )

    for column in REQUIRED_COLUMNS:
        if not row[column]:
            raise fail("csv_required", column)
    for column in TEXT_COLUMNS:
        if looks_like_formula(row[column]):
            raise fail("csv_formula", column)
    if not _ID.match(row["id"]):
        raise fail("csv_required", "id")
    if not taxonomy.is_code("body", row["body"]):
        raise fail("csv_body", "body")
    province = _code(row["province_code"], geography.province) if row["province_code"] else None
    if row["province_code"] and province is None:
        raise fail("csv_province", "province_code")
    ward = _code(row["ward_code"], geography.ward) if row["ward_code"] else None
    if row["ward_code"] and ward is None:
        raise fail("csv_ward", "ward_code")
    if ward is not None and province is not None and ward.province_code != province.code:
        raise fail("csv_ward_province", "ward_code", province=province.code)
    phones = []
    for raw in (p for p in row["phones"].split(PHONE_SEPARATOR) if p.strip()):
        phone = normalise_phone(raw)
        if phone is None:
            raise DomainError(
                "directory.error.csv_phone", line=line, column="phones", value=raw.strip()
            )
        phones.append(phone)
    if row["email"] and not _EMAIL.match(row["email"]):
        raise fail("csv_email", "email")
    return DirectoryEntry(
        id=row["id"],
        body=row["body"],
        name=row["name"],
        province_code=ward.province_code
        if ward is not None
        else (province.code if province else None),
        ward_code=ward.code if ward is not None else None,
        phones=tuple(dict.fromkeys(phones)),
        email=row["email"] or None,
        hours=row["hours"],
        source=row["source"],
        note=row["note"],
    )


def _code(text: str, lookup: Callable[[object], _T | None]) -> _T | None:
    try:
        return lookup(int(text))
    except ValueError:
        return None
