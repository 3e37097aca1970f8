"""``caseintake intake`` with ``"notes"``: the notes end as the case's first note (issue 7 item 5).

Before, the notes were validated and then dropped: the command exited 0 and ``case_notes``
stayed empty. The test reads the note back through the services, decrypted, as a supervisor
or operator would see it in the case detail.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from caseintake.services.container import open_existing
from caseintake.services.core.settings import Settings
from tests.samples import design_example

NOTES = "Người gọi đồng ý để cán bộ xã gọi lại sau 17h;\nkhông nói cho cha dượng biết."


def test_intake_notes_become_the_case_first_note(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.json"
    data = design_example(narrative="Bé bị cha dượng đánh, đang chảy máu.", notes=NOTES)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    saved = cli(
        "--lang", "en", "intake", str(path), "--user", "lan", "--db", initialised,
        password="quiet-harbour-41",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert "case 111-2026-000001" in saved.output

    engine = create_engine(initialised)
    with engine.connect() as c:
        case_ids = c.execute(text("SELECT id FROM cases")).scalars().all()
        stored = c.execute(text("SELECT body FROM case_notes")).scalars().all()
    engine.dispose()
    assert len(case_ids) == 1 and len(stored) == 1
    assert all("cán bộ" not in str(body) for body in stored)  # encrypted at rest

    services = open_existing(Settings(db_url=initialised, state_dir=tmp_path / "state"))
    try:
        lan = services.auth.login("lan", "quiet-harbour-41")
        detail = services.cases.detail(lan, case_ids[0])
    finally:
        services.close()
    assert [note.text for note in detail.notes] == [NOTES]
    assert [note.author for note in detail.notes] == ["lan"]


def test_intake_without_notes_adds_no_note(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.json"
    path.write_text(json.dumps(design_example(notes="   ")), encoding="utf-8")
    saved = cli(
        "intake", str(path), "--user", "lan", "--db", initialised, password="quiet-harbour-41"
    )
    assert saved.exit_code == 0, saved.output
    engine = create_engine(initialised)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM case_notes")).scalar_one() == 0
    engine.dispose()
