"""The services of one database, built once by the composition root (CLI) and handed to the UI."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from caseintake.domain.errors import DomainError
from caseintake.services.access.auth import AuthService
from caseintake.services.access.setup import SetupService
from caseintake.services.access.users import UserService
from caseintake.services.admin.backup import BackupService
from caseintake.services.admin.retention import RetentionService
from caseintake.services.audit.cadence import Cadence
from caseintake.services.audit.log import AuditLog
from caseintake.services.audit.trail import AuditTrailService
from caseintake.services.cases.callers import CallerService
from caseintake.services.cases.contacts import ContactService
from caseintake.services.cases.service import CaseService
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.services.handoffs.service import HandoffService
from caseintake.services.intake.drafts import DraftService
from caseintake.services.intake.service import IntakeService
from caseintake.services.line.cards import LineDirectoryService
from caseintake.services.line.hsds import DirectoryExchange
from caseintake.services.line.identity import LineService
from caseintake.services.referrals.service import ReferralService
from caseintake.services.routing.decisions import RoutingService
from caseintake.services.routing.directory import DirectoryService
from caseintake.services.routing.directory_admin import DirectoryAdminService
from caseintake.services.statistics.service import StatisticsService
from caseintake.store import migrate
from caseintake.store.compaction import finish_pending
from caseintake.store.db import Database, parse_url
from caseintake.store.presence import Presence


class Services:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.db_url)
        self.presence = _presence(settings.db_url)
        self.audit_log = AuditLog(settings.clock)
        args = (self.db, settings, self.audit_log)
        self.setup = SetupService(*args)
        self.auth = AuthService(*args)
        self.auth.on_login = self._logged_in
        self.users = UserService(*args)
        self.audit = AuditTrailService(*args)
        self.cadence = Cadence(self.db, self.audit_log, self.audit.write_checkpoint)
        self.routing = RoutingService(self.db, settings)
        self.intake = IntakeService(*args, self.routing)
        self.callers = CallerService(self.db, self.audit_log)
        self.contacts = ContactService(*args)
        self.cases = CaseService(*args)
        self.referrals = ReferralService(*args)
        self.drafts = DraftService(*args)
        self.directory = DirectoryService(self.db, self.audit_log, self.routing)
        self.statistics = StatisticsService(*args, self.audit)
        self.backup = BackupService(*args, self.audit)
        self.directory_admin = DirectoryAdminService(*args, self.routing)
        self.retention = RetentionService(*args)
        self.line = LineService(*args)
        self.line_cards = LineDirectoryService(*args, self.routing)
        self.handoffs = HandoffService(*args, self.line, self.referrals)
        self.hsds = DirectoryExchange(self.db, self.directory_admin, self.line_cards)

    def _logged_in(self, principal: Principal) -> None:
        if self.presence is not None:  # names who is in, should someone replace the file
            self.presence.add_user(principal.name)
        if principal.standing is not None:  # a checkpoint every N events / M minutes (#20)
            principal.standing.on_call = partial(self.cadence.soon, principal)

    def checkpoint_if_wrote(self, principal: Principal) -> bool:
        """After a CLI command, at the idle lock: sign the head if this process wrote."""
        return self.cadence.maybe(principal, force=True)

    def check_ready(self) -> None:
        """One clear sentence when the database is missing, too old or too new."""
        try:
            current = migrate.current_revision(self.db.engine)
        except OperationalError:
            raise DomainError("db.unreachable", url=_safe(self.settings.db_url)) from None
        if current is None:
            raise DomainError("db.not_initialised", url=_safe(self.settings.db_url))
        if current not in migrate.known_revisions():
            raise DomainError("db.newer_schema", revision=current)
        if current != migrate.head_revision():
            raise DomainError("db.older_schema", revision=current)

    def close(self) -> None:
        self.cadence.settle(timeout=30)  # a checkpoint being signed finishes first
        self.db.dispose()
        if self.presence is not None:
            self.presence.close()


def _presence(url: str) -> Presence | None:
    """This process's marker beside an SQLite file (store/presence.py); none elsewhere."""
    path = sqlite_path(url)
    if path is None or not path.parent.is_dir():
        return None
    try:
        return Presence(path)
    except OSError:  # a read-only folder: nothing can be replaced there by us either
        return None


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(parse_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def open_existing(settings: Settings) -> Services:
    """Services for a database that must already exist (every command but ``init``/``demo``)."""
    path = sqlite_path(settings.db_url)
    if path is not None and not path.exists():
        raise DomainError("db.missing", path=str(path))
    services = Services(settings)
    services.check_ready()
    finish_pending(services.db, settings.clock())  # an erasure a reader held up (issue 20)
    return services


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
