"""Issue 20 item 8: no message ever shows a raw ``{name}``-style placeholder. Every call in the
package that names a catalogue key as a literal (``t("…", …)``, ``DomainError("…", …)`` and its
subclasses) is rendered, in both languages, with the arguments that call passes; an audit
verification's problem is rendered through ``VerifyResult.message`` for every problem key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from caseintake.i18n import LANGUAGES, catalogue, t
from caseintake.services.audit.trail import VerifyResult

PACKAGE = Path(__file__).parents[2] / "caseintake"
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


# Errors whose arguments are completed where they are raised or caught: ``_Refused`` gets the
# file's path (cli/files.py), ``TransitionRefused`` its kind, source and target states.
_FILLED_LATER = {
    "_Refused": frozenset({"path"}),
    "TransitionRefused": frozenset({"kind", "src", "dst"}),
}


def _calls() -> list[tuple[str, str, frozenset[str]]]:
    """(where, key, argument names) of every call with a literal catalogue key."""
    found = []
    keys = set(catalogue("vi"))
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            if first.value not in keys:
                continue
            if any(k.arg is None for k in node.keywords):  # **params: checked where built
                continue
            names = frozenset(k.arg for k in node.keywords if k.arg is not None)
            names |= _FILLED_LATER.get(ast.unparse(node.func), frozenset())
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            found.append((where, first.value, names))
    return found


CALLS = _calls()


def test_the_scan_finds_the_calls() -> None:
    assert len(CALLS) > 300


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_literal_call_fills_every_placeholder(lang: str) -> None:
    raw = []
    for where, key, names in CALLS:
        text = t(key, lang, **dict.fromkeys(names, "X"))
        left = PLACEHOLDER.findall(text)
        if left:
            raw.append(f"{where} {key}: {sorted(set(left))}")
    assert raw == []


def _problem_keys() -> list[str]:
    """Every ``audit.*`` key the verification code can put in ``VerifyResult.problem``."""
    sources = [
        PACKAGE / "crypto" / "audit_chain.py",
        PACKAGE / "crypto" / "event_sigs.py",
        PACKAGE / "services" / "audit" / "trail.py",
        PACKAGE / "services" / "audit" / "verdict.py",
        PACKAGE / "services" / "audit" / "records.py",
        PACKAGE / "services" / "audit" / "signatures.py",
        PACKAGE / "services" / "audit" / "chain_reader.py",
    ]
    keys = set(catalogue("vi"))
    found = set()
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and value.startswith("audit.") and value in keys:
                found.add(value)
    return sorted(found)


PROBLEMS = _problem_keys()


def test_the_problem_keys_are_found() -> None:
    assert {"audit.truncated", "audit.forged_actor", "audit.modified"} <= set(PROBLEMS)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_verify_problem_renders_whole(problem: str) -> None:
    result = VerifyResult(False, 10, 12, 7, problem, 9, detail="lan")
    for lang in LANGUAGES:
        assert PLACEHOLDER.findall(result.message(lang)) == [], problem
