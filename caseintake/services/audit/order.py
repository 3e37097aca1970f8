"""Two facts about the trail that its MACs alone do not show (issue 20 item 4): event times
never go backwards (an insider re-signing their own events after the last checkpoint cannot
backdate them), and case numbers have no gaps (a case deleted whole, rows and number, leaves its
number missing between its neighbours or below its counter).

Both run in the database's own engine (a window over the events, one read of the numbers), so
they add little to a verify that reads every event anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_BACKWARDS = (
    "SELECT seq FROM (SELECT seq, at_us, lag(at_us) OVER (ORDER BY seq) AS before"
    " FROM audit_events WHERE seq >= {m} AND seq <= {m}) AS ordered"
    " WHERE at_us < before ORDER BY seq LIMIT 1"
)
_NUMBER = re.compile(r"^(111|PL)-(\d{4})-(\d{6})$")
MAX_NAMED = 20


@dataclass(frozen=True)
class NumberGaps:
    missing: tuple[str, ...]  # the first numbers missing, in order
    count: int  # all of them


def time_goes_back(driver: Any, sqlite: bool, first: int, last: int) -> int | None:
    """The first event from ``first`` to ``last`` dated before the event preceding it (the
    one before ``first`` is compared too)."""
    mark = "?" if sqlite else "%s"
    cursor = driver.cursor()
    cursor.execute(_BACKWARDS.format(m=mark), (max(first - 1, 1), last))
    row = cursor.fetchone()
    cursor.close()
    return None if row is None else int(row[0])


def number_gaps(driver: Any) -> NumberGaps:
    """Per prefix and year, every number from 1 to the highest given (by a case or by the
    counter that hands them out) is held by a case."""
    cursor = driver.cursor()
    cursor.execute("SELECT number FROM cases")
    held: dict[tuple[str, int], set[int]] = {}
    for (number,) in cursor.fetchall():
        found = _NUMBER.match(str(number))
        if found is not None:
            prefix, year, n = found.groups()
            held.setdefault((prefix, int(year)), set()).add(int(n))
    cursor.execute("SELECT line, year, last FROM case_counters")
    top = {key: max(numbers) for key, numbers in held.items()}
    for line, year, last in cursor.fetchall():
        key = ("111" if line == "111" else "PL", int(year))
        top[key] = max(top.get(key, 0), int(last))
    cursor.close()
    missing: list[str] = []
    count = 0
    for (prefix, year), highest in sorted(top.items()):
        have = held.get((prefix, year), set())
        if len(have) == highest and min(have, default=1) >= 1:
            continue
        for n in range(1, highest + 1):
            if n not in have:
                count += 1
                if len(missing) < MAX_NAMED:
                    missing.append(f"{prefix}-{year}-{n:06d}")
    return NumberGaps(tuple(missing), count)
