"""``caseintake --version``: the installed metadata's version, exit 0, before anything else."""

from __future__ import annotations

from importlib.metadata import version

from caseintake.cli.version import installed_version


def test_version_prints_the_installed_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output == f"caseintake {version('caseintake')}\n"
    assert installed_version() == version("caseintake")


def test_version_is_eager_and_opens_no_database(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A bad language and a database that does not exist are never looked at.
    missing = f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}"
    result = cli("--lang", "xx", "--db", missing, "--version")
    assert result.exit_code == 0 and result.output.startswith("caseintake ")
    assert not (tmp_path / "nowhere").exists()


def test_misspelt_version_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--versio")
    assert result.exit_code == 2
