"""State machines of a case and of a referral, with who may make each move.

Case: ``received → assessed → referred → in_support → monitoring → closed``, following the steps
of Decree 56/2017/NĐ-CP ch. III (receive, assess, plan and provide support, monitor, close when
safe and stable) and 111's six-step workflow (DOMAIN §3). Closing and reopening need a
supervisor, as closure is approved in Primero and the anchors (DOMAIN §7).

Referral: ``pending → sent → acknowledged → in_progress → done``; ``declined`` (with a reason)
from sent or acknowledged; ``revoked`` (with a reason) from any state that is not final
(DESIGN §3, after Primero's hand-off states).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from caseintake.domain.errors import DomainError
from caseintake.i18n import t

MachineKind = Literal["case", "referral"]
ROLES = ("operator", "supervisor", "admin")

CASE_STATES = ("received", "assessed", "referred", "in_support", "monitoring", "closed")
REFERRAL_STATES = ("pending", "sent", "acknowledged", "in_progress", "done", "declined", "revoked")


@dataclass(frozen=True)
class Edge:
    """One allowed move: who may make it and whether it needs a written reason."""

    supervisor_only: bool = False
    needs_reason: bool = False


_OPEN_CASE = ("received", "assessed", "referred", "in_support")

_CASE_EDGES: dict[tuple[str, str], Edge] = {
    ("received", "assessed"): Edge(),
    ("assessed", "referred"): Edge(),
    ("referred", "in_support"): Edge(),
    ("in_support", "monitoring"): Edge(),
    ("monitoring", "closed"): Edge(supervisor_only=True),  # close when safe and stable
    # Back-edges: reassess after a declined referral, refer again, support again.
    ("referred", "assessed"): Edge(),
    ("in_support", "referred"): Edge(),
    ("monitoring", "in_support"): Edge(),
    ("closed", "assessed"): Edge(supervisor_only=True, needs_reason=True),  # reopen
    # Early closure (duplicate, no protection need found) needs a supervisor and a reason.
    **{(state, "closed"): Edge(supervisor_only=True, needs_reason=True) for state in _OPEN_CASE},
}

_REFERRAL_EDGES: dict[tuple[str, str], Edge] = {
    ("pending", "sent"): Edge(),
    ("sent", "acknowledged"): Edge(),
    ("acknowledged", "in_progress"): Edge(),
    ("in_progress", "done"): Edge(),
    ("sent", "declined"): Edge(needs_reason=True),
    ("acknowledged", "declined"): Edge(needs_reason=True),
    # Taking a referral back is the supervisor's decision, with a reason (issue 8).
    **{
        (state, "revoked"): Edge(supervisor_only=True, needs_reason=True)
        for state in ("pending", "sent", "acknowledged", "in_progress")
    },
}

_MACHINES: dict[str, tuple[tuple[str, ...], dict[tuple[str, str], Edge]]] = {
    "case": (CASE_STATES, _CASE_EDGES),
    "referral": (REFERRAL_STATES, _REFERRAL_EDGES),
}

FINAL_STATES: dict[str, frozenset[str]] = {
    "case": frozenset({"closed"}),
    "referral": frozenset({"done", "declined", "revoked"}),
}


class TransitionRefused(DomainError):
    """A refused move; the message shows the states' labels in the reader's language."""

    def __init__(self, key: str, kind: str, src: str, dst: str, **params: object) -> None:
        super().__init__(key, kind=kind, src=src, dst=dst, **params)
        self.kind, self.src, self.dst = kind, src, dst

    def message(self, lang: str | None = None) -> str:
        params = self.words(lang)
        params["src"] = state_label(self.kind, self.src, lang)
        params["dst"] = state_label(self.kind, self.dst, lang)
        return t(self.key, lang, **params)


def states(kind: str) -> tuple[str, ...]:
    return _machine(kind)[0]


def state_label(kind: str, state: str, lang: str | None = None) -> str:
    return t(f"state.{kind}.{state}", lang) if state in _MACHINES.get(kind, ((), {}))[0] else state


def is_state(kind: str, state: str) -> bool:
    return state in _MACHINES.get(kind, ((), {}))[0]


def is_final(kind: str, state: str) -> bool:
    return state in FINAL_STATES.get(kind, frozenset())


def edge(kind: str, src: str, dst: str) -> Edge | None:
    """The allowed move from ``src`` to ``dst``, or None."""
    return _machine(kind)[1].get((src, dst))


def allowed_targets(kind: str, src: str, role: str) -> tuple[str, ...]:
    """States ``role`` may move to from ``src``, in the machine's order (for menus)."""
    names, edges = _machine(kind)
    is_supervisor = role == "supervisor"
    return tuple(
        dst
        for dst in names
        if (found := edges.get((src, dst))) is not None
        and (is_supervisor or not found.supervisor_only)
    )


def transition(kind: str, src: str, dst: str, role: str, reason: str | None = None) -> None:
    """Allow the move or raise a DomainError that says why not."""
    names, edges = _machine(kind)
    if role not in ROLES:
        raise DomainError("state.error.unknown_role", role=role)
    for state in (src, dst):
        if state not in names:
            raise DomainError("state.error.unknown_state", kind=kind, state=state)
    found = edges.get((src, dst))
    if found is None:
        key = "state.error.final" if is_final(kind, src) else "state.error.illegal"
        raise TransitionRefused(key, kind, src, dst)
    if found.supervisor_only and role != "supervisor":
        raise TransitionRefused("state.error.supervisor_only", kind, src, dst, role=role)
    if found.needs_reason and not (reason and reason.strip()):
        raise TransitionRefused("state.error.reason_required", kind, src, dst)


def _machine(kind: str) -> tuple[tuple[str, ...], dict[tuple[str, str], Edge]]:
    try:
        return _MACHINES[kind]
    except KeyError:
        raise DomainError("state.error.unknown_kind", kind=kind) from None
