"""``caseintake serve``: the same app in a browser, one app process per tab (textual-serve).

Each tab runs ``caseintake.cli.serve.session``: its own login, idle lock, drafts and audit
events, exactly as a terminal. The server speaks plain HTTP, so it binds to this computer
only unless told otherwise, and then says how to put HTTPS in front of it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated

import typer

from caseintake.cli.common import DbOption, handles_errors, settings_for
from caseintake.i18n import language, t

DEFAULT_SESSION_MINUTES = 30.0
DEFAULT_MAX_TABS = 20  # a tab at rest costs little; 20 logging in at once fill two cores
_SECRETS = ("CASEINTAKE_PASSWORD", "CASEINTAKE_NEW_PASSWORD", "CASEINTAKE_RECOVERY_KEY")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


@handles_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    database: DbOption = None,
    allow_remote: Annotated[bool, typer.Option("--allow-remote")] = False,
    session_timeout: Annotated[
        float,
        typer.Option(
            "--session-timeout",
            min=0.05,
            max=24 * 60,
        ),
    ] = DEFAULT_SESSION_MINUTES,
    server_files: Annotated[bool, typer.Option("--server-files")] = False,
    export_dir: Annotated[Path | None, typer.Option("--export-dir")] = None,
    max_tabs: Annotated[int, typer.Option("--max-tabs", min=1, max=1000)] = DEFAULT_MAX_TABS,
) -> None:
    """Serve the application to web browsers: each tab is its own session."""
    from caseintake.cli.serve import warm
    from caseintake.cli.serve.session import command
    from caseintake.domain.errors import DomainError
    from caseintake.services.container import open_existing

    settings = settings_for(ctx, database)
    local = is_local(host)
    if not local and not allow_remote:
        raise DomainError("serve.not_local", host=host)
    open_existing(settings).close()  # a missing or unready database: one sentence, now
    check_port_free(host, port)

    def banner() -> None:
        if local:
            url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
            typer.echo(t("serve.listening_local", url=url, host=host))
        else:
            typer.echo(t("serve.listening_remote", host=host, port=port))
            typer.echo(t("serve.tls_advice", port=port))
        lock = settings.idle_lock.total_seconds() / 60
        typer.echo(t("serve.session_timeout", lock=f"{lock:g}", timeout=f"{session_timeout:g}"))

    env = {"CASEINTAKE_DB": settings.db_url, "CASEINTAKE_LANG": language()}
    # Files go to the browser; on this server only when the admin says so (issue 21 item 2).
    env["CASEINTAKE_SERVER_FILES"] = "1" if server_files else "0"
    if export_dir is not None:
        env["CASEINTAKE_EXPORT_DIR"] = str(export_dir.expanduser().absolute())
    seconds = session_timeout * 60
    run_server(
        command(seconds),
        host,
        port,
        env,
        banner,
        max_tabs=max_tabs,
        warm=lambda fd: warm.command(fd, seconds),
    )
    typer.echo(t("serve.stopped"))


def run_server(
    argv: Sequence[str],
    host: str,
    port: int,
    env: Mapping[str, str],
    banner: Callable[[], None],
    *,
    max_tabs: int = DEFAULT_MAX_TABS,
    warm: Callable[[int], Sequence[str]] | None = None,
) -> None:
    """Serve until Ctrl+C. Each tab's process inherits ``env`` (so a database password never
    shows in the process list); it is forked from the warm parent ``warm(control_fd)`` runs,
    or spawned as ``argv`` when there is none."""
    from caseintake.cli.serve.forks import WarmParent
    from caseintake.cli.serve.server import CaseIntakeServer, tab_environment

    os.environ.update(env)
    for secret in _SECRETS:  # a tab logs in on its page; no tab inherits the admin's secrets
        os.environ.pop(secret, None)
    parent = None if warm is None else WarmParent(warm, tab_environment())
    CaseIntakeServer(argv, host, port, banner, warm=parent, max_tabs=max_tabs).serve()


def is_local(host: str) -> bool:
    """True when every address ``host`` names is a loopback address."""
    from caseintake.domain.errors import DomainError

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        raise DomainError("serve.bad_host", host=host) from None
    addresses = {entry[4][0] for entry in found}
    return bool(addresses) and all(
        ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses
    )


def check_port_free(host: str, port: int) -> None:
    from caseintake.domain.errors import DomainError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise DomainError("serve.port_busy", host=host, port=port) from None
