"""Every bound record held against the last audit event that names it (issue 20 item 1).

The events' states are read once (their MACs and signatures are what ``audit verify`` has just
checked), the last state of each row kept; then every row of every bound table is read straight
from the driver, its digest made and compared. A row that differs from its last event, a row
no event wrote, and a row an event wrote that is gone without an event deleting it (erasure
records what it destroyed) are each named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseintake.crypto.record_states import GONE, StatesDamaged, decode
from caseintake.store.records import BOUND, CODE, NAME, digests, select_sql

MAX_NAMED = 50  # problems kept with their names; all are counted


@dataclass(frozen=True)
class RecordProblem:
    kind: str  # changed | inserted | deleted | damaged
    table: str
    key: str
    seq: int | None  # the event the row contradicts (None: no event wrote it)


@dataclass(frozen=True)
class RecordReport:
    checked: int
    problems: tuple[RecordProblem, ...]
    count: int  # every problem, named or not
    unbound: int  # rows from before records were bound (migration 0010), not named

    @property
    def ok(self) -> bool:
        return self.count == 0

    def first(self) -> RecordProblem | None:
        """The problem to lead with: the one against the earliest event, then insertions."""
        if not self.problems:
            return None
        return min(self.problems, key=lambda p: (p.seq is None, p.seq or 0, p.table, p.key))


def expected_states(
    driver: Any, sqlite: bool, last: int
) -> tuple[dict[int, dict[str, Any]], list[int]]:
    """Per table code, key -> (seq, digest) of the last event naming the row; and the seqs of
    events whose states do not parse."""
    mark = "?" if sqlite else "%s"
    cursor = driver.cursor()
    cursor.execute(
        "SELECT seq, states FROM audit_events WHERE states IS NOT NULL AND seq <= "
        f"{mark} ORDER BY seq",
        (last,),
    )
    expected: dict[int, dict[str, Any]] = {code: {} for code in NAME}
    damaged: list[int] = []
    while batch := cursor.fetchmany(5000):
        for seq, blob in batch:
            try:
                for code, key, digest in decode(blob):
                    table = expected.get(code)
                    if table is None:
                        raise StatesDamaged("unknown table")
                    table[key] = (seq, digest)
            except (StatesDamaged, TypeError):
                damaged.append(seq)
    cursor.close()
    return expected, damaged


def check_records(
    driver: Any,
    sqlite: bool,
    last: int,
    bound_from: int | None,
    unbound_rows: list[tuple[str, str, bytes]] | None = None,
) -> RecordReport:
    """Every row of every bound table against the trail up to event ``last``; the unbound
    rows (table, key, digest) go to ``unbound_rows`` when given (an admin adopting them)."""
    expected, damaged = expected_states(driver, sqlite, last)
    legacy = bound_from is not None and bound_from > 1
    problems = [RecordProblem("damaged", "audit_events", str(seq), seq) for seq in damaged]
    count, checked, unbound = len(problems), 0, 0

    def note(problem: RecordProblem) -> None:
        nonlocal count
        count += 1
        if len(problems) < MAX_NAMED:
            problems.append(problem)

    for name in BOUND:
        code = CODE[name]
        table = expected[code]
        cursor = driver.cursor()
        cursor.execute(select_sql(name, sqlite))
        while batch := cursor.fetchmany(5000):
            checked += len(batch)
            for key, digest in digests(code, batch, sqlite):
                found = table.pop(key, None)
                if found is None:
                    if legacy:
                        unbound += 1
                        if unbound_rows is not None:
                            unbound_rows.append((name, key, digest))
                    else:
                        note(RecordProblem("inserted", name, key, None))
                elif found[1] != digest:
                    kind = "inserted" if found[1] == GONE else "changed"
                    note(RecordProblem(kind, name, key, found[0]))
        cursor.close()
        for key, (seq, digest) in table.items():
            if digest != GONE:
                note(RecordProblem("deleted", name, key, seq))
    return RecordReport(checked, tuple(problems), count, unbound)
