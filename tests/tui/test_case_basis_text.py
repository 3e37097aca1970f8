"""The case detail reads a referral's stored basis (citation keys) as citations in the chosen
language; a line stored before citations had keys is shown as it was written (issue 7, 8)."""

from __future__ import annotations

from datetime import UTC, datetime

from caseintake.i18n import set_language
from caseintake.services.core.views import ReferralView
from caseintake.tui.widgets.case_text import referral_details_text

LEGACY = "Nghị định 56/2017/NĐ-CP ch. III (chuyển ngay thông tin về UBND cấp xã nơi xảy ra)"


def _referral(*basis: str) -> ReferralView:
    return ReferralView(
        id="r1",
        body="commune_police",
        entry_name=None,
        phones=(),
        province_code=79,
        ward_code=None,
        due_spec="immediately",
        due_at=datetime(2026, 3, 2, 1, 15, tzinfo=UTC),
        status="pending",
        rule_ids=("crime_sign_police", "child_marriage_under_16"),
        basis=basis,
        reason=None,
    )


def test_stored_keys_read_as_citations_in_each_language() -> None:
    referral = _referral("bltths.art144_145", "blhs.art142_145_146", LEGACY)
    try:
        text = referral_details_text([referral]).plain
        assert "Bộ luật Tố tụng hình sự 2015, Điều 144, 145" in text
        assert "Điều 145 (giao cấu với người từ đủ 13 tuổi đến dưới 16 tuổi)" in text
        assert LEGACY in text  # an old row keeps its words
        assert "bltths." not in text and "crime_sign_police" not in text
        set_language("en")
        english = referral_details_text([referral]).plain
        assert "Criminal Procedure Code 2015, Arts. 144–145" in english
    finally:
        set_language("vi")
