"""Words, not codes (issue 19, item 13): every audit action the services write and every
object an event is about has a label in both languages, so no screen shows ``login_failed``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from caseintake.domain.referrals.states import states
from caseintake.i18n import has
from caseintake.services.access.auth import PENDING_ACTIONS

SERVICES = Path(__file__).parents[2] / "caseintake" / "services"
CODE = re.compile(r"[a-z]+(_[a-z]+)*")


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if CODE.fullmatch(node.value) else None
    return None


def written_events() -> tuple[set[str], set[str]]:
    """(actions, entities) as the services pass them to the audit log: ``append(session, keys,
    actor, action, entity, ...)``, the bulk builder's ``event(actor, action, entity, ...)`` and
    the pending tuples ``(actor, action, entity, entity_id, details, at)``."""
    actions: set[str] = set()
    entities: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pair: tuple[ast.AST | None, ast.AST | None] = (None, None)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                args = node.args
                if node.func.attr == "append" and len(args) >= 6:
                    pair = (args[3], args[4])
                elif node.func.attr == "event" and len(args) >= 6:
                    pair = (args[1], args[2])
            elif (
                isinstance(node, ast.Tuple)
                and len(node.elts) == 6
                and not all(_literal(e) for e in node.elts)  # not a list of six table names
            ):
                pair = (node.elts[1], node.elts[2])
            action, entity = _literal(pair[0]), _literal(pair[1])
            if action and entity:
                actions.add(action)
                entities.add(entity)
    # ``f"referral_{step.status}"``: one action per referral state.
    actions |= {f"referral_{state}" for state in states("referral")}
    actions |= PENDING_ACTIONS  # failed logins, chained later from their sealed records
    return actions, entities


def test_the_scan_finds_the_events() -> None:
    actions, entities = written_events()
    assert {
        "login",
        "login_failed",
        "case_erased",
        "caller_looked_up",
        "draft_discarded",
    } <= actions
    assert {"case", "referral", "user", "contact"} <= entities


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_written_action_and_entity_has_words(lang: str) -> None:
    actions, entities = written_events()
    assert sorted(a for a in actions if not has(f"tui.action.{a}", lang)) == []
    assert sorted(e for e in entities if not has(f"tui.entity.{e}", lang)) == []
