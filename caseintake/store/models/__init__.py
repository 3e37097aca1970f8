"""SQLAlchemy 2 models, one module per aggregate. The schema itself comes from migrations."""

from caseintake.store.models.audit import AuditEvent, PendingAuthEvent
from caseintake.store.models.base import Base
from caseintake.store.models.cases import (
    Case,
    CaseConcern,
    CaseCounter,
    CaseNote,
    Child,
    Perpetrator,
)
from caseintake.store.models.contacts import Contact, ContactChild
from caseintake.store.models.directory import DirectoryEntryRow
from caseintake.store.models.drafts import Draft
from caseintake.store.models.handoffs import HandoffReceiptRow, HandoffRow
from caseintake.store.models.keys import CaseKeyRow, DataKeyRow, KeyRotation
from caseintake.store.models.line import ChildPin, DropFolderRow, LineCardRow, LineIdentityRow
from caseintake.store.models.publication import StatisticsFloor, StatisticsRelease
from caseintake.store.models.referrals import Referral, ReferralUpdate
from caseintake.store.models.retention import CaseErasure, RetentionPolicy
from caseintake.store.models.review import CaseApproval, EscalationRow
from caseintake.store.models.security import (
    KeySlotRow,
    LoginThrottle,
    Meta,
    SecuritySettings,
    User,
)

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "CaseApproval",
    "CaseConcern",
    "CaseCounter",
    "CaseErasure",
    "CaseKeyRow",
    "CaseNote",
    "Child",
    "ChildPin",
    "Contact",
    "ContactChild",
    "DataKeyRow",
    "DirectoryEntryRow",
    "Draft",
    "DropFolderRow",
    "EscalationRow",
    "HandoffReceiptRow",
    "HandoffRow",
    "KeyRotation",
    "KeySlotRow",
    "LineCardRow",
    "LineIdentityRow",
    "LoginThrottle",
    "Meta",
    "PendingAuthEvent",
    "Perpetrator",
    "Referral",
    "ReferralUpdate",
    "RetentionPolicy",
    "SecuritySettings",
    "StatisticsFloor",
    "StatisticsRelease",
    "User",
]
