"""The directory as Open Referral HSDS 3.0 (issue 24 item 2): one JSON document, a list of
``service`` objects each with its ``organization``, ``phones``, ``contacts``, ``schedules`` and
``service_areas``; a line's public card rides as the extension member ``x_caseintake_line_card``
(HSDS allows extra members; ``x_`` marks ours), the directory's own codes as ``x_caseintake``.

``SCHEMA`` is a subset of the HSDS schema files (openreferral/specification ``schema/
service.json``, ``organization.json``, ``phone.json``, ``contact.json``, ``schedule.json``,
``service_area.json``): the members this application writes and reads, with their types, the
required members and the service ``status`` vocabulary. ``problems`` checks a document against
it with the few keywords it uses. Not verified offline: the exact 3.0 release of those files
(the copies read carry 3.1/3.2 identifiers; the members used here are unchanged in them), and
the ``format`` keywords (uuid, email, uri), which are not checked.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

HSDS_VERSION = "3.0"
CARD_MEMBER = "x_caseintake_line_card"
CODES_MEMBER = "x_caseintake"
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
_NS = uuid.UUID("6f1b3f0e-5c43-4b43-9a55-0b1c2d3e4f50")  # this application's uuid5 namespace
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

_STR = {"type": "string"}
_ID = {"type": "string", "pattern": _UUID}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


PHONE = _obj(["id", "number"], id=_ID, number=_STR, type=_STR, description=_STR)
CONTACT = _obj(["id"], id=_ID, name=_STR, title=_STR, email=_STR,
               phones={"type": "array", "items": {"$ref": "#/$defs/phone"}})  # fmt: skip
SCHEDULE = _obj(["id"], id=_ID, service_id=_ID, description=_STR, opens_at=_STR, closes_at=_STR)
SERVICE_AREA = _obj(["id"], id=_ID, service_id=_ID, name=_STR, description=_STR,
                    extent_type=_STR)  # fmt: skip
ORGANIZATION = _obj(["id", "name", "description"], id=_ID, name=_STR, description=_STR,
                    email=_STR, website=_STR)  # fmt: skip
SERVICE = _obj(
    ["id", "name", "status"],
    id=_ID, organization_id=_ID, name=_STR, description=_STR, email=_STR,
    status={"type": "string", "enum": list(STATUSES)},
    organization={"$ref": "#/$defs/organization"},
    phones={"type": "array", "items": {"$ref": "#/$defs/phone"}},
    contacts={"type": "array", "items": {"$ref": "#/$defs/contact"}},
    schedules={"type": "array", "items": {"$ref": "#/$defs/schedule"}},
    service_areas={"type": "array", "items": {"$ref": "#/$defs/service_area"}},
    **{CODES_MEMBER: {"type": "object"}, CARD_MEMBER: {"type": "object"}},
)  # fmt: skip
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "caseintake directory as HSDS 3.0 services (subset)",
    "type": "array",
    "items": {"$ref": "#/$defs/service"},
    "$defs": {"service": SERVICE, "organization": ORGANIZATION, "phone": PHONE,
              "contact": CONTACT, "schedule": SCHEDULE, "service_area": SERVICE_AREA},
}  # fmt: skip
_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict, "array": list, "string": str, "number": (int, float), "integer": int,
    "boolean": bool,
}  # fmt: skip
MAX_PROBLEMS = 20


def problems(data: Any, schema: dict[str, Any] = SCHEMA) -> list[str]:
    """One line per place ``data`` breaks the schema (at most ``MAX_PROBLEMS``); empty: valid."""
    found: list[str] = []
    _check(data, schema, "$", schema.get("$defs", {}), found)
    return found[:MAX_PROBLEMS]


def _check(
    value: Any, schema: dict[str, Any], where: str, defs: dict[str, Any], out: list[str]
) -> None:
    if len(out) >= MAX_PROBLEMS:
        return
    if "$ref" in schema:
        _check(value, defs[schema["$ref"].rsplit("/", 1)[1]], where, defs, out)
        return
    kind = schema.get("type")
    if kind is not None:
        wanted = _TYPES[kind]
        if not isinstance(value, wanted) or (kind != "boolean" and isinstance(value, bool)):
            out.append(f"{where}: {kind} expected")
            return
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: one of {', '.join(map(str, schema['enum']))} expected")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        out.append(f"{where}: does not match {schema['pattern']}")
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                out.append(f"{where}.{name}: required")
        for name, sub in schema.get("properties", {}).items():
            if name in value and value[name] is not None:
                _check(value[name], sub, f"{where}.{name}", defs, out)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{i}]", defs, out)


def stable_id(*parts: str) -> str:
    """A UUID (HSDS ids are UUIDs) that stays the same for the same directory entry."""
    return str(uuid.uuid5(_NS, "|".join(parts)))


def service_of(
    entry: Any, retired: bool, area: str, card: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One directory entry (``domain.directory.DirectoryEntry``) as an HSDS service."""
    sid, oid = stable_id("service", entry.id), stable_id("organization", entry.id)
    phones = [
        {"id": stable_id("phone", entry.id, p), "number": p, "type": "voice"} for p in entry.phones
    ]
    service: dict[str, Any] = {
        "id": sid,
        "organization_id": oid,
        "name": entry.name,
        "description": entry.name,
        "status": "inactive" if retired else "active",
        "organization": {"id": oid, "name": entry.name, "description": entry.name},
        "phones": phones,
        "contacts": [{"id": stable_id("contact", entry.id), "name": entry.name, "phones": phones}],
        "schedules": [],
        "service_areas": [
            {"id": stable_id("area", entry.id), "service_id": sid, "name": area,
             "extent_type": "text"}
        ],
        CODES_MEMBER: {"id": entry.id, "body": entry.body, "province_code": entry.province_code,
                       "ward_code": entry.ward_code, "source": entry.source},
    }  # fmt: skip
    if entry.email:
        service["email"] = service["organization"]["email"] = entry.email
        service["contacts"][0]["email"] = entry.email
    if entry.hours:
        service["schedules"].append(
            {"id": stable_id("schedule", entry.id), "service_id": sid, "description": entry.hours}
        )
    if card is not None:
        service[CARD_MEMBER] = card
    return service


def entry_fields(service: dict[str, Any]) -> dict[str, object]:
    """The directory columns an HSDS service (checked by ``problems`` first) gives: our own
    codes when the service came from caseintake, else what HSDS says (the body code and area
    then have to be set by the admin before routing uses the entry)."""
    codes = service.get(CODES_MEMBER) or {}
    phones = [p["number"] for p in service.get("phones") or [] if isinstance(p.get("number"), str)]
    schedules = service.get("schedules") or []
    hours = next((s["description"] for s in schedules if isinstance(s.get("description"), str)), "")
    return {
        "id": codes.get("id") or f"hsds-{service['id'][:8]}",
        "body": codes.get("body") or "",
        "name": service["name"],
        "province_code": codes.get("province_code"),
        "ward_code": codes.get("ward_code"),
        "phones": ";".join(phones),
        "email": service.get("email") or "",
        "hours": hours,
        "source": codes.get("source") or f"HSDS {HSDS_VERSION} service {service['id']}",
    }
