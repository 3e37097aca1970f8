"""The application imports Textual only by its public names (issue 19 review: typing_select
reached into ``textual.widgets._select``); a private module moved in a Textual release would
break at import time, far from the reason."""

from __future__ import annotations

import ast
from pathlib import Path

import caseintake


def test_no_private_textual_module_is_imported() -> None:
    found = []
    for path in Path(caseintake.__file__).parent.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "textual" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "textual" and any(p.startswith("_") for p in parts[1:]):
                    found.append(f"{path.name}:{node.lineno} {name}")
    assert found == [], found
