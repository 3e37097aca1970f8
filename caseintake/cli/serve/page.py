"""The browser page of ``caseintake serve``: textual-serve's terminal (xterm.js, its own static
files), without its page's font request to a third-party server (a hotline's browser tells
nobody else it is open), in the chosen language, and with the websocket address taken from the
address the browser used, so the page works behind a reverse proxy that speaks HTTPS. A tab the
server refuses (its tab limit, close code 4001) shows one sentence saying so.
"""

from __future__ import annotations

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
  <meta charset="utf-8">
  <title>{{ title }}</title>
  <link rel="stylesheet" href="/static/css/xterm.css">
  <script>
    // Keys typed while the connection is still opening are kept and sent once it is open
    // (after textual.js's own first messages), not thrown away (issue 19 item 1).
    (function () {
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        if (this.readyState !== WebSocket.CONNECTING) { return send.call(this, data); }
        if (!this.__waiting) {
          this.__waiting = [];
          this.addEventListener("open", () => {
            for (const kept of this.__waiting) { send.call(this, kept); }
          });
        }
        this.__waiting.push(data);
      };
      // A connection the server refuses for its tab limit: say so, in place of "ended".
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener("close", (event) => {
            if (event.code === 4001) { document.body.classList.add("-full"); }
          });
        }
      };
    })();
  </script>
  <script src="/static/js/textual.js"></script>
  <style>
    @font-face {
      font-family: "Roboto Mono";
      src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
    }
    html, body { margin: 0; height: 100%; background: #0c181f; }
    .textual-terminal { width: 100vw; height: 100vh; }
    .notice {
      position: absolute; inset: 0; display: flex; align-items: center;
      justify-content: center; z-index: 10; background: #0c181f;
      color: rgba(255, 255, 255, 0.95); font: 16px "Roboto Mono", monospace;
      text-align: center;
    }
    .notice div { max-width: 40em; padding: 2em; }
    body.-first-byte .connecting { display: none; }
    .ended { display: none; }
    body.-closed .ended { display: flex; }
    .full { display: none; z-index: 11; }
    body.-full .full { display: flex; }
    button {
      margin-top: 1.5em; padding: 12px 28px; border: none; cursor: pointer;
      background: #1f6feb; color: white; font: inherit;
    }
  </style>
</head>
<body>
  <div class="notice connecting"><div>{{ connecting }}</div></div>
  <div class="notice ended"><div>
    <p id="session-ended">{{ ended }}</p>
    <button type="button" onclick="window.location.reload()">{{ restart }}</button>
  </div></div>
  <div class="notice full"><div>
    <p id="tabs-full">{{ full }}</p>
    <button type="button" onclick="window.location.reload()">{{ reload }}</button>
  </div></div>
  <div id="terminal" class="textual-terminal" data-font-size="{{ font_size }}"></div>
  <script>
    document.getElementById("terminal").dataset.sessionWebsocketUrl =
      (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + "/ws";
    // The terminal takes the keyboard as soon as it exists: a person types the name at once,
    // and keys before a click must not be lost (issue 19 item 1).
    (function focusTerminal() {
      const input = document.querySelector("#terminal .xterm-helper-textarea");
      if (input) { input.focus(); } else { window.requestAnimationFrame(focusTerminal); }
    })();
  </script>
</body>
</html>
"""
