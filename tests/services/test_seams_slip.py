"""Issue 19 items 4 and 5: the slip cites in the words the case detail uses (never a rule's
citation key) and sums up every call of the case, newest facts included, in text and PDF; each
follow-up step (when, how, whom, what was said) is on the slip, in the case detail's reading,
and in ``case show``; the "Đầu mối" of a referral without a directory entry is whom it reached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseintake.domain.referrals.follow_up import FollowUp
from caseintake.domain.referrals.slip import slip_lines
from caseintake.domain.routing.citations import basis_texts
from caseintake.services.container import Services
from caseintake.services.supervisor_desk import SupervisorDesk
from tests.services.supervisor_fixtures import referrals, save_report

FIRST = "Hàng xóm nghe tiếng bé khóc và tiếng đánh suốt buổi tối."
SECOND = "Mẹ gọi lại: hôm qua bé lại bị đánh bằng roi, có vết bầm ở tay."
WHOM = "Chị Hoa, cán bộ tư pháp xã"
SAID = "Xã đã cử người đến nhà trong chiều nay."


def case_with_two_calls_and_a_step(services: Services, operator: Any) -> tuple[str, str]:
    first = save_report(services, operator, narrative=FIRST)
    save_report(
        services,
        operator,
        contact_type="follow_up",
        received_at="2026-03-02T08:45:00+07:00",
        narrative=SECOND,
        case_id=first.case_id,
        perpetrators=[{"relationship": "step_parent", "name": "Trần Văn Bốn"}],
    )
    commune = referrals(services, first.case_id)["commune_committee"]
    services.referrals.record(
        operator, commune.id, FollowUp("sent", via="phone", contacted=WHOM, note=SAID)
    )
    return first.case_id, commune.id


def test_slip_cites_words_and_sums_up_every_call(
    services: Services, operator: Any, supervisor: Any, tmp_path: Path
) -> None:
    case_id, commune = case_with_two_calls_and_a_step(services, operator)
    keys = referrals(services, case_id)["commune_committee"].basis.splitlines()
    assert keys and all("." in k and " " not in k for k in keys)  # stored as citation keys
    slips = SupervisorDesk(services).slips
    out = tmp_path / "slip.txt"
    slips.write(supervisor, commune, out)
    text = out.read_text(encoding="utf-8")
    for key in keys:
        assert key not in text, key  # never "nd56.forward"
    for words in basis_texts(keys):
        assert words in text, words
    assert FIRST in text and SECOND in text  # every call, the newest included
    assert WHOM in text and SAID in text and "điện thoại" in text  # the step: how, whom, what
    pdf = slips.write(supervisor, commune, tmp_path / "slip.pdf", "pdf")  # the same lines
    printed = "\n".join(value for _, value in slip_lines(pdf))
    assert SECOND in printed and WHOM in printed and not any(k in printed for k in keys)


def test_case_detail_reads_each_step_and_fills_the_contact_point(
    services: Services, operator: Any
) -> None:
    case_id, commune = case_with_two_calls_and_a_step(services, operator)
    detail = services.cases.detail(operator, case_id)
    (ref,) = [r for r in detail.referrals if r.id == commune]
    (step,) = ref.steps
    assert (step.to_status, step.via, step.contacted, step.note) == ("sent", "phone", WHOM, SAID)
    assert ref.contact_point == (ref.entry_name or WHOM)
    assert step.actor == "lan"


def test_later_steps_stand_under_the_first_on_the_text_slip(
    services: Services, operator: Any, supervisor: Any, tmp_path: Path
) -> None:
    """Found on the walk: the second step started at column 0, under nothing."""
    from caseintake.i18n import t

    _case_id, commune = case_with_two_calls_and_a_step(services, operator)
    services.referrals.record(operator, commune, FollowUp("acknowledged", via="zalo"))
    out = tmp_path / "slip.txt"
    SupervisorDesk(services).slips.write(supervisor, commune, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    heading = t("seams.step.title")
    (at,) = [i for i, line in enumerate(lines) if line.startswith(f"{heading}: ")]
    assert SAID in lines[at] and lines[at + 1].startswith(" " * (len(heading) + 2))
    assert "Zalo" in lines[at + 1]
