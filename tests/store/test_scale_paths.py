"""The scale paths of issue 11 keep what the slower paths did: keyset pages are the offset
pages, an exact number is found in any case of letters, a concern finds its sub-codes and
nothing else, and ``append_many`` chains exactly as ``append``."""

from __future__ import annotations

import random
from datetime import timedelta

from caseintake.domain.synthetic import synthetic_intakes
from caseintake.services.cases.service import CaseQuery
from caseintake.services.container import Services


def _fill(services: Services, operator, clock, n: int = 200) -> None:  # type: ignore[no-untyped-def]
    now = clock()
    for intake in synthetic_intakes(random.Random(11), n, now - timedelta(days=20), now):
        services.intake.save(operator, intake)


def test_keyset_pages_are_the_one_big_page(services: Services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    """Paged by keyset only (issue 23: no OFFSET left), the pages walked one after another are
    the whole list in one page: every case once, newest first."""
    _fill(services, operator, clock)
    whole = [c.number for c in services.cases.search(operator, CaseQuery(), page_size=500).items]
    by_keyset, after, page = [], None, 0
    while True:
        found = services.cases.search(operator, CaseQuery(), page=page, page_size=2, after=after)
        assert found.page == page  # the number shown, never an offset
        by_keyset += [c.number for c in found.items]
        if not found.has_more:
            assert found.after is None  # the last page gives no cursor
            break
        after, page = found.after, page + 1
    assert by_keyset == whole and len(whole) == len(set(whole)) > 4


def test_exact_number_any_case_and_concern_subcodes(services: Services, operator, clock) -> None:  # type: ignore[no-untyped-def]
    _fill(services, operator, clock)
    first = services.cases.search(operator, CaseQuery(), page_size=1).items[0]
    lower = first.number.lower()
    assert [c.id for c in services.cases.search(operator, CaseQuery(text=lower)).items] == [
        first.id
    ]
    # A full number that does not exist finds nothing (no tail match on another case).
    missing = first.number[:-6] + "999999"
    assert services.cases.search(operator, CaseQuery(text=missing)).items == []
    sexual = services.cases.search(operator, CaseQuery(concern="sexual_abuse"), page_size=200)
    assert sexual.items and all(
        any(c == "sexual_abuse" or c.startswith("sexual_abuse.") for c in s.concerns)
        for s in sexual.items
    )
    # "violence" must not match a code that only starts with the same letters.
    assert services.cases.search(operator, CaseQuery(concern="violenc")).items == []


def test_append_many_chains_as_append(services: Services, admin, operator) -> None:  # type: ignore[no-untyped-def]
    log = services.audit_log
    with services.db.write() as s:
        assert log.append_many(s, operator.keys, []) == []
        seqs = log.append_many(
            s,
            operator.keys,
            [
                ("lan", "bench_a", "case", "x", {"n": 1}, None),
                ("lan", "bench_b", "case", "x", None, None),
            ],
        )
        after = log.append(s, operator.keys, "lan", "bench_c", "case", "x")
    assert seqs == [after - 2, after - 1]
    assert services.audit.verify(admin).ok
