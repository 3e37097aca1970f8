"""The end of the national line's decade (the clock of every bench database), in a module of
its own so that a bench measuring a process's memory can name it without importing the bulk
builder (``bench.tui_memory``)."""

from datetime import UTC, datetime

END = datetime(2026, 11, 1, tzinfo=UTC)
