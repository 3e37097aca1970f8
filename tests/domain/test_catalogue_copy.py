"""The message catalogues' JSON copy (i18n.load): the same messages as the TOML files, made
again when a file changes, and not needed where it cannot be written."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import caseintake.i18n as i18n


def by_toml(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in sorted(folder.glob("*.toml")):
        i18n._flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    return out


def copy_of(tmp_path: Path, lang: str) -> Path:
    folder = tmp_path / lang
    shutil.copytree(Path(i18n.__file__).with_name(lang), folder)
    return folder


def test_the_copy_holds_the_toml_messages_and_is_read_back(tmp_path: Path) -> None:
    for lang in i18n.LANGUAGES:
        folder = copy_of(tmp_path, lang)
        first = i18n.load(folder)
        assert first == by_toml(folder) and len(first) > 1000
        kept = tmp_path / "__pycache__" / f"catalogue-{lang}.json"
        assert json.loads(kept.read_text(encoding="utf-8"))["messages"] == first
        assert i18n.load(folder) == first  # from the copy


def test_an_edited_file_makes_the_copy_again(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "en")
    i18n.load(folder)
    common = folder / "common.toml"
    common.write_text(common.read_text(encoding="utf-8") + '\n[zz_test]\nadded = "new"\n')
    assert i18n.load(folder)["zz_test.added"] == "new"
    common.unlink()  # a file removed: its messages go too
    assert "zz_test.added" not in i18n.load(folder)


def test_a_damaged_copy_is_ignored_and_replaced(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "vi")
    kept = tmp_path / "__pycache__" / "catalogue-vi.json"
    kept.parent.mkdir()
    kept.write_text("{ not json", encoding="utf-8")
    assert i18n.load(folder) == by_toml(folder)
    assert json.loads(kept.read_text(encoding="utf-8"))["messages"] == by_toml(folder)


def test_a_folder_where_no_copy_can_be_written_reads_the_toml(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "en")
    (tmp_path / "__pycache__").write_text("a file where the folder would be")
    assert i18n.load(folder) == by_toml(folder)
    if os.geteuid() != 0:  # root writes anywhere; the file in the way is enough
        tmp_path.chmod(0o500)
        try:
            assert i18n.load(folder) == by_toml(folder)
        finally:
            tmp_path.chmod(0o700)
