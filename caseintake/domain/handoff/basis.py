"""The legal basis for sharing a case with another line (DOMAIN §6), checked before a package
is made: a legal duty of the receiving body, an emergency, or consent of the legal
representative and of every child aged 7 or over. Citations are data
(``rules/handoff_profiles.toml`` [basis.*])."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from caseintake.domain.handoff.header import HandoffRefused
from caseintake.domain.handoff.profiles import Profile

BASES = ("legal_duty", "emergency", "consent")


@dataclass(frozen=True)
class Consent:
    """Who agreed: the representative's relationship (``parent``, ``guardian``) and whether
    each child aged 7 or over agreed too."""

    representative: str | None = None
    child: bool = False


@cache
def _bases() -> dict[str, Any]:
    text = resources.files("caseintake.rules").joinpath("handoff_profiles.toml").read_text("utf-8")
    return dict(tomllib.loads(text)["basis"])


def citation(code: str) -> str:
    return str(_bases()[code]["source"])


def check_basis(
    code: str,
    profile: Profile,
    record: dict[str, Any],
    consent: Consent | None = None,
) -> dict[str, Any]:
    """The basis as a package carries it, or a refusal saying what is missing."""
    if code not in BASES:
        raise HandoffRefused("handoff.error.basis_unknown", basis=code[:40])
    out: dict[str, Any] = {"code": code, "citation": citation(code)}
    if code == "legal_duty":
        out["duty"] = profile.duty
    elif code == "emergency":
        if not (record.get("immediate_danger") or record.get("priority") == "emergency"):
            raise HandoffRefused("handoff.error.basis_not_emergency")
    else:
        rules = _bases()["consent"]
        given = consent or Consent()
        if given.representative not in rules["representatives"]:
            raise HandoffRefused("handoff.error.consent_representative")
        ages = [child.get("age") for child in record.get("children", ())]
        must_agree = [a for a in ages if a is None or a >= int(rules["consent_age"])]
        if must_agree and not given.child:
            raise HandoffRefused("handoff.error.consent_child", age=int(rules["consent_age"]))
        out["consent"] = {
            "child": given.child,
            "child_needed": bool(must_agree),
            "representative": given.representative,
        }
    return out
