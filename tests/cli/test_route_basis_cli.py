"""``route`` text reads as an operator reads it: citations in the chosen language, deadlines in
words, no rule ids and no internal notes; ``--json`` keeps the rule ids (issue 7, items 6, 8)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.samples import design_example

INTERNAL = ("DOMAIN", "seeds/", ".txt", "[check]")


def _write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _child_marriage(tmp_path: Path) -> str:
    data = design_example(narrative="Bé 14 tuổi bị gả cho một người đàn ông 30 tuổi.")
    data["concerns"] = ["child_marriage"]
    data["immediate_danger"] = False
    data["perpetrators"] = []
    data["children"][0]["age"] = 14
    return _write(tmp_path, data)


def test_route_text_in_vietnamese(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("route", _write(tmp_path, design_example()))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Nghị định 56/2017/NĐ-CP, Chương III (chuyển ngay thông tin về UBND" in out
    assert "Số điện thoại khẩn cấp quốc gia 113 (Cảnh sát)" in out
    assert "(ngay)" in out and "(12 giờ)" in out  # deadlines in words, not "12h"
    assert "report_to_commune" not in out and "immediate_danger" not in out  # no rule ids
    assert not [m for m in INTERNAL if m in out]
    assert not [w for w in ("working days", "per ", "Art.", " ch. ", "(12h)") if w in out]


def test_route_text_in_english(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "route", _write(tmp_path, design_example()))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Decree 56/2017/NĐ-CP, ch. III (forward at once" in out
    assert "National emergency line 113 (police)" in out and "(12 hours)" in out
    assert "Điều " not in out and "report_to_commune" not in out
    assert not [m for m in INTERNAL if m in out]


def test_route_names_what_the_record_implied(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 14-year-old married off: the police at once, and the reason is said."""
    path = _child_marriage(tmp_path)
    out = cli("route", path).output
    assert "Công an cấp xã" in out and "Suy ra từ hồ sơ" in out
    assert "Bộ luật Hình sự 2015, Điều 142" in out
    data = json.loads(cli("route", path, "--json").output)
    police = next(r for r in data["referrals"] if r["body"] == "commune_police")
    assert police["rule_ids"][:2] == ["crime_sign_police", "child_marriage_under_16"]
    assert "sexual_offence_police" in police["rule_ids"]  # the sign with its articles
    assert "blhs.art142_145_146" in police["basis"] and "blhs.art142_147" in police["basis"]
    assert any("Điều 145" in b for b in police["basis_texts"])
    assert police["due_spec"] == "immediately" and police["health_data"] is False
    ids = [i["id"] for i in data["implied"]]
    assert ids == ["child_marriage_under_16", "sexual_abuse_is_a_crime_sign"]
    assert data["crime_signs"] == ["sexual_offence"]


def test_route_json_keeps_rule_ids_and_adds_texts(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "en", "route", _write(tmp_path, design_example()), "--json")
    data = json.loads(result.output)
    commune = next(r for r in data["referrals"] if r["body"] == "commune_committee")
    assert commune["rule_ids"][0] == "report_to_commune"
    assert commune["basis"][0] == "nd56.forward"  # the key, stable for integrations
    assert commune["basis_texts"][0].startswith("Decree 56/2017/NĐ-CP, ch. III")
    action = data["actions_now"][0]
    assert action["rule_ids"] == ["immediate_danger"]
    assert "National emergency line 113 (police)" in action["basis_texts"]
