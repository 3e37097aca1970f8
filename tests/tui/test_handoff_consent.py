"""Consent as a hand-off's legal basis, recorded in the terminal (issue 24f item 1): "consent"
in the send flow asks who agreed for the child and whether every child aged 7 or over agreed;
what the law does not allow is refused in the dialog in one sentence, nothing sent; what it
allows is in the package's basis and, in words, in the audit event's details."""

from __future__ import annotations

from typing import Any

from caseintake.services.supervisor_desk import SupervisorDesk
from caseintake.tui.screens.cases.case_detail_screen import CaseDetailScreen
from tests.services.handoff_fixtures import Line, lines, pair_template
from tests.tui.conftest import settle, sql
from tests.tui.test_handoff_desk import choose, desk, exports, said

__all__ = ["lines", "pair_template"]


async def to_consent(pilot: Any, line: Line) -> None:
    """The case detail's "h", the partner HN, and the basis "consent"."""
    case_id = sql(line.services, "select id from cases")[0][0]
    await pilot.app.push_screen(CaseDetailScreen(line.services, pilot.app.principal, case_id))
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    await choose(pilot, "line-hn")
    await choose(pilot, "consent")  # no file name yet: who agreed comes first


def sent_event(line: Line) -> dict[str, Any]:
    [(seq,)] = sql(line.services, "select seq from audit_events where action = 'handoff_sent'")
    return dict(SupervisorDesk(line.services).audit_trail.details(line.supervisor, seq))


async def test_a_parent_and_the_child_agreed_in_the_package_and_the_audit(
    lines: tuple[Line, Line], monkeypatch: Any
) -> None:
    a, b = lines
    async with desk(a, monkeypatch) as pilot:
        await to_consent(pilot, a)
        await choose(pilot, "parent")
        await choose(pilot, "agreed", "consent.cih")
        assert isinstance(pilot.app.screen, CaseDetailScreen), said(pilot.app.screen)
    assert sql(a.services, "select basis, status from handoffs") == [("consent", "sent")]
    [(handoff_id,)] = sql(a.services, "select id from handoffs")
    basis = a.services.handoffs.show(a.supervisor, handoff_id)["package"]["basis"]
    assert basis["code"] == "consent" and "Luật Trẻ em" in basis["citation"]
    assert basis["consent"] == {"child": True, "child_needed": True, "representative": "parent"}
    details = sent_event(a)
    assert details["basis"] == "consent"
    assert details["consent"] == (
        "Có sự đồng ý của cha mẹ của trẻ, và mọi trẻ từ đủ 7 tuổi trở lên cũng đã đồng ý."
    )
    # the receiving line reads the same consent out of the sealed file
    received = b.services.handoffs.receive(b.supervisor, exports(a) / "consent.cih")
    got = b.services.handoffs.show(b.supervisor, received)["package"]["basis"]["consent"]
    assert got["representative"] == "parent" and got["child"] is True


async def test_consent_the_law_does_not_allow_is_refused_in_one_sentence(
    lines: tuple[Line, Line], monkeypatch: Any
) -> None:
    """Bad input: nobody agreed for the child, or the child of 9 did not agree. Each refused in
    the dialog in one sentence, the name typed kept, no package, no event, no file."""
    a, _b = lines
    async with desk(a, monkeypatch) as pilot:
        await to_consent(pilot, a)
        dialog = await choose(pilot, "nobody")
        assert pilot.app.screen is dialog
        assert said(dialog) == "Căn cứ đồng ý cần sự đồng ý của cha mẹ hoặc người giám hộ của trẻ."
        await choose(pilot, "guardian")
        dialog = await choose(pilot, "not", "refused.cih")  # the child is 9 (the case's child)
        assert pilot.app.screen is dialog
        assert said(dialog) == "Căn cứ đồng ý cần sự đồng ý của mọi trẻ từ đủ 7 tuổi trở lên."
        assert dialog.query_one("#decision-text").value == "refused.cih"  # type: ignore[attr-defined]
        assert sql(a.services, "select count(*) from handoffs") == [(0,)]
        options = dialog.query_one("#choices")
        options.highlighted = options.get_option_index("agreed")  # type: ignore[attr-defined]
        await pilot.press("enter")  # corrected in place, the name still typed: sent
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseDetailScreen), said(dialog)
    assert (exports(a) / "refused.cih").is_file()
    assert sql(a.services, "select basis from handoffs") == [("consent",)]
    assert "người giám hộ" in sent_event(a)["consent"]


async def test_with_a_drop_folder_consent_asks_no_file_name(
    lines: tuple[Line, Line], monkeypatch: Any, tmp_path: Any
) -> None:
    """Found at the merge (issue 24e's note): with the partner's drop folder set, the consent
    step still asked for a file name, then ignored it. It asks none; the package is in the
    folder."""
    a, _b = lines
    folder = tmp_path / "shared"
    folder.mkdir()
    a.services.drop_folders.set_folder(a.admin, "line-hn", str(folder))
    async with desk(a, monkeypatch) as pilot:
        await to_consent(pilot, a)
        await choose(pilot, "parent")
        dialog = pilot.app.screen
        await choose(pilot, "agreed")  # no name typed: none is asked
        assert isinstance(pilot.app.screen, CaseDetailScreen), said(dialog)
    assert sql(a.services, "select basis, status from handoffs") == [("consent", "sent")]
    assert [p.suffix for p in folder.iterdir() if p.is_file()] == [".cih"]
