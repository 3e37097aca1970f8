"""The short chaos run in ``make test``: 10 SIGKILLs under 8 writers lose no acknowledged save,
and every mutation of the tamper phase is named by ``audit verify`` on both paths (issue 10,
"Done means"). The long run is ``python -m bench.chaos``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bench.chaos.checks import check_saves
from bench.chaos.crash import ChaosDb, CrashResult
from bench.chaos.report import failures, summary
from bench.chaos.run import parse, run


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    from caseintake.services.access.setup import SetupService

    folder = tmp_path_factory.mktemp("chaos")
    kdf = SetupService.default_kdf
    try:
        figures = run(folder, writers=8, kills=10, seconds=None, mutations=40, seed=2026)
    finally:
        SetupService.default_kdf = kdf  # the run sets the test cost on the class; put it back
    figures["failures"] = failures(figures)
    return folder, figures


def test_kills_lose_no_acknowledged_save(chaos: tuple[Path, dict[str, Any]]) -> None:
    _, figures = chaos
    crash = figures["crash"]
    assert crash["kills"] == 10 and crash["restarts"] == 10
    assert 0 <= crash["kills_holding_lock"] <= 10  # how many interrupted a write transaction
    assert crash["acknowledged"] > 0, "the writers were killed before saving anything"
    assert (crash["lost"], crash["garbled"], crash["partial"]) == ([], [], {})
    assert crash["integrity"] == "ok"
    assert crash["verify"]["serial"]["ok"] and crash["verify"]["parallel"]["ok"]
    assert len(crash["checkpoints"]) == 2  # an admin's and a supervisor's, mid-run


def test_every_mutation_is_named(chaos: tuple[Path, dict[str, Any]]) -> None:
    _, figures = chaos
    tamper = figures["tamper"]
    assert tamper["mutations"] == 40
    counted = {n: c for n, c in tamper["per_class"].items() if c["kind"] != "window"}
    # Every class drawn at least once in 40; the signature classes only on a signed trail.
    assert len(counted) >= 20
    if tamper["signed_trail"]:
        assert {"remac_without_other_past_checkpoint", "byte_sig"} <= counted.keys()
    missed = {
        n: c["tried"] - c["detected"] for n, c in counted.items() if c["detected"] < c["tried"]
    }
    assert missed == {}, summary(figures)
    assert figures["failures"] == [], figures["failures"]
    # The user-row attacks were refused at login as well.
    for note in tamper["notable"]:
        assert note["kind"] == "window" or note["detected"], note


def test_a_lost_or_garbled_save_is_reported(chaos: tuple[Path, dict[str, Any]]) -> None:
    """The checker is not vacuous: an acknowledgement with no row is lost, a save whose text no
    longer decrypts to what was typed (here a damaged ciphertext) is garbled, a report without
    its case is partial."""
    folder, _ = chaos
    db = ChaosDb(folder, [("op00", "pw-00-meadow-lark")])
    conn = sqlite3.connect(db.file)
    contact, case, blob = conn.execute(
        "SELECT c.id, c.case_id, c.narrative FROM contacts c WHERE c.case_id IS NOT NULL LIMIT 1"
    ).fetchone()
    conn.execute(
        "UPDATE contacts SET narrative = ? WHERE id = ?", (bytes(blob[:-1]) + b"?", contact)
    )
    other = conn.execute(
        "SELECT id FROM contacts WHERE contact_type = 'report' AND id != ?", (contact,)
    ).fetchone()[0]
    conn.execute("UPDATE contacts SET case_id = NULL WHERE id = ?", (other,))
    conn.commit()
    conn.close()
    acked = CrashResult(
        acknowledged={"no-such-contact": (None, None, "silent"), contact: (case, "x", "report")}
    )
    found = check_saves(db, acked)
    assert (found["lost"], found["garbled"]) == (["no-such-contact"], [contact])
    assert found["partial"]["report_without_case"] == 1


def test_an_undetected_mutation_fails_the_run() -> None:
    figures: dict[str, Any] = {
        "crash": {
            "lost": [], "garbled": [], "partial": {}, "integrity": "ok",
            "verify": {"serial": {"ok": True}, "parallel": {"ok": True}},
        },
        "tamper": {
            "per_class": {
                "byte_mac": {"kind": "detect", "tried": 3, "detected": 2, "paths_disagree": 0},
                "tail_past_checkpoint": {"kind": "window", "tried": 2, "detected": 0, "paths_disagree": 0},
            }
        },
    }  # fmt: skip
    assert failures(figures) == ["byte_mac: 1 of 3 undetected"]


@pytest.mark.parametrize(
    "argv", [["--writers", "1"], ["--kills", "-1"], ["--mutations", "x"], ["--bogus"]]
)
def test_bad_arguments_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as err:
        parse(argv)
    assert err.value.code == 2
