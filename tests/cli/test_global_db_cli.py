"""``caseintake --db URL <command>``: the database named before the command is the one opened,
by every command; ``route`` names the desks of ``$CASEINTAKE_DB`` (issue 7 item 12)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import typer

from caseintake.cli.main import app
from tests.samples import design_example

ROOT_PW = "amber-violet-72"
LAN_PW = "quiet-harbour-41"
DESK = (
    "id,body,name,province_code,ward_code,phones,email,hours,source,note\n"
    "hcm-saigon-ubnd,commune_committee,UBND phường Sài Gòn,79,26740,0283829 1234,,7:30-17:00,"
    "test,\n"
)

# The commands the test below runs with the global --db (every one there was when it was written).
EXERCISED = {
    "init",
    "demo",
    "user add",
    "user passwd",
    "user disable",
    "user list",
    "user reset",
    "audit verify",
    "audit checkpoint",
    "audit acknowledge",
    "db upgrade",
    "directory import",
    "directory list",
    "route",
    "intake",
}


def commands_with_db(app: typer.Typer = app, prefix: str = "") -> dict[str, inspect.Signature]:
    """Every command of the CLI that takes ``--db``, with its signature."""
    found: dict[str, inspect.Signature] = {}
    for command in app.registered_commands:
        assert command.callback is not None
        name = f"{prefix} {command.name or command.callback.__name__}".strip()
        signature = inspect.signature(command.callback, eval_str=True)
        if "database" in signature.parameters:
            found[name] = signature
    for group in app.registered_groups:
        assert group.typer_instance is not None
        found.update(commands_with_db(group.typer_instance, f"{prefix} {group.name}".strip()))
    return found


def test_every_command_with_db_gets_the_global_one() -> None:
    """settings_for()/open_services() need the command's context, where the callback left the
    --db given before the command: a command that takes --db must take the context too."""
    found = commands_with_db()
    assert set(found) >= EXERCISED
    without_context = [
        name
        for name, signature in found.items()
        if not any(p.annotation is typer.Context for p in signature.parameters.values())
    ]
    assert without_context == []


def test_global_db_is_the_database_of_every_command(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """$CASEINTAKE_DB names another file that does not exist: any command that ignored the
    global --db would open (or create) that one and fail or leave it behind."""
    url = f"sqlite:///{tmp_path / 'global.db'}"
    elsewhere = tmp_path / "elsewhere.db"
    env = {"CASEINTAKE_DB": f"sqlite:///{elsewhere}"}

    def run(*args: str, password: str | None = None, **more: str):  # type: ignore[no-untyped-def]
        result = cli("--lang", "en", "--db", url, *args, password=password, **env, **more)
        assert result.exit_code == 0, (args, result.output)
        return result

    init = run("init", "--admin", "root", password=ROOT_PW)
    recovery = init.output.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    run("user", "add", "lan", "--role", "operator", "--user", "root", password=ROOT_PW,
        CASEINTAKE_NEW_PASSWORD="one-time-pass-1")  # fmt: skip
    run("user", "passwd", "--user", "lan", password="one-time-pass-1",
        CASEINTAKE_NEW_PASSWORD=LAN_PW)  # fmt: skip
    run("user", "add", "minh", "--role", "operator", "--user", "root", password=ROOT_PW)
    run("user", "disable", "minh", "--user", "root", password=ROOT_PW)
    run("user", "reset", "minh", CASEINTAKE_RECOVERY_KEY=recovery)
    assert "lan\toperator\tactive" in run("user", "list", "--user", "root", password=ROOT_PW).output
    csv = tmp_path / "desk.csv"
    csv.write_text(DESK, encoding="utf-8")
    run("directory", "import", str(csv), "--user", "root", password=ROOT_PW)
    assert "hcm-saigon-ubnd" in run("directory", "list").output
    report = tmp_path / "report.json"
    report.write_text(json.dumps(design_example(narrative="Bé bị đánh.")), encoding="utf-8")
    routed = json.loads(run("route", str(report), "--json").output)
    desks = {r["body"]: r["entry"] for r in routed["referrals"]}
    assert desks["commune_committee"]["id"] == "hcm-saigon-ubnd"
    assert (
        "case 111-2026-000001"
        in run("intake", str(report), "--user", "lan", password=LAN_PW).output
    )
    run("audit", "checkpoint", "--out", str(tmp_path / "cp.json"), "--user", "root",
        password=ROOT_PW)  # fmt: skip
    assert "intact" in run("audit", "verify", "--user", "root", password=ROOT_PW).output
    nothing = cli("--lang", "en", "--db", url, "audit", "acknowledge", "--reason", "test",
                  "--user", "root", password=ROOT_PW, **env)  # fmt: skip
    assert "there is no failure to acknowledge" in nothing.output  # it read this trail
    assert "newest schema" in run("db", "upgrade").output
    demo_url = f"sqlite:///{tmp_path / 'demo.db'}"
    demo = cli("--db", demo_url, "demo", "--contacts", "3", **env)
    assert demo.exit_code == 0, demo.output
    assert "giám sát viên" in demo.output and "supervisor" not in demo.output  # roles in words
    assert (tmp_path / "demo.db").exists()
    assert not elsewhere.exists()


def test_two_different_databases_are_refused(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = cli("--lang", "en", "--db", other, "directory", "list", "--db", initialised)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Two different databases were given (--db before and after the command); give one."
    )
    same = cli("--db", initialised, "directory", "list", "--db", initialised)
    assert same.exit_code == 0 and "111" in same.output


def _import_desk(cli, url: str, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    csv = tmp_path / "desk.csv"
    csv.write_text(DESK, encoding="utf-8")
    imported = cli("directory", "import", str(csv), "--user", "root", "--db", url, password=ROOT_PW)
    assert imported.exit_code == 0, imported.output
    report = tmp_path / "report.json"
    report.write_text(json.dumps(design_example()), encoding="utf-8")
    return report


def test_route_names_the_desks_of_caseintake_db(cli, initialised: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = _import_desk(cli, initialised, tmp_path)
    result = cli("--lang", "en", "route", str(report), CASEINTAKE_DB=initialised)
    assert result.exit_code == 0, result.output
    assert "UBND phường Sài Gòn (+842838291234)" in result.output
    seed = cli("--lang", "en", "route", str(report))  # no database anywhere: the shipped seed
    assert seed.exit_code == 0 and "UBND phường Sài Gòn" not in seed.output


def test_route_uses_the_default_database_when_it_exists(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    default = tmp_path / "data" / "caseintake" / "caseintake.db"  # XDG_DATA_HOME of the fixture
    made = cli("init", "--admin", "root", password=ROOT_PW)
    assert made.exit_code == 0 and default.exists(), made.output
    report = _import_desk(cli, f"sqlite:///{default}", tmp_path)
    result = cli("--lang", "en", "route", str(report))
    assert result.exit_code == 0 and "UBND phường Sài Gòn" in result.output


def test_route_with_a_named_database_that_is_missing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A database that was named but is not there is an error, not a silent fall-back."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps(design_example()), encoding="utf-8")
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    result = cli("--lang", "en", "route", str(report), CASEINTAKE_DB=missing)
    assert result.exit_code == 1 and "no database" in result.output
    assert len(result.output.strip().splitlines()) == 1
