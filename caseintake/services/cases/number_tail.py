"""A case found by the tail of its number (issue 23), through the number's unique index.

``LIKE '%000123'`` cannot use an index: it read every case (25 ms at 1 M contacts). But a
number is ``<prefix>-<year>-<6 digits>`` and the case counters know every (line, year) and the
last number given there, so the numbers that end with a tail can be listed (every number of
every year whose sequence ends in the tail's digits) and each looked up by the unique index.
When the list would be long (a tail of one or two digits: one case in 10 or 100 matches) the
LIKE stays: the newest-first walk then finds a page of matches within a few hundred cases.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_CANDIDATES = 1000
SEQ_DIGITS = 6


def prefix_of(line: str) -> str:
    """As ``writer.next_number`` writes it."""
    return "111" if line == "111" else "PL"


def candidates(
    tail: str, counters: Iterable[tuple[str, int, int]], limit: int = MAX_CANDIDATES
) -> list[str] | None:
    """Every number given so far that ends with ``tail`` (the same as ``number LIKE '%tail'``,
    case aside), from the counters' (line, year, last); None when there would be more than
    ``limit`` or a counter has outgrown six digits (the LIKE then)."""
    tail = tail.strip().upper()
    found: list[str] = []
    for line, year, last in counters:
        if last >= 10**SEQ_DIGITS:
            return None
        head = f"{prefix_of(line)}-{year}-"
        if len(tail) > SEQ_DIGITS:
            digits, before = tail[-SEQ_DIGITS:], tail[:-SEQ_DIGITS]
            if digits.isdigit() and head.endswith(before) and 1 <= int(digits) <= last:
                found.append(head + digits)
        elif tail.isdigit():
            step, seq = 10 ** len(tail), int(tail)
            if last >= seq and len(found) + (last - seq) // step + 1 > limit:
                return None
            while seq <= last:
                if seq >= 1:
                    found.append(f"{head}{seq:0{SEQ_DIGITS}d}")
                seq += step
        if len(found) > limit:
            return None
    return found
