"""The wheel on its own (issue 12 item 3): built from the source, installed in a fresh venv, and
run from a folder outside the repository, so nothing can come from the source tree.

How the fresh venv gets its dependencies: from the package index, as a desk's `pipx install`
would, held to the exact tested versions of ``requirements.lock`` (given as constraints, hashes
dropped, so the wheel's own ranges are what pip resolves). pip's cache makes a repeat run take
seconds; the first on a new machine downloads about 40 MB. The project's venv is never put on
the fresh venv's path. Everything is built and installed once per module (about 40 s here).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.samples import design_example

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "caseintake"
LOCK = ROOT / "requirements.lock"
ROOT_PW = "amber-violet-72"
LAN_PW = "quiet-harbour-41"
DATA_SUFFIXES = {".toml", ".tcss", ".mako", ".csv", ".json"}


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path  # the working folder and HOME of every command: outside the repository
    install_seconds: float

    @property
    def caseintake(self) -> str:
        return str(self.venv / "bin" / "caseintake")

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTHON", "CASEINTAKE_", "VIRTUAL_ENV", "PYTEST"))
        }
        env.update(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / "data"),
            CASEINTAKE_STATE_DIR=str(self.home / "state"),
            CASEINTAKE_LANG="en",
        )
        env.update(extra)
        return env

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.caseintake, *args],
            cwd=self.home,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )


def source_copy(dest: Path) -> Path:
    """What the wheel is built from: the package, pyproject and README, without bytecode or the
    build/ and egg-info folders a developer's checkout may hold (and others may be writing)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(PACKAGE, dest / "caseintake", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def locked_versions(dest: Path) -> Path:
    """requirements.lock as plain ``name==version`` constraints (pip refuses hashes there)."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s\\]+)", LOCK.read_text("utf-8"), re.M)
    assert len(pins) > 20, "requirements.lock holds no pins"
    dest.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return dest


def pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    src = source_copy(work / "src")
    dist = work / "dist"
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(src))
    (wheel,) = dist.glob("caseintake-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    started = time.monotonic()
    pip(
        "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-compile",
        "--constraint", str(locked_versions(work / "constraints.txt")), str(wheel),
    )  # fmt: skip
    seconds = time.monotonic() - started
    home = work / "home"
    home.mkdir()
    yield Installed(wheel, venv, home, seconds)


def test_wheel_holds_every_data_file_and_nothing_beside_the_package(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    in_source = {
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*")
        if p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts
    }
    assert in_source - names == set()  # rules, catalogues, styles, the Alembic template
    assert any(n.startswith("caseintake/rules/") and n.endswith(".toml") for n in names)
    for lang in ("vi", "en"):
        assert any(n.startswith(f"caseintake/i18n/{lang}/") for n in names)
    migrations = ROOT / "caseintake" / "store" / "migrations" / "versions"
    versions = {f"caseintake/store/migrations/versions/{p.name}" for p in migrations.glob("*.py")}
    assert versions <= names and "caseintake/store/migrations/env.py" in names
    top = {n.split("/", 1)[0] for n in names}
    assert top == {"caseintake", installed.wheel.name.split("-py")[0] + ".dist-info"}
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_installed_package_is_the_wheel_not_the_source(installed: Installed) -> None:
    python = str(installed.venv / "bin" / "python")
    probe = (
        "import caseintake, importlib.util, sys; print(caseintake.__file__); "
        "print(importlib.util.find_spec('migrations')); print(sys.prefix); print(sys.path)"
    )
    done = subprocess.run(
        [python, "-c", probe],
        cwd=installed.home,
        env=installed.env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    where, migrations, prefix, path = done.stdout.splitlines()
    assert str(ROOT) not in path  # neither the checkout nor the project's .venv is on the path
    assert Path(where).is_relative_to(installed.venv) and not Path(where).is_relative_to(ROOT)
    assert migrations == "None"  # no top-level 'migrations' package to clash with another's
    assert Path(prefix) == installed.venv
    # Every dependency the wheel declares is installed at a version its ranges admit.
    pip("--python", python, "check")
    # The figure the closing note quotes (pytest -s shows it).
    size_kb = installed.wheel.stat().st_size / 1024
    print(f"\nwheel {size_kb:.0f} KiB; install {installed.install_seconds:.1f} s")


def test_version(installed: Installed) -> None:
    done = installed.run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"caseintake {installed.wheel.name.split('-')[1]}\n"


def test_init_intake_and_audit_verify_from_the_installed_wheel(installed: Installed) -> None:
    url = f"sqlite:///{installed.home / 'desk.db'}"
    pw = {"CASEINTAKE_PASSWORD": ROOT_PW}
    init = installed.run("init", "--admin", "root", "--db", url, **pw)
    assert init.returncode == 0, init.stderr  # migrations found inside the wheel
    assert "RECOVERY KEY" in init.stdout
    add = installed.run(
        "user", "add", "lan", "--role", "operator", "--user", "root", "--db", url,
        CASEINTAKE_NEW_PASSWORD="one-time-pass-1", **pw,
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    passwd = installed.run(
        "user", "passwd", "--user", "lan", "--db", url,
        CASEINTAKE_PASSWORD="one-time-pass-1", CASEINTAKE_NEW_PASSWORD=LAN_PW,
    )  # fmt: skip
    assert passwd.returncode == 0, passwd.stderr

    report = installed.home / "report.json"
    report.write_text(json.dumps(design_example(narrative="Bé bị đánh.")), encoding="utf-8")
    intake = installed.run(
        "intake", str(report), "--user", "lan", "--db", url, CASEINTAKE_PASSWORD=LAN_PW
    )
    assert intake.returncode == 0, intake.stderr  # routed by the rules inside the wheel
    assert "case 111-2026-000001" in intake.stdout

    verify = installed.run("audit", "verify", "--user", "root", "--db", url, **pw)
    assert verify.returncode == 0, verify.stderr
    assert "intact" in verify.stdout.lower()


def test_bad_input_from_the_installed_wheel_is_one_sentence_in_each_language(
    installed: Installed,
) -> None:
    """A missing file: one sentence from the wheel's own catalogues, Vietnamese by default."""
    url = f"sqlite:///{installed.home / 'bad.db'}"
    missing = str(installed.home / "no-such.json")
    outs = {}
    for lang in ("vi", "en"):
        done = installed.run("intake", missing, "--user", "lan", "--db", url, CASEINTAKE_LANG=lang)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert missing in done.stderr  # names the file: a sentence, not a bare catalogue key
        outs[lang] = done.stderr
    assert outs["vi"] != outs["en"]
    assert not (installed.home / "bad.db").exists()  # nothing was created for bad input
