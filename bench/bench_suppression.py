"""Issue 21 figures: how much disclosure control hides, before and after, on realistic data.

The demo generator (``domain/synthetic.synthetic_intakes``) makes a month of contacts at a
province's volume (1,200) and at 111's national volume (42,000: about 500,000 calls a year,
DOMAIN §1); the count tables are tallied here as the indicators count them (one child per
report, concerns at their top level, 0101 only under 16). For each table and threshold:

* before: issue 9's suppression along the table's lines (``lines.line_suppression``);
* after: ``suppression.hidden_cells``, checked as a ledger of one release with a backward
  pass that publishes the total and the margins again wherever inner cells can protect them;

the share of cells hidden, the share of the grand total's units in hidden inner cells, whether
the grand total is published, and the time. Then a ledger: the month, a week and a day inside
it, each suppressed against the ones before (``protect``), timed.

Run: ``python -m bench.bench_suppression``.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from caseintake.domain.intake.record import Intake
from caseintake.domain.intake.taxonomy import top_concerns
from caseintake.domain.statistics.indicators import age_group, top_code
from caseintake.domain.statistics.lines import line_suppression
from caseintake.domain.statistics.linked import Atom, AtomIndex, Release, blocks_of, cut
from caseintake.domain.statistics.protect import NewTable, protect
from caseintake.domain.statistics.suppression import hidden_cells
from caseintake.domain.statistics.tables import ALL, CountTable, Key, build_table
from caseintake.domain.statistics.two_way import hidden_two_way, two_way_keys
from caseintake.domain.synthetic import synthetic_intakes

START = datetime(2026, 11, 1, tzinfo=UTC)
VOLUMES = (("province month", 1_200), ("111 national month", 42_000))
DIMS_0101 = ("abuse_form", "sex", "setting")


def month(n: int, seed: int = 111) -> list[Intake]:
    return list(synthetic_intakes(random.Random(seed), n, START, START + timedelta(days=30)))


def tally(intakes: list[Intake]) -> dict[str, Counter[Key]]:
    forms = set(top_concerns(abuse=True))
    t: dict[str, Counter[Key]] = {
        k: Counter()
        for k in (
            "contacts_by_type",
            "counselling_by_topic",
            "children_by_concern_sex",
            "children_by_age_group_sex",
            "abused_children_0101",
            "cases_by_province",
        )
    }
    for it in intakes:
        t["contacts_by_type"][(it.contact_type,)] += 1
        for topic in dict.fromkeys(it.counselling_topics):
            t["counselling_by_topic"][(topic,)] += 1
        if it.contact_type != "report":
            continue
        t["cases_by_province"][(str(it.location.province_code),)] += 1
        for child in it.children:
            t["children_by_age_group_sex"][(age_group(child.age), child.sex)] += 1
            for c in dict.fromkeys(top_code(x) for x in it.concerns):
                t["children_by_concern_sex"][(c, child.sex)] += 1
                if c in forms and child.age is not None and child.age < 16:
                    t["abused_children_0101"][(c, child.sex, it.setting or "unknown")] += 1
    return t


def shares(table: CountTable, hidden: frozenset[Key]) -> tuple[float, float, bool]:
    inner = sum(v for k, v in table.values.items() if k in hidden and ALL not in k)
    total = table.grand_total or 1
    return len(hidden) / len(table.values), inner / total, table.grand_total_key not in hidden


def single_tables() -> None:
    for threshold in (10, 3):
        for label, n in VOLUMES:
            print(f"\n{label} ({n} contacts), threshold {threshold}")
            print(f"{'indicator':26} cells total | before: cells count total ms | after: …")
            for name, inner in tally(month(n)).items():
                dims = [f"d{i}" for i in range(len(next(iter(inner))))]
                table = build_table(dims, inner)
                line = f"{name:26} {len(table.values):5} {table.grand_total:5} |"
                for fn in (line_suppression, hidden_cells):
                    t0 = time.perf_counter()
                    hidden = fn(table, threshold)
                    ms = (time.perf_counter() - t0) * 1000
                    cells, count, kept = shares(table, hidden)
                    line += f" {cells:4.0%} {count:4.0%} {'pub' if kept else 'HID'} {ms:5.0f} |"
                print(line)


def ledger(n: int, threshold: int = 10) -> None:
    """0101 for November, the week 23–29 November and the day 25 November, in that order."""
    intakes = month(n)
    day0 = START.date().toordinal()
    periods = [(day0, day0 + 29), (day0 + 22, day0 + 28), (day0 + 24, day0 + 24)]
    released: list[tuple[tuple[int, int], dict[Key, int | None]]] = []
    for period in periods:
        t0 = time.perf_counter()
        blocks = cut([p for p, _ in released] + [period])
        counts: Counter[tuple[frozenset[int], Key]] = Counter()
        for it in intakes:
            day = (it.received_at + timedelta(hours=7)).date().toordinal()
            block = next((i for i, (a, b) in enumerate(blocks) if a <= day <= b), None)
            if block is None or it.contact_type != "report":
                continue
            for c in dict.fromkeys(top_code(x) for x in it.concerns):
                child = it.children[0]
                if c in top_concerns(abuse=True) and child.age is not None and child.age < 16:
                    counts[(frozenset({block}), (c, child.sex, it.setting or "unknown"))] += 1
        index = AtomIndex(Atom(b, k, v) for (b, k), v in counts.items())
        mine = blocks_of(period, blocks)
        inner: Counter[Key] = Counter()
        for atom in index.atoms:
            if atom.blocks & mine:
                inner[atom.key] += atom.count
        table = build_table(("form", "sex", "setting"), inner)
        prior = [Release(blocks_of(p, blocks), cells) for p, cells in released]
        seed = line_suppression(table, threshold)
        hidden = protect(
            index, len(blocks), prior, NewTable(mine, dict(table.values)), threshold, seed
        )
        released.append(
            (period, {k: (None if k in hidden else v) for k, v in table.values.items()})
        )
        cells, count, kept = shares(table, hidden)
        ms = (time.perf_counter() - t0) * 1000
        print(
            f"  {period[1] - period[0] + 1:2} days: {len(table.values):3} cells, hidden {cells:4.0%}"
            f" of cells, {count:4.0%} of the count, total {'pub' if kept else 'HID'}, {ms:5.0f} ms"
        )


def two_way_tables() -> None:
    """0101 as published (three-way) and as the directives' two-way tables (issue 21 item 4):
    the share of cells hidden, and of the count in hidden inner cells of each table."""
    indicator = "abused_children_0101"
    for threshold in (10, 3):
        for label, n in VOLUMES:
            table = build_table(("form", "sex", "setting"), tally(month(n))[indicator])
            t0 = time.perf_counter()
            three = hidden_cells(table, threshold)
            cells, count, kept = shares(table, three)
            ms = (time.perf_counter() - t0) * 1000
            print(f"\n0101, {label}, threshold {threshold}: total {table.grand_total}")
            print(
                f"  three-way: {len(table.values)} cells, hidden {cells:4.0%} of cells,"
                f" {count:4.0%} of the count, total {'pub' if kept else 'HID'}, {ms:5.0f} ms"
            )
            t0 = time.perf_counter()
            two = hidden_two_way(indicator, replace(table, dimensions=DIMS_0101), threshold)
            ms = (time.perf_counter() - t0) * 1000
            keys = two_way_keys(indicator, DIMS_0101, table.values)
            print(
                f"  two-way:   {len(keys)} cells, hidden {len(two) / len(keys):4.0%} of cells,"
                f" total {'HID' if table.grand_total_key in two else 'pub'}, {ms:5.0f} ms"
            )
            for d in (1, 2):
                inner = [k for k in keys if ALL not in (k[0], k[d]) and k[3 - d] == ALL]
                hidden = sum(table.values[k] for k in inner if k in two)
                print(
                    f"    form x {DIMS_0101[d]}: {len(inner)} inner cells,"
                    f" hidden {sum(k in two for k in inner) / max(1, len(inner)):4.0%},"
                    f" {hidden / (table.grand_total or 1):4.0%} of the count"
                )


def main() -> None:
    two_way_tables()
    single_tables()
    for label, n in VOLUMES:
        print(f"\nledger of 0101, {label}: month, then a week, then a day inside it")
        ledger(n)


if __name__ == "__main__":
    main()
