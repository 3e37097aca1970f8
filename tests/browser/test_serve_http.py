"""The server over plain HTTP, no browser needed: the page asks no third-party server for
anything, and a websocket opened from another site's page is refused."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import start_server, stop_server


@pytest.fixture
def port(services: Any, tmp_path: Path) -> Iterator[int]:
    settings = services.settings
    process, port = start_server(settings.db_url, settings.state_dir, tmp_path / "serve.log")
    yield port
    stop_server(process)


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def test_the_page_is_local_and_a_websocket_from_another_site_is_refused(port: int) -> None:
    status, page = get(port, "/", {})
    assert status == 200
    assert '<html lang="vi">' in page and "Phiên này đã kết thúc" in page
    assert "googleapis" not in page and "https://" not in page  # nothing from elsewhere
    assert 'src="/static/js/textual.js"' in page
    status, _ = get(port, "/ws", UPGRADE | {"Origin": "http://evil.example"})
    assert status == 403
    status, _ = get(port, "/ws", UPGRADE | {"Origin": f"http://127.0.0.1:{port + 1}"})
    assert status == 403
