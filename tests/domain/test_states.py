"""Every pair of states of both machines, legal and illegal, for every role."""

from __future__ import annotations

import itertools

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals import states
from caseintake.domain.referrals.states import TransitionRefused, allowed_targets, transition

# The expected machines, written out independently of the module: (src, dst) -> (sup, reason).
CASE_LEGAL = {
    ("received", "assessed"): (False, False),
    ("assessed", "referred"): (False, False),
    ("referred", "in_support"): (False, False),
    ("in_support", "monitoring"): (False, False),
    ("monitoring", "closed"): (True, False),
    ("referred", "assessed"): (False, False),
    ("in_support", "referred"): (False, False),
    ("monitoring", "in_support"): (False, False),
    ("closed", "assessed"): (True, True),
    ("received", "closed"): (True, True),
    ("assessed", "closed"): (True, True),
    ("referred", "closed"): (True, True),
    ("in_support", "closed"): (True, True),
}
REFERRAL_LEGAL = {
    ("pending", "sent"): (False, False),
    ("sent", "acknowledged"): (False, False),
    ("acknowledged", "in_progress"): (False, False),
    ("in_progress", "done"): (False, False),
    ("sent", "declined"): (False, True),
    ("acknowledged", "declined"): (False, True),
    ("pending", "revoked"): (True, True),
    ("sent", "revoked"): (True, True),
    ("acknowledged", "revoked"): (True, True),
    ("in_progress", "revoked"): (True, True),
}
MACHINES = {"case": CASE_LEGAL, "referral": REFERRAL_LEGAL}


def _pairs(kind: str) -> list[tuple[str, str, str]]:
    names = states.states(kind)
    return [(kind, a, b) for a, b in itertools.product(names, names)]


ALL_PAIRS = _pairs("case") + _pairs("referral")


@pytest.mark.parametrize(("kind", "src", "dst"), ALL_PAIRS)
def test_every_pair_for_a_supervisor_with_a_reason(kind: str, src: str, dst: str) -> None:
    if (src, dst) in MACHINES[kind]:
        transition(kind, src, dst, "supervisor", "reason given")
    else:
        with pytest.raises(TransitionRefused) as info:
            transition(kind, src, dst, "supervisor", "reason given")
        assert info.value.key in {"state.error.illegal", "state.error.final"}


@pytest.mark.parametrize(("kind", "src", "dst"), ALL_PAIRS)
def test_every_pair_for_an_operator_without_a_reason(kind: str, src: str, dst: str) -> None:
    rule = MACHINES[kind].get((src, dst))
    if rule is None:
        expected = "state.error.final" if states.is_final(kind, src) else "state.error.illegal"
    elif rule[0]:
        expected = "state.error.supervisor_only"
    elif rule[1]:
        expected = "state.error.reason_required"
    else:
        transition(kind, src, dst, "operator")
        return
    with pytest.raises(TransitionRefused) as info:
        transition(kind, src, dst, "operator", "  ")
    assert info.value.key == expected


def test_done_to_sent_message_names_both_states() -> None:
    with pytest.raises(DomainError) as info:
        transition("referral", "done", "sent", "supervisor")
    assert info.value.message("en") == "“Done” is a final state: cannot go to “Sent”."
    assert "Hoàn thành" in info.value.message("vi")


def test_operator_cannot_close_a_case() -> None:
    with pytest.raises(DomainError) as info:
        transition("case", "monitoring", "closed", "operator")
    assert "supervisor" in info.value.message("en")
    with pytest.raises(DomainError):
        transition("case", "monitoring", "closed", "admin")


def test_declined_needs_a_reason() -> None:
    with pytest.raises(DomainError) as info:
        transition("referral", "sent", "declined", "operator", None)
    assert info.value.key == "state.error.reason_required"
    transition("referral", "sent", "declined", "operator", "body has no jurisdiction")


@pytest.mark.parametrize(
    ("kind", "src", "dst", "role", "key"),
    [
        ("case", "received", "nowhere", "operator", "state.error.unknown_state"),
        ("case", "nowhere", "received", "operator", "state.error.unknown_state"),
        ("ticket", "a", "b", "operator", "state.error.unknown_kind"),
        ("case", "received", "assessed", "intruder", "state.error.unknown_role"),
    ],
)
def test_unknown_inputs(kind: str, src: str, dst: str, role: str, key: str) -> None:
    with pytest.raises(DomainError) as info:
        transition(kind, src, dst, role)
    assert info.value.key == key


def test_allowed_targets_depend_on_role() -> None:
    assert allowed_targets("case", "monitoring", "operator") == ("in_support",)
    assert allowed_targets("case", "monitoring", "supervisor") == ("in_support", "closed")
    assert allowed_targets("referral", "done", "supervisor") == ()
    assert allowed_targets("referral", "sent", "operator") == ("acknowledged", "declined")
    assert allowed_targets("referral", "sent", "supervisor") == (
        "acknowledged",
        "declined",
        "revoked",
    )


def test_every_state_has_a_label_in_both_languages() -> None:
    from caseintake.i18n import has

    for kind in MACHINES:
        for state in states.states(kind):
            assert has(f"state.{kind}.{state}", "vi")
            assert has(f"state.{kind}.{state}", "en")
