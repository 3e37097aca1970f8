"""The numbers a tail can be (issue 23): the same set as ``number LIKE '%tail'`` over every
number the counters have given, or None (the LIKE then) when the list would be long."""

from __future__ import annotations

import pytest

from caseintake.services.cases.number_tail import candidates

COUNTERS = [("111", 2025, 1234), ("111", 2026, 87), ("pl", 2026, 5)]
EVERY = [
    f"{'111' if line == '111' else 'PL'}-{year}-{seq:06d}"
    for line, year, last in COUNTERS
    for seq in range(1, last + 1)
]


@pytest.mark.parametrize(
    "tail",
    ["000123", "123", "23", "1234", "001234", "5", "0", "000000", "2026-000005",
     "pl-2026-000005", "-000087", "111-2026-000087", "2026-87", "2025-001234", "999999",
     "X2026-000001", "12a"],
)  # fmt: skip
def test_the_same_numbers_as_like(tail: str) -> None:
    listed = candidates(tail, COUNTERS, limit=10_000)
    assert listed is not None
    assert sorted(listed) == sorted(n for n in EVERY if n.endswith(tail.upper()))


def test_a_long_list_falls_back_to_like() -> None:
    assert candidates("3", COUNTERS, limit=50) is None  # 124 + 9 + 1 numbers end in 3
    assert candidates("3", [("111", 2026, 10**6)]) is None  # past six digits
    assert candidates("000123", COUNTERS, limit=50) == ["111-2025-000123"]
