"""Referral slips (issue 8, item 7): the facts a body needs, the caller only on a supervisor's
request, text and PDF, owner-only files, every slip audited."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from caseintake.domain.errors import DomainError
from caseintake.domain.referrals.slip import short
from caseintake.services.container import Services
from caseintake.services.referrals.slip_pdf import FONT_ENV, find_font
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.services.supervisor_fixtures import actions, referrals, save_report, scalar

NARRATIVE = "Hàng xóm nghe tiếng bé khóc và tiếng đánh suốt buổi tối."


@pytest.fixture
def commune(services: Services, operator) -> str:  # type: ignore[no-untyped-def]
    case = save_report(
        services,
        operator,
        narrative=NARRATIVE,
        caller={"relationship": "neighbour", "name": "Nguyễn Thị Mai", "phone": "0912345678"},
    )
    return referrals(services, case.case_id)["commune_committee"].id


def test_text_slip_has_the_facts_and_not_the_caller(
    services: Services, supervisor, commune, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "slip.txt"
    SupervisorDesk(services).slips.write(supervisor, commune, out)
    text = out.read_text(encoding="utf-8")
    for fact in ("111-2026-000001", "6–10 tuổi, Nữ", "Bạo lực", "Thành phố Hồ Chí Minh",
                 "Hàng xóm nghe tiếng bé khóc", "Căn cứ pháp lý", "Tổng đài điện thoại quốc gia"):  # fmt: skip
        assert fact in text, fact
    assert "Mai" not in text and "912345678" not in text
    assert short("bé khóc\x1b[31m  \n to") == "bé khóc[31m to"  # control characters dropped
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert actions(services)[-1] == "referral_slip_written"


def test_caller_only_on_a_supervisors_request(
    services: Services, operator, supervisor, commune, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    slips = SupervisorDesk(services).slips
    with pytest.raises(DomainError, match="giám sát viên"):
        slips.write(operator, commune, tmp_path / "x.txt", include_caller=True)
    assert not (tmp_path / "x.txt").exists()
    slips.write(supervisor, commune, tmp_path / "y.txt", include_caller=True)
    text = (tmp_path / "y.txt").read_text(encoding="utf-8")
    assert "Nguyễn Thị Mai" in text and "+84912345678" in text
    slips.write(operator, commune, tmp_path / "z.txt")  # an operator writes the minimal slip
    assert (
        scalar(services, "select count(*) from audit_events where action = 'referral_slip_written'")
        == 2
    )


@pytest.mark.skipif(find_font() is None, reason="no DejaVu font on this machine")
def test_pdf_slip_embeds_a_vietnamese_font(
    services: Services, supervisor, commune, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "slip.pdf"
    SupervisorDesk(services).slips.write(supervisor, commune, out, "pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"DejaVu" in data
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_no_font_no_pdf(
    services: Services, supervisor, commune, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "missing.ttf"))
    with pytest.raises(DomainError, match="phông chữ"):
        SupervisorDesk(services).slips.write(supervisor, commune, tmp_path / "s.pdf", "pdf")
    assert not (tmp_path / "s.pdf").exists()
    assert "referral_slip_written" not in actions(services)
    with pytest.raises(DomainError, match="định dạng"):
        SupervisorDesk(services).slips.write(supervisor, commune, tmp_path / "s.doc", "doc")
