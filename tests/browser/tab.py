"""One browser tab on ``caseintake serve``, driven by keys, read from the terminal's buffer.

textual-serve draws the app with xterm.js on a canvas, so the text is not in the page's DOM.
The test serves the page's own ``textual.js`` with one line added (through Playwright's
routing, the product is unchanged) that keeps the xterm.js terminal where the test can read
its buffer: the same characters a person sees, row by row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# textual-serve 1.1's page script makes one terminal per ``.textual-terminal`` element here.
HOOK = "const t=new w(e,{ping:r});"
KEEP = "(window.__caseintakeTerminals=window.__caseintakeTerminals||[]).push(t);"
SCREEN_JS = """() => {
  const kept = window.__caseintakeTerminals;
  if (!kept || !kept.length) return "";
  const term = kept[0].terminal, buffer = term.buffer.active, rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
# tmux key names (tests/tui/test_tmux_e2e.py) as Playwright names, so key lists are shared.
NAMED = {
    "Enter": "Enter",
    "Tab": "Tab",
    "BTab": "Shift+Tab",
    "Escape": "Escape",
    "BSpace": "Backspace",
}


def _keep_terminal(route: Any) -> None:
    response = route.fetch()
    script = response.text()
    if HOOK not in script:
        raise AssertionError(
            "textual-serve's textual.js changed: update HOOK in tests/browser/tab.py"
        )
    route.fulfill(response=response, body=script.replace(HOOK, HOOK + KEEP))


class Tab:
    def __init__(self, page: Any) -> None:
        self.page = page

    @classmethod
    def open(cls, context: Any, url: str) -> Tab:
        page = context.new_page()
        page.route("**/static/js/textual.js", _keep_terminal)
        page.goto(url)
        page.wait_for_selector(".xterm-helper-textarea", state="attached")
        # A click (top left, on no widget) gives the tab the focus, as a person does.
        page.click(".xterm-screen", position={"x": 2, "y": 2})
        return cls(page)

    def screen(self) -> str:
        return str(self.page.evaluate(SCREEN_JS))

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        try:
            self.page.wait_for_function(
                f"(text) => ({SCREEN_JS})().includes(text)", arg=text, timeout=timeout * 1000
            )
        except Exception:
            raise AssertionError(
                f"{text!r} never appeared; the tab shows:\n{self.screen()}"
            ) from None
        return self.screen()

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        try:
            self.page.wait_for_function(
                f"(text) => !({SCREEN_JS})().includes(text)", arg=text, timeout=timeout * 1000
            )
        except Exception:
            raise AssertionError(f"{text!r} stayed; the tab shows:\n{self.screen()}") from None
        return self.screen()

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Keys as tmux names them: ``Enter``, ``C-s``; anything else is typed as text."""
        keyboard = self.page.keyboard
        for key in keys:
            if literal:
                keyboard.type(key)
            elif key in NAMED:
                keyboard.press(NAMED[key])
            elif key.startswith("C-") and len(key) == 3:
                keyboard.press(f"Control+{key[2]}")
            else:
                keyboard.type(key)

    def login(self, name: str, password: str) -> None:
        self.wait_for("Tên đăng nhập")
        self.keys(name)
        self.wait_for(f"▊  {name}")  # echoed: the field has the focus
        self.keys("Tab", password, "Enter")

    def ended(self, timeout: float = 20.0) -> None:
        """The page says the session ended (the server closed the tab's connection)."""
        self.page.wait_for_selector("#session-ended", state="visible", timeout=timeout * 1000)

    def shot(self, folder: Path | None, name: str) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(folder / name))

    def close(self) -> None:
        self.page.close()
