"""The services of one database, built once by the composition root (CLI) and handed to the UI."""

from __future__ import annotations

from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from caseintake.domain.errors import DomainError
from caseintake.services.access.auth import AuthService
from caseintake.services.audit.log import AuditLog
from caseintake.services.core.principal import Principal
from caseintake.services.core.settings import Settings
from caseintake.store import schema_version
from caseintake.store.compaction import finish_pending
from caseintake.store.db import Database, parse_url
from caseintake.store.presence import Presence

if TYPE_CHECKING:
    from caseintake.services.access.setup import SetupService
    from caseintake.services.access.users import UserService
    from caseintake.services.admin.backup import BackupService
    from caseintake.services.admin.retention import RetentionService
    from caseintake.services.audit.cadence import Cadence
    from caseintake.services.audit.trail import AuditTrailService
    from caseintake.services.cases.callers import CallerService
    from caseintake.services.cases.contacts import ContactService
    from caseintake.services.cases.service import CaseService
    from caseintake.services.handoffs.service import HandoffService
    from caseintake.services.intake.drafts import DraftService
    from caseintake.services.intake.service import IntakeService
    from caseintake.services.line.cards import LineDirectoryService
    from caseintake.services.line.drop_folders import DropFolderService
    from caseintake.services.line.hsds import DirectoryExchange
    from caseintake.services.line.identity import LineService
    from caseintake.services.referrals.service import ReferralService
    from caseintake.services.routing.decisions import RoutingService
    from caseintake.services.routing.directory import DirectoryService
    from caseintake.services.routing.directory_admin import DirectoryAdminService
    from caseintake.services.statistics.service import StatisticsService


class Services:
    """What a login needs is built here (the database, the audit log, ``auth``); every other
    service, the audit trail and its checkpoint cadence too, is built, and its modules
    imported, on first use: the login's key derivation (64 MiB) then runs without the case,
    referral, statistics, hand-off and directory stacks in memory, and a login's worker builds
    them once the password is checked (``warm``; issue 23 item 3, bench/tui_memory.py)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.db_url)
        self.presence = _presence(settings.db_url)
        self.audit_log = AuditLog(settings.clock)
        self.auth = AuthService(self.db, settings, self.audit_log)
        self.auth.on_login = self._logged_in

    @cached_property
    def audit(self) -> AuditTrailService:
        from caseintake.services.audit.trail import AuditTrailService

        return AuditTrailService(*self._args)

    @cached_property
    def cadence(self) -> Cadence:
        from caseintake.services.audit.cadence import Cadence

        return Cadence(self.db, self.audit_log, self.audit.write_checkpoint)

    @property
    def _args(self) -> tuple[Database, Settings, AuditLog]:
        return (self.db, self.settings, self.audit_log)

    @cached_property
    def setup(self) -> SetupService:
        from caseintake.services.access.setup import SetupService

        return SetupService(*self._args)

    @cached_property
    def users(self) -> UserService:
        from caseintake.services.access.users import UserService

        return UserService(*self._args)

    @cached_property
    def routing(self) -> RoutingService:
        from caseintake.services.routing.decisions import RoutingService

        return RoutingService(self.db, self.settings)

    @cached_property
    def intake(self) -> IntakeService:
        from caseintake.services.intake.service import IntakeService

        return IntakeService(*self._args, self.routing)

    @cached_property
    def callers(self) -> CallerService:
        from caseintake.services.cases.callers import CallerService

        return CallerService(self.db, self.audit_log)

    @cached_property
    def contacts(self) -> ContactService:
        from caseintake.services.cases.contacts import ContactService

        return ContactService(*self._args)

    @cached_property
    def cases(self) -> CaseService:
        from caseintake.services.cases.service import CaseService

        return CaseService(*self._args)

    @cached_property
    def referrals(self) -> ReferralService:
        from caseintake.services.referrals.service import ReferralService

        return ReferralService(*self._args)

    @cached_property
    def drafts(self) -> DraftService:
        from caseintake.services.intake.drafts import DraftService

        return DraftService(*self._args)

    @cached_property
    def directory(self) -> DirectoryService:
        from caseintake.services.routing.directory import DirectoryService

        return DirectoryService(self.db, self.audit_log, self.routing)

    @cached_property
    def statistics(self) -> StatisticsService:
        from caseintake.services.statistics.service import StatisticsService

        return StatisticsService(*self._args, self.audit)

    @cached_property
    def backup(self) -> BackupService:
        from caseintake.services.admin.backup import BackupService

        return BackupService(*self._args, self.audit)

    @cached_property
    def directory_admin(self) -> DirectoryAdminService:
        from caseintake.services.routing.directory_admin import DirectoryAdminService

        return DirectoryAdminService(*self._args, self.routing)

    @cached_property
    def retention(self) -> RetentionService:
        from caseintake.services.admin.retention import RetentionService

        return RetentionService(*self._args)

    @cached_property
    def line(self) -> LineService:
        from caseintake.services.line.identity import LineService

        return LineService(*self._args)

    @cached_property
    def line_cards(self) -> LineDirectoryService:
        from caseintake.services.line.cards import LineDirectoryService

        return LineDirectoryService(*self._args, self.routing)

    @cached_property
    def handoffs(self) -> HandoffService:
        from caseintake.services.handoffs.service import HandoffService

        return HandoffService(*self._args, self.line, self.referrals)

    @cached_property
    def drop_folders(self) -> DropFolderService:
        from caseintake.services.line.drop_folders import DropFolderService

        return DropFolderService(*self._args)

    @cached_property
    def hsds(self) -> DirectoryExchange:
        from caseintake.services.line.hsds import DirectoryExchange

        return DirectoryExchange(self.db, self.directory_admin, self.line_cards)

    def warm(self) -> None:
        """Build every service now (a login's worker calls this once the password is checked,
        so the home's first calls find them built and the event loop imports nothing)."""
        for name in _LAZY:
            getattr(self, name)

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
            current = schema_version.current_revision(self.db.engine)
        except OperationalError:
            raise DomainError("db.unreachable", url=_safe(self.settings.db_url)) from None
        if current is None:
            raise DomainError("db.not_initialised", url=_safe(self.settings.db_url))
        if current not in schema_version.known_revisions():
            raise DomainError("db.newer_schema", revision=current)
        if current != schema_version.head_revision():
            raise DomainError("db.older_schema", revision=current)

    def close(self) -> None:
        if "cadence" in self.__dict__:  # a checkpoint being signed finishes first
            self.cadence.settle(timeout=30)
        self.db.dispose()
        if self.presence is not None:
            self.presence.close()


_LAZY = tuple(name for name, value in vars(Services).items() if isinstance(value, cached_property))


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
