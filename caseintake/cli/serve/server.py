"""textual-serve's server, made fit for case data (``caseintake serve``).

What changes from textual-serve 1.1 (read in its ``server.py`` and ``app_service.py``):
- Its log handler is Rich's with ``tracebacks_show_locals=True``: an error while a tab types
  would print the keystrokes held in local variables. Here the log is plain lines, and a record
  carrying an exception keeps only the exception's type (``NoCaseData``).
- Its page asks a third-party server for a font and builds the websocket address from the
  bind address; ours (``serve_page``) does neither.
- A websocket whose ``Origin`` is another site is refused, so a page open in the same browser
  cannot drive a session.
- Its banner quotes the whole command; ours says where it listens and for whom, in the chosen
  language.
- Each tab's process is forked from a warm parent that has already imported the app
  (``warm.py``, ``forks.py``), not started from nothing; textual-serve's pipes are the same.
- At most ``max_tabs`` tabs at once: the next one is closed with ``TABS_FULL`` and its page
  says so in one sentence; a closed tab frees its place.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
from asyncio.subprocess import Process
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from caseintake.cli.serve.forks import Forked, WarmParent
from caseintake.cli.serve.page import PAGE_TEMPLATE
from caseintake.i18n import language, t

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TABS_FULL = 4001  # the websocket close code the page shows as "too many tabs"
log = logging.getLogger("caseintake.serve")


class NoCaseData(logging.Filter):
    """An exception's message and traceback can quote what a user typed: keep only its type."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            record.msg = "error: %s"
            record.args = (type(error).__name__ if error is not None else "unknown",)
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


def tab_environment(width: int = 80, height: int = 24) -> dict[str, str]:
    """What textual-serve gives a tab's process (``AppService._build_environment``)."""
    return AppService._build_environment(cast(Any, SimpleNamespace(debug=False)), width, height)


class TabService(AppService):
    """textual-serve's app service, whose process comes from the warm parent when it can."""

    def __init__(self, command: str, warm: WarmParent | None, **options: Any) -> None:
        super().__init__(command, **options)
        self._warm = warm
        self._forked: Forked | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        forked = None if self._warm is None else await self._warm.fork(environment)
        if forked is None:
            process = await super()._open_app_process(width, height)
            log.info("tab %s: process %s (spawned)", self.app_service_id, process.pid)
            return process
        self._forked = forked
        self._process = process = cast(Process, forked)  # stdin, stdout and stderr alike
        self._stdin = forked.stdin
        log.info("tab %s: process %s (forked)", self.app_service_id, forked.pid)
        return process

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            if self._forked is not None:
                self._forked.close()


class CaseIntakeServer(Server):
    def __init__(
        self,
        argv: Sequence[str],
        host: str,
        port: int,
        banner: Callable[[], None],
        *,
        warm: WarmParent | None = None,
        max_tabs: int = 20,
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title=t("serve.page_title"))
        self._banner = banner
        self._warm = warm
        self._max_tabs = max_tabs
        self._tabs = 0
        self._warming: asyncio.Task[None] | None = None

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(NoCaseData())
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        loader = jinja2.DictLoader({"app_index.html": PAGE_TEMPLATE})
        aiohttp_jinja2.setup(app, loader=loader, autoescape=True)
        return app

    async def on_startup(self, app: web.Application) -> None:
        if self._warm is not None:  # in the background: the server listens at once
            self._warming = asyncio.create_task(self._warm.open())
        self._banner()

    async def on_shutdown(self, app: web.Application) -> None:
        if self._warm is not None:
            self._warm.stop()

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        try:
            font_size = max(8, min(40, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        return {
            "lang": language(),
            "title": t("serve.page_title"),
            "connecting": t("serve.page_connecting"),
            "ended": t("serve.page_ended"),
            "restart": t("serve.page_restart"),
            "full": t("tabs.full", tabs=self._max_tabs),
            "reload": t("tabs.reload"),
            "font_size": font_size,
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not same_origin(request.headers.get("Origin"), request.host):
            raise web.HTTPForbidden()
        if self._tabs >= self._max_tabs:
            log.warning("a tab was refused: %s tabs are open, the limit", self._tabs)
            refused = web.WebSocketResponse()
            await refused.prepare(request)
            await refused.close(code=TABS_FULL, message=b"full")
            return refused
        self._tabs += 1
        try:
            return await self._run_tab(request)
        finally:
            self._tabs -= 1

    async def _run_tab(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's ``handle_websocket``, with ``TabService`` for its ``AppService``."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: TabService | None = None
        try:
            await websocket.prepare(request)
            service = TabService(
                self.command,
                self._warm,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
        return websocket


def same_origin(origin: str | None, host: str) -> bool:
    """A browser always sends ``Origin`` on a websocket; it must name this server's address."""
    if origin is None:  # not a browser (a script on this machine): nothing to forge
        return True
    return urlsplit(origin).netloc.lower() == host.lower()
