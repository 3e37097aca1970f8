"""The schema's revision at launch without Alembic (issue 23 item 3).

Every launch checks, before anyone logs in, that the database is at the head revision of the
migrations this program carries (``Services.check_ready``). Importing Alembic for that cost a
launch about 8 MB and a fifth of its imports (it brings Mako and Pygments), before the login
could check a password. The migration scripts name their revision and the one they follow in
two plain assignments (``revision = '0019'``, ``down_revision = '0018'``); they are read here
as text, the version table with one SELECT (this module imports no SQLAlchemy: the login's
early check, ``services/access/early_login.py``, reads the head here too). A script this
reader does not understand (a merge's tuple of parents, an expression) hands the question to
Alembic's own reader, so the answer is always Alembic's (``tests/store/test_schema_version.py``
holds them equal).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_ASSIGNED = r"^{name}(?:\s*:[^=\n]+)?\s*=\s*(?:(None)|['\"]([^'\"]+)['\"])\s*(?:#.*)?$"
_REVISION = re.compile(_ASSIGNED.format(name="revision"), re.MULTILINE)
_DOWN = re.compile(_ASSIGNED.format(name="down_revision"), re.MULTILINE)


class _Unreadable(Exception):
    """A script whose revisions are not two plain assignments."""


def _read(script: Path) -> tuple[str, str | None]:
    body = script.read_text(encoding="utf-8")
    revision, down = _REVISION.findall(body), _DOWN.findall(body)
    if len(revision) != 1 or len(down) != 1 or not revision[0][1]:
        raise _Unreadable(script.name)
    return revision[0][1], down[0][1] or None


@cache
def _graph() -> tuple[frozenset[str], str]:
    """The known revisions and the single head: read once a process."""
    try:
        parents = dict(_read(p) for p in sorted(VERSIONS.glob("*.py")) if p.name[0] != "_")
        heads = set(parents) - {down for down in parents.values() if down is not None}
        if len(heads) != 1 or any(d is not None and d not in parents for d in parents.values()):
            raise _Unreadable("not one line of revisions")
        return frozenset(parents), heads.pop()
    except _Unreadable:
        from caseintake.store import migrate

        return frozenset(migrate.known_revisions()), migrate.head_revision()


def head_revision() -> str:
    return _graph()[1]


def known_revisions() -> frozenset[str]:
    return _graph()[0]


def current_revision(engine: Engine) -> str | None:
    """The database's revision, None when it has no version table (never initialised); an
    unreachable database raises ``OperationalError`` as Alembic's reader did."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        except (OperationalError, ProgrammingError) as error:
            if _no_table(error):
                conn.rollback()
                return None
            raise
    if len(rows) > 1:  # more than one head: Alembic's own sentence, as before
        from caseintake.store import migrate

        return migrate.current_revision(engine)
    return str(rows[0][0]) if rows else None


def _no_table(error: Exception) -> bool:
    words = str(error).lower()
    return "no such table" in words or "does not exist" in words or "undefinedtable" in words
