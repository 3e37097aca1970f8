"""An audit event's details say states in words (issue 19 item 13; the walk's closure event
read "Từ: referred")."""

from __future__ import annotations

from caseintake.i18n import language, set_language
from caseintake.services.audit import detail_lines


def test_states_in_the_details_are_words_and_other_values_stay() -> None:
    before = language()
    set_language("vi")
    try:
        lines = detail_lines({"from": "referred", "to": "closed", "note": "n-1"})
        assert any(x.endswith(": Đã chuyển tuyến") for x in lines), lines
        assert not any(x.endswith(": referred") or x.endswith(": closed") for x in lines)
        assert any(x.endswith(": n-1") for x in lines)  # not a state: as it is
        referral = detail_lines({"from": "acknowledged", "to": "gianghi"})
        assert not any(x.endswith(": acknowledged") for x in referral)
        assert any(x.endswith(": gianghi") for x in referral)  # a user's name stays
    finally:
        set_language(before)
