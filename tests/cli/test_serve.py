"""``caseintake serve``: where it listens, what it refuses, what it tells, and what its log keeps.
The server itself is replaced by a recorder here; tests/browser runs the real one."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from caseintake.cli.serve import command as serve_cli


@pytest.fixture(autouse=True)
def vietnamese_first() -> Any:
    """Another test's ``--lang en`` stays in the process; these start in Vietnamese."""
    from caseintake.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def database(cli: Callable[..., Any], url: str) -> str:
    result = cli("init", "--admin", "root", "--db", url, password="amber-violet-72")
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What run_server was given; it prints its banner and returns at once."""
    calls: list[dict[str, Any]] = []

    def record(
        argv: Any, host: str, port: int, env: Any, banner: Callable[[], None], **options: Any
    ) -> None:
        calls.append({"argv": list(argv), "host": host, "port": port, "env": dict(env)})
        calls[-1].update(options)
        banner()

    monkeypatch.setattr(serve_cli, "run_server", record)
    return calls


def test_binds_to_this_computer_by_default_and_says_so(
    cli: Callable[..., Any], database: str, started: list[dict[str, Any]]
) -> None:
    result = cli("serve", "--db", database, "--port", "8123")
    assert result.exit_code == 0, result.output
    (call,) = started
    assert (call["host"], call["port"]) == ("127.0.0.1", 8123)
    assert "http://127.0.0.1:8123/" in result.stdout and "chỉ máy này" in result.stdout
    assert "sau 5 phút và kết thúc sau 30 phút" in result.stdout
    # each tab runs the session module; the database reaches it by environment, not argv
    assert call["argv"][1:] == [
        "-m",
        "caseintake.cli.serve.session",
        "--session-timeout-seconds",
        "1800",
    ]
    assert call["env"] == {
        "CASEINTAKE_DB": database,
        "CASEINTAKE_LANG": "vi",
        "CASEINTAKE_SERVER_FILES": "0",  # files go to the browser unless the admin says so
    }


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_a_host_other_computers_reach_is_refused_without_allow_remote(
    cli: Callable[..., Any], database: str, started: list[dict[str, Any]], host: str
) -> None:
    result = cli("serve", "--db", database, "--host", host)
    assert result.exit_code == 1
    assert started == []
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and host in lines[0] and "--allow-remote" in lines[0]


def test_allow_remote_serves_and_says_how_to_put_https_in_front(
    cli: Callable[..., Any], database: str, started: list[dict[str, Any]]
) -> None:
    result = cli(
        "--lang",
        "en",
        "serve",
        "--db",
        database,
        "--host",
        "0.0.0.0",
        "--allow-remote",
        "--port",
        "8124",
        "--session-timeout",
        "15",
    )
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == "0.0.0.0" and started[0]["argv"][-1] == "900"
    assert started[0]["env"]["CASEINTAKE_LANG"] == "en"
    assert "reachable from other computers" in result.stdout
    assert "HTTPS" in result.stdout and "In a browser" in result.stdout and "8124" in result.stdout


def test_an_unknown_host_name_is_one_sentence(
    cli: Callable[..., Any], database: str, started: list[dict[str, Any]]
) -> None:
    result = cli("serve", "--db", database, "--host", "no-such-host.invalid")
    assert result.exit_code == 1 and started == []
    assert "no-such-host.invalid" in result.stderr and "Traceback" not in result.output


def test_a_missing_database_is_refused_before_serving(
    cli: Callable[..., Any], tmp_path: Path, started: list[dict[str, Any]]
) -> None:
    result = cli("serve", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 1 and started == []
    assert "caseintake init" in result.stderr


def test_a_port_in_use_is_one_sentence(
    cli: Callable[..., Any], database: str, started: list[dict[str, Any]]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--db", database, "--port", str(port))
    assert result.exit_code == 1 and started == []
    assert str(port) in result.stderr and "--port" in result.stderr


@pytest.mark.parametrize(
    "args", [["--port", "0"], ["--port", "70000"], ["--session-timeout", "0"], ["--port", "x"]]
)
def test_bad_port_or_timeout_is_a_usage_error(
    cli: Callable[..., Any], database: str, started: list[dict[str, Any]], args: list[str]
) -> None:
    result = cli("serve", "--db", database, *args)
    assert result.exit_code == 2 and started == []


def test_loopback_names_are_local_and_others_are_not() -> None:
    assert serve_cli.is_local("127.0.0.1") and serve_cli.is_local("::1")
    assert serve_cli.is_local("localhost") and serve_cli.is_local("127.0.0.2")
    assert not serve_cli.is_local("0.0.0.0") and not serve_cli.is_local("10.0.0.1")


def test_the_log_keeps_an_errors_type_never_its_words_or_locals() -> None:
    from caseintake.cli.serve.server import LOG_FORMAT, NoCaseData

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(NoCaseData())
    log = logging.getLogger("textual-serve-test")
    log.addHandler(handler)
    try:
        typed = "Nguyễn Thị Hoa 0912345678"  # a local a traceback with locals would show
        try:
            raise ValueError(f"bad stdin {typed}")
        except ValueError as error:
            log.exception(error)
        log.warning("plain %s", "line")
    finally:
        log.removeHandler(handler)
    assert len(lines) == 2
    assert lines[0].endswith("error: ValueError") and "Hoa" not in lines[0]
    assert "0912345678" not in lines[0] and "Traceback" not in lines[0]
    assert lines[1].endswith("plain line")


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        (None, "127.0.0.1:8000", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("https://HOTLINE.example", "hotline.example", True),
        ("http://evil.example", "127.0.0.1:8000", False),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
    ],
)
def test_a_websocket_from_another_site_is_not_the_same_origin(
    origin: str | None, host: str, same: bool
) -> None:
    from caseintake.cli.serve.server import same_origin

    assert same_origin(origin, host) is same


def test_no_tab_inherits_the_secrets_of_whoever_started_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from caseintake.cli.serve import server as serve_server

    seen: dict[str, str] = {}

    class Recorder:
        def __init__(self, *args: Any, **options: Any) -> None:
            seen.update(os.environ)

        def serve(self) -> None:
            pass

    monkeypatch.setattr(serve_server, "CaseIntakeServer", Recorder)
    monkeypatch.setenv("CASEINTAKE_PASSWORD", "amber-violet-72")
    monkeypatch.setenv("CASEINTAKE_RECOVERY_KEY", "AAAA-BBBB")
    monkeypatch.setenv("CASEINTAKE_DB", "sqlite:///before.db")
    env = {"CASEINTAKE_DB": "sqlite:///x.db", "CASEINTAKE_LANG": "vi"}
    serve_cli.run_server(["python"], "127.0.0.1", 8000, env, lambda: None)
    assert seen["CASEINTAKE_DB"] == "sqlite:///x.db"
    assert "CASEINTAKE_PASSWORD" not in seen and "CASEINTAKE_RECOVERY_KEY" not in seen
