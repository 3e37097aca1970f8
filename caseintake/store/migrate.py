"""Run the Alembic migrations from code, from a checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# Inside the package (caseintake/store/migrations), so a wheel carries them and finds them beside
# this file wherever it is installed; nothing is read from a source checkout.
SCRIPT_LOCATION = str(Path(__file__).with_name("migrations"))


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    # configparser treats "%" as interpolation: a URL with an escaped socket path needs "%%".
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    """Read once a process: each launch checks the schema against it (``check_ready``), and
    walking the scripts twice cost the login about 0.1 s (issue 23)."""
    return ScriptDirectory(SCRIPT_LOCATION)


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {s.revision for s in _scripts().walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
