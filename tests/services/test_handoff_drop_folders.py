"""Issue 24, transport: a drop folder per partner line that the app writes and reads by itself.
Two real SQLite databases (lines 111 and HN) share one folder: each writes what it sends there
under a name saying from whom to whom, and takes only what is addressed to it."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from caseintake.domain.errors import DomainError
from caseintake.store.models import AuditEvent, HandoffRow, Referral
from tests.services.handoff_fixtures import Line, case_number, lines, pair_template

__all__ = ["lines", "pair_template"]


def _shared(a: Line, b: Line, root: Path) -> Path:
    """One folder both lines configured for each other (as a synced folder would be)."""
    folder = root / "shared"
    folder.mkdir()
    a.services.drop_folders.set_folder(a.admin, "line-hn", str(folder))
    b.services.drop_folders.set_folder(b.admin, "line-111", str(folder))
    return folder


def _referral_status(line: Line) -> str:
    with line.services.db.read() as s:
        return str(
            s.execute(
                select(Referral.status).where(Referral.directory_entry_id == "line-hn")
            ).scalar()
        )


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def test_the_loop_through_one_shared_folder(lines: tuple[Line, Line], tmp_path: Path) -> None:
    a, b = lines
    folder = _shared(a, b, tmp_path)
    sent = a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", None)
    assert sent.path == folder / f"111-to-HN-{sent.file_id}.cih"
    assert _names(folder) == [sent.path.name]  # no temporary file left beside it
    assert _referral_status(a) == "sent"
    assert a.services.handoffs.poll(a.supervisor).files == []  # not addressed to 111: left
    assert _names(folder) == [sent.path.name]

    polled = b.services.handoffs.poll(b.supervisor)
    [taken] = polled.taken
    assert (taken.kind, taken.sender, polled.senders("package")) == ("package", "111", {"111": 1})
    assert taken.moved_to == folder / "done" / sent.path.name and taken.moved_to.exists()
    [row] = b.services.handoffs.rows(b.supervisor)
    assert (row.id, row.status, row.direction) == (taken.said, "received", "in")

    accepted = b.services.handoffs.accept(b.supervisor, row.id, None)
    assert accepted.path == folder / f"HN-to-111-{accepted.file_id}.cir"
    assert b.services.handoffs.poll(b.supervisor).files == []  # its own receipt: left alone
    [receipt] = a.services.handoffs.poll(a.supervisor).taken
    assert (receipt.kind, receipt.said) == ("receipt", sent.handoff_id)
    assert _referral_status(a) == "acknowledged"
    # --out still works with a folder configured: that receipt goes by hand
    b.services.handoffs.update(b.supervisor, row.id, "in_progress", None, tmp_path / "r.cir")
    assert _names(folder) == []
    a.services.handoffs.take_receipt(a.supervisor, tmp_path / "r.cir")
    b.services.handoffs.update(b.supervisor, row.id, "done", "Trẻ đã an toàn", None)
    a.services.handoffs.poll(a.supervisor)
    assert _referral_status(a) == "done"
    assert _names(folder) == []
    assert len(_names(folder / "done")) == 3 and not (folder / "refused").exists()
    for line in (a, b):
        assert line.services.audit.verify(line.admin).ok


def test_half_written_and_others_files_are_left_alone(
    lines: tuple[Line, Line], tmp_path: Path
) -> None:
    a, b = lines
    folder = _shared(a, b, tmp_path)
    sent = a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", None)
    data = sent.path.read_bytes()
    sent.path.unlink()
    half = folder / f".{sent.path.name}.0123456789abcdef.part"  # as new_files writes it
    half.write_bytes(data[:100])
    third = folder / f"111-to-DN-{uuid.uuid4()}.cih"  # a third line's, in the same folder
    third.write_bytes(data)
    (folder / "notes.txt").write_text("not a hand-off")
    link = folder / f"111-to-HN-{uuid.uuid4()}.cih"  # a link, even to a sound package
    link.symlink_to(third)
    fifo = folder / f"111-to-HN-{uuid.uuid4()}.cir"  # never opened: it would hang the reader
    os.mkfifo(fifo)
    result = b.services.handoffs.poll(b.supervisor)
    assert result.files == [] and result.errors == []
    assert _names(folder) == sorted([half.name, third.name, "notes.txt", link.name])
    assert fifo.exists()
    assert b.services.handoffs.rows(b.supervisor) == []


def test_a_tampered_file_and_a_replay_are_refused_once_and_moved(
    lines: tuple[Line, Line], tmp_path: Path
) -> None:
    a, b = lines
    folder = _shared(a, b, tmp_path)
    sent = a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", None)
    good = sent.path.read_bytes()
    sent.path.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    [refused] = b.services.handoffs.poll(b.supervisor).refused
    assert refused.moved_to == folder / "refused" / sent.path.name
    why = (folder / "refused" / f"{sent.path.name}.txt").read_text(encoding="utf-8")
    assert why.strip() == refused.said and why.count(".") == 1 and "\n" not in why.strip()
    assert b.services.handoffs.rows(b.supervisor) == []  # nothing stored

    sent.path.write_bytes(good)  # the sound file, taken, then put back (a replay)
    assert len(b.services.handoffs.poll(b.supervisor).taken) == 1
    (folder / sent.path.name).write_bytes(good)
    [replay] = b.services.handoffs.poll(b.supervisor).refused
    assert replay.moved_to == folder / "refused" / f"{sent.path.name}.1"  # never over one
    assert (folder / "refused" / f"{sent.path.name}.1.txt").exists()
    assert b.services.handoffs.poll(b.supervisor).files == []  # not read again
    assert len(b.services.handoffs.rows(b.supervisor)) == 1


def test_without_a_folder_or_out_nothing_is_sent(lines: tuple[Line, Line]) -> None:
    a, _b = lines
    with pytest.raises(DomainError) as refused:
        a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", None)
    assert refused.value.key == "handoff_folders.no_target"
    assert _referral_status(a) == "pending"
    assert a.services.handoffs.rows(a.supervisor) == []


def test_a_folder_gone_is_one_sentence_and_the_others_are_read(
    lines: tuple[Line, Line], tmp_path: Path
) -> None:
    a, b = lines
    folder = _shared(a, b, tmp_path)
    a.services.handoffs.send(a.supervisor, case_number(a), "line-hn", "legal_duty", None)
    gone = tmp_path / "gone"
    gone.mkdir()
    b.services.drop_folders.set_folder(b.admin, "line-111", str(gone))
    gone.rmdir()
    result = b.services.handoffs.poll(b.supervisor)
    assert result.files == [] and len(result.errors) == 1 and str(gone) in result.errors[0]
    b.services.drop_folders.set_folder(b.admin, "line-111", str(folder))
    assert len(b.services.handoffs.poll(b.supervisor).taken) == 1


def test_the_admin_sets_and_clears_a_folder_and_bad_paths_are_refused(
    lines: tuple[Line, Line], tmp_path: Path
) -> None:
    a, _b = lines
    folders = a.services.drop_folders
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    state = a.folder / "state"
    state.mkdir(exist_ok=True)
    (state / "inner").mkdir()
    bad = {
        str(tmp_path / "missing"): "handoff_folders.not_folder",
        str(a_file): "handoff_folders.not_folder",
        "": "handoff_folders.not_folder",
        str(a.folder): "handoff_folders.own_folder",  # the database's own folder
        str(state / "inner"): "handoff_folders.own_folder",
    }
    for path, key in bad.items():
        with pytest.raises(DomainError) as refused:
            folders.set_folder(a.admin, "line-hn", path)
        assert refused.value.key == key, path
    with pytest.raises(DomainError) as no_card:  # a slip body has no drop folder
        folders.set_folder(a.admin, "no-such-entry", str(tmp_path))
    assert no_card.value.key == "handoff_folders.no_card"
    with pytest.raises(DomainError):
        folders.set_folder(a.supervisor, "line-hn", str(tmp_path))  # admins only
    assert folders.folders() == []

    kept = folders.set_folder(a.admin, "line-hn", f"{tmp_path}/./")
    assert kept == tmp_path and folders.folder("line-hn") == tmp_path
    folders.clear(a.admin, "line-hn")
    assert folders.folder("line-hn") is None
    with pytest.raises(DomainError):
        folders.clear(a.admin, "line-hn")
    with a.services.db.read() as s:
        actions = s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
        assert s.execute(select(HandoffRow)).first() is None
    assert actions[-2:] == ["directory_folder_set", "directory_folder_cleared"]
    assert a.services.audit.verify(a.admin).ok


def test_a_link_planted_as_refused_folder_is_not_followed(
    lines: tuple[Line, Line], tmp_path: Path
) -> None:
    """The other side shares the folder: a ``refused`` that is a link to elsewhere is one
    sentence, and nothing is put where it leads; the file stays to be read again."""
    a, b = lines
    folder = _shared(a, b, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "refused").symlink_to(elsewhere)
    (folder / f"111-to-HN-{uuid.uuid4()}.cih").write_bytes(b"CIH1 not a package")
    result = b.services.handoffs.poll(b.supervisor)
    assert result.files == [] and len(result.errors) == 1
    assert list(elsewhere.iterdir()) == []


def test_a_folder_changed_outside_the_app_is_found_by_verify(
    lines: tuple[Line, Line], tmp_path: Path
) -> None:
    """The row is bound to the trail: a drop folder pointed elsewhere behind the app's back
    (to collect the packages) is named by ``audit verify``."""
    import sqlite3

    a, _b = lines
    a.services.drop_folders.set_folder(a.admin, "line-hn", str(tmp_path))
    assert a.services.audit.verify(a.admin).ok
    with sqlite3.connect(a.folder / "line.db") as conn:
        conn.execute("UPDATE drop_folders SET path = '/tmp/elsewhere'")
    assert not a.services.audit.verify(a.admin).ok


def test_the_desks_interval_is_whole_seconds_from_5() -> None:
    from datetime import timedelta

    from caseintake.services.core.settings import drop_poll_from

    assert drop_poll_from(" 90 ") == timedelta(seconds=90)
    for bad in ("", "4", "1.5", "-60", "٣٠", "9999999", "sixty"):
        with pytest.raises(DomainError) as refused:
            drop_poll_from(bad)
        assert refused.value.key == "handoff_folders.bad_interval"
