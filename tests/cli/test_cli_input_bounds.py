"""Hostile input to the command line: one sentence on stderr, exit 1, nothing saved, never a
traceback (issue 10 item 9). Each case below printed a traceback or a raw message key before.

Bytes that are not UTF-8 reach Python as lone surrogates (PEP 383: ``\\udcff`` for the byte
0xff), in ``os.environ`` and in ``sys.argv`` alike; the tests pass them the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from caseintake.store.models import Case, Contact
from tests.samples import design_example

NOT_UTF8 = "\udcff\udcfe"  # the bytes ff fe, as Python decodes them from argv or the environment
LAN_PW = "quiet-harbour-41"


def rows(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as c:
        counts = (
            c.execute(select(func.count()).select_from(Contact)).scalar_one(),
            c.execute(select(func.count()).select_from(Case)).scalar_one(),
        )
    engine.dispose()
    return counts


def one_sentence(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    text = result.output.strip()
    assert "Traceback" not in text and len(text.splitlines()) == 1, text
    return text


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    return str(path)


def report_with(value_json: str, field: str = "duration_seconds") -> str:
    """The DESIGN example with one field's JSON text replaced verbatim."""
    text = json.dumps(design_example(narrative="Bé bị đánh."))
    return text[:-1] + f', "{field}": {value_json}}}'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 3000 + "]" * 3000, "nests arrays or objects more than 32 deep"),
        (report_with("[" * 3000 + "]" * 3000), "more than 32 deep"),
        (report_with("[" * 40 + "]" * 40), "more than 32 deep"),  # below Python's own limit
        (report_with("9" * 5000), "a number longer than 40 characters"),
        (report_with("1." + "5" * 5000), "a number longer than 40 characters"),
        (report_with("NaN"), "has NaN, which is not a JSON number"),
        (report_with("-Infinity", "immediate_danger"), "has -Infinity"),
    ],
    ids=["3000 arrays", "deep field", "41 levels", "5000 digits", "long float", "NaN", "Inf"],
)
def test_hostile_json_is_one_sentence_and_saves_nothing(
    cli, initialised: str, tmp_path: Path, text: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, text)
    for args in (("route", path), ("intake", path, "--user", "lan", "--db", initialised)):
        message = one_sentence(cli("--lang", "en", *args, password=LAN_PW))
        assert expected in message
    assert rows(initialised) == (0, 0)


def test_an_ordinary_intake_is_not_too_deep(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The bounds leave room: the deepest real intake (children[0].special_circumstances) saves."""
    data = design_example(narrative="Bé bị đánh.", duration_seconds=86_400)
    data["children"][0]["special_circumstances"] = ["harmed_by_violence"]
    path = write(tmp_path, json.dumps(data))
    saved = cli("intake", path, "--user", "lan", "--db", initialised, password=LAN_PW)
    assert saved.exit_code == 0, saved.output
    assert rows(initialised) == (1, 1)


def test_password_that_is_not_utf8(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, json.dumps(design_example()))
    result = cli(
        "--lang", "en", "intake", path, "--user", "lan", "--db", initialised,
        password="lan-" + NOT_UTF8,
    )  # fmt: skip
    assert one_sentence(result) == (
        "The environment variable CASEINTAKE_PASSWORD is not valid UTF-8 text."
    )
    assert rows(initialised) == (0, 0)


def test_user_name_that_is_not_utf8(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, json.dumps(design_example()))
    for args in (
        ("intake", path, "--user", "lan" + NOT_UTF8, "--db", initialised),
        ("user", "list", "--user", NOT_UTF8, "--db", initialised),
        ("user", "passwd", "--user", NOT_UTF8, "--db", initialised),
    ):
        result = cli("--lang", "en", *args, password=LAN_PW, new_password="new-password-77")
        assert one_sentence(result) == "The value of --user is not valid UTF-8 text.", args
    assert rows(initialised) == (0, 0)


def test_new_password_that_is_not_utf8(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    for args in (
        ("user", "add", "minh", "--role", "operator", "--user", "root"),
        ("user", "passwd", "--user", "root"),
    ):
        result = cli(
            "--lang", "en", *args, "--db", initialised,
            password="amber-violet-72", new_password="new-" + NOT_UTF8,
        )  # fmt: skip
        assert one_sentence(result) == (
            "The environment variable CASEINTAKE_NEW_PASSWORD is not valid UTF-8 text."
        ), args
    listed = cli("user", "list", "--user", "root", "--db", initialised, password="amber-violet-72")
    assert listed.exit_code == 0 and "minh" not in listed.output  # nobody was added


def test_recovery_key_that_is_not_utf8(cli, initialised: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "--lang", "en", "user", "reset", "lan", "--db", initialised,
        CASEINTAKE_RECOVERY_KEY="ABCD-" + NOT_UTF8,
    )  # fmt: skip
    assert one_sentence(result) == (
        "The environment variable CASEINTAKE_RECOVERY_KEY is not valid UTF-8 text."
    )
    still = cli(
        "user", "passwd", "--user", "lan", "--db", initialised,
        password=LAN_PW, new_password="quiet-harbour-42",
    )  # fmt: skip
    assert still.exit_code == 0, still.output  # lan's password was not reset to a one-time one


def test_database_url_that_is_not_utf8(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = f"sqlite:///{tmp_path}/{NOT_UTF8}.db"
    assert one_sentence(cli("--lang", "en", "--db", bad, "directory", "list")) == (
        "The value of --db is not valid UTF-8 text."
    )
    assert one_sentence(cli("--lang", "en", "directory", "list", CASEINTAKE_DB=bad)) == (
        "The environment variable CASEINTAKE_DB is not valid UTF-8 text."
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "There is no case with the id 4f1c-no-such-case to link this contact to"),
        ("vi", "Không có hồ sơ mã 4f1c-no-such-case để gắn cuộc liên hệ này"),
    ],
)
def test_unknown_case_id_is_a_sentence_not_a_key(
    cli, initialised: str, tmp_path: Path, lang: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    data = design_example(contact_type="follow_up", case_id="4f1c-no-such-case")
    path = write(tmp_path, json.dumps(data))
    result = cli(
        "--lang", lang, "intake", path, "--user", "lan", "--db", initialised, password=LAN_PW
    )
    message = one_sentence(result)
    assert message.startswith(expected) and "intake.no_such_case" not in message
    assert rows(initialised) == (0, 0)
