"""Issue 20 item 5: rows from before records were bound to the trail (migration 0010) are
counted as unbound by ``audit verify``, in words, not as tampering; ``audit adopt`` binds them
once, audited and signed, and from then on every row is checked, whatever ``meta`` says.

A database upgraded past 0010 looks like this: rows no event names, and ``meta`` saying records
are bound from a seq after them (the migration sets it so). It is made so here in plain SQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.conftest import ADMIN_PW, OPERATOR_PW
from tests.samples import design_example


def run_sql(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        for statement in statements:
            c.execute(text(statement))
    engine.dispose()


OLD_ROW = (
    "INSERT INTO case_concerns (case_id, concern) SELECT id, '{code}' FROM cases"
    " WHERE NOT EXISTS (SELECT 1 FROM case_concerns k WHERE k.case_id = cases.id"
    " AND k.concern = '{code}')"
)
AS_UPGRADED = "UPDATE meta SET records_bound_from = (SELECT max(seq) + 1 FROM audit_events)"


def test_unbound_rows_are_said_in_words_then_adopted(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(design_example()), encoding="utf-8")
    saved = cli("intake", str(path), "--user", "lan", "--db", initialised, password=OPERATOR_PW)
    assert saved.exit_code == 0, saved.output

    def admin(*args: str, user: str = "root", password: str = ADMIN_PW) -> Any:
        return cli("--lang", "en", "audit", *args, "--user", user, "--db", initialised,
                   password=password)  # fmt: skip

    run_sql(initialised, OLD_ROW.format(code="neglect"), AS_UPGRADED)
    verified = admin("verify")
    assert verified.exit_code == 0, verified.output
    assert "1 records from before records were bound" in verified.stdout
    assert "not tampering" in verified.stdout and "audit adopt" in verified.stdout
    refused = admin("adopt", user="lan", password=OPERATOR_PW)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    adopted = admin("adopt")
    assert adopted.exit_code == 0, adopted.output
    assert adopted.stdout.startswith("Bound 1 records") and "1 audited events" in adopted.stdout
    verified = admin("verify")
    assert verified.exit_code == 0 and "records from before" not in verified.stdout
    again = admin("adopt")
    assert again.exit_code == 1
    assert (
        again.stderr.strip()
        == "Every record is already bound to the audit trail: nothing to adopt."
    )
    # A row inserted after, with meta set back to hide it: the adoption in the trail says
    # every row must be bound, so it is named as inserted, and adopting it is refused.
    run_sql(initialised, OLD_ROW.format(code="exploitation"), AS_UPGRADED)
    verified = admin("verify")
    assert verified.exit_code == 1 and "inserted outside the application" in verified.stderr
    sneaked = admin("adopt")
    assert sneaked.exit_code == 1
    assert sneaked.stderr.startswith("The records cannot be adopted while the audit trail fails")
