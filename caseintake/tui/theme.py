"""The app's colours: exact xterm-256 values, each with a distinct nearest ANSI colour, so the
screen reads the same in 256 and in 16 colours."""

from __future__ import annotations

from textual.theme import Theme

CASEINTAKE_THEME = Theme(
    name="caseintake",
    primary="#0087af",  # xterm 31  -> blue/cyan
    secondary="#5f87af",  # xterm 67
    accent="#d7af00",  # xterm 178 -> yellow
    warning="#d78700",  # xterm 172 -> yellow
    error="#d70000",  # xterm 160 -> red
    success="#00af00",  # xterm 34  -> green
    foreground="#e4e4e4",  # xterm 254 -> white
    background="#121212",  # xterm 233 -> black
    surface="#1c1c1c",  # xterm 234
    panel="#303030",  # xterm 236
    dark=True,
)
