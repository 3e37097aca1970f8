"""A package's body, in the vocabulary of FHIR ServiceRequest (status, intent, priority, code,
requester, performer, reason, subject; no FHIR server): what the receiving line needs to act on
one referral, minimised by its profile, with the legal basis, the routing decision and the
sender's case number and audit-chain head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseintake.domain.handoff.header import HandoffRefused, format_time, parse_time

# Our priorities in FHIR request-priority codes (routine | urgent | asap | stat).
FHIR_PRIORITY = {
    "emergency": "stat",
    "high": "asap",
    "medium": "urgent",
    "low": "routine",
    "none": "routine",
}
_LINE_PARTY = {"case_number", "line"}
_KEYS = {
    "audit_head",
    "authored",
    "basis",
    "code",
    "intent",
    "performer",
    "priority",
    "profile",
    "requester",
    "resource",
    "routing",
    "status",
    "subject",
}


@dataclass(frozen=True)
class Routing:
    """The routing decision behind the referral: its rule, citations and deadline."""

    rule_id: str
    body: str  # the body code requested
    citations: tuple[str, ...]
    due: datetime | None

    def to_json(self) -> dict[str, Any]:
        due = format_time(self.due) if self.due else None
        return {"citations": list(self.citations), "due": due, "rule_id": self.rule_id}


@dataclass(frozen=True)
class PackageBody:
    case_number: str  # the sender's
    sender_line: str
    recipient_line: str
    directory_id: str  # the recipient's entry in the sender's directory
    routing: Routing
    basis: dict[str, Any]  # from basis.check_basis
    profile_id: str
    profile_source: str
    subject: dict[str, Any]  # the minimised case record
    audit_seq: int
    audit_mac: str  # hex
    authored: datetime

    def to_json(self) -> dict[str, Any]:
        priority = str(self.subject.get("priority") or "none")
        return {
            "audit_head": {"mac": self.audit_mac, "seq": self.audit_seq},
            "authored": format_time(self.authored),
            "basis": self.basis,
            "code": self.routing.body,
            "intent": "order",
            "performer": {"directory_id": self.directory_id, "line": self.recipient_line},
            "priority": FHIR_PRIORITY.get(priority, "routine"),
            "profile": {"id": self.profile_id, "source": self.profile_source},
            "requester": {"case_number": self.case_number, "line": self.sender_line},
            "resource": "ServiceRequest",
            "routing": self.routing.to_json(),
            "status": "active",
            "subject": self.subject,
        }

    @classmethod
    def from_json(cls, value: Any) -> PackageBody:
        """A body read from an opened package; a wrong shape is refused as not a package."""
        try:
            if not isinstance(value, dict) or set(value) != _KEYS:
                raise ValueError("keys")
            if value["resource"] != "ServiceRequest":
                raise ValueError("resource")
            requester, performer = value["requester"], value["performer"]
            routing, head = value["routing"], value["audit_head"]
            if set(requester) != _LINE_PARTY:
                raise ValueError("requester")
            due = routing["due"]
            return cls(
                case_number=_text(requester["case_number"]),
                sender_line=_text(requester["line"]),
                recipient_line=_text(performer["line"]),
                directory_id=_text(performer["directory_id"]),
                routing=Routing(
                    rule_id=_text(routing["rule_id"]),
                    body=_text(value["code"]),
                    citations=tuple(_text(c) for c in routing["citations"]),
                    due=parse_time(due) if due is not None else None,
                ),
                basis=_object(value["basis"]),
                profile_id=_text(value["profile"]["id"]),
                profile_source=_text(value["profile"]["source"]),
                subject=_object(value["subject"]),
                audit_seq=int(head["seq"]),
                audit_mac=_text(head["mac"]),
                authored=parse_time(value["authored"]),
            )
        except (KeyError, TypeError, ValueError):
            raise HandoffRefused("handoff.error.bad_body") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value
