"""The atoms of an indicator over the ledger's blocks of days, counted by the database.

A contact or a referral falls in one block: one query per block gives its atoms. A case or a
child counts once in any period where its case had a contact, so it may sit in several blocks:
the query is run for every union of blocks (``g(U)``: units seen in ``U``), and the units seen
in exactly the blocks ``S`` follow by inclusion and exclusion (Möbius inversion over subsets):
``h(T) = g(all) - g(all \\ T)`` counts the units seen only inside ``T``, and
``x(S) = sum over T within S of (-1)^(|S|-|T|) h(T)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import combinations

from sqlalchemy.orm import Session

from caseintake.domain.errors import DomainError
from caseintake.domain.statistics.linked import Atom
from caseintake.domain.statistics.periods import Period
from caseintake.services.statistics import queries

# One day each: a contact is received once, a referral made once.
ADDITIVE = frozenset(
    {
        "contacts_by_type",
        "contacts_by_channel",
        "counselling_by_topic",
        "contact_children_by_age_sex_province",  # a contact's children, with the contact
        "referrals_by_body_status",
        "referrals_first_step_on_time",
    }
)
MAX_CASE_BLOCKS = 6  # 63 queries: beyond, the export is refused in one sentence


def atoms(
    s: Session,
    indicator: str,
    blocks: Sequence[tuple[date, date]],
    sqlite: bool,
    now: datetime,
) -> list[Atom]:
    def count(s: Session, window: queries.Window, sqlite: bool) -> queries.Counts:
        return queries.count(s, indicator, window, sqlite, now)

    spans = [Period(a, b).utc_bounds() for a, b in blocks]
    if indicator in ADDITIVE:
        return [
            Atom(frozenset({i}), key, v)
            for i, span in enumerate(spans)
            for key, v in count(s, span, sqlite).items()
        ]
    n = len(spans)
    if n > MAX_CASE_BLOCKS:
        raise DomainError("publication.too_tangled", blocks=n, limit=MAX_CASE_BLOCKS)
    everything = frozenset(range(n))
    seen: dict[frozenset[int], dict[tuple[str, ...], int]] = {frozenset(): {}}
    for size in range(1, n + 1):
        for union in combinations(range(n), size):
            seen[frozenset(union)] = count(s, tuple(spans[i] for i in union), sqlite)
    keys = set(seen[everything])

    def only_inside(inside: frozenset[int], key: tuple[str, ...]) -> int:
        return seen[everything].get(key, 0) - seen[everything - inside].get(key, 0)

    out = []
    for size in range(1, n + 1):
        for exact in combinations(range(n), size):
            for key in keys:
                value = sum(
                    (-1) ** (size - k) * only_inside(frozenset(part), key)
                    for k in range(1, size + 1)
                    for part in combinations(exact, k)
                )
                if value:
                    out.append(Atom(frozenset(exact), key, value))
    return out
