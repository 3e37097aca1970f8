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
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from caseintake.cli.serve.page import PAGE_TEMPLATE
from caseintake.i18n import language, t

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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


class CaseIntakeServer(Server):
    def __init__(
        self,
        argv: Sequence[str],
        host: str,
        port: int,
        banner: Callable[[], None],
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title=t("serve.page_title"))
        self._banner = banner

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
        self._banner()

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
            "font_size": font_size,
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not same_origin(request.headers.get("Origin"), request.host):
            raise web.HTTPForbidden()
        return await super().handle_websocket(request)


def same_origin(origin: str | None, host: str) -> bool:
    """A browser always sends ``Origin`` on a websocket; it must name this server's address."""
    if origin is None:  # not a browser (a script on this machine): nothing to forge
        return True
    return urlsplit(origin).netloc.lower() == host.lower()
