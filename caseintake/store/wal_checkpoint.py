"""WAL checkpoints outside the save path (issue 23, DESIGN §8: a save's p99 ≤ 3 × its median).

SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL past 1,000 pages:
that one save then copies the WAL into the database file and waits for its fsync (a p99 of
15 ms and a max of 84 ms against a median of 2 ms at 1 M contacts). Here this process's
connections turn it off (``PRAGMA wal_autocheckpoint = 0``, set with the other PRAGMAs) and a
daemon thread, nudged after each write transaction, runs a PASSIVE checkpoint on a connection
of its own once the WAL file is past ``LIMIT_BYTES``: the save returns first, and a PASSIVE
checkpoint never waits for a writer or a reader (what it cannot copy yet, the next one does).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

LIMIT_BYTES = 4 << 20  # SQLite's default: 1,000 pages of 4 KiB
# A checkpoint lets the next writer start the WAL again from its beginning, but the file keeps
# its size (SQLite overwrites it rather than grow it again, so a commit's fsync changes no file
# size): past the limit once, the size alone would ask for a checkpoint after every commit
# (issue 23: 295 checkpoints in 300 saves, each beside the next save's fsync). So once the
# file is past the limit, a checkpoint waits until the WAL has grown since the last one (no
# restart: readers held it) or this many commits have been made since.
COMMITS = 64


class WalCheckpointer:
    limit_bytes = LIMIT_BYTES
    commits = COMMITS

    def __init__(self, file: Path, pragmas: list[str]) -> None:
        self._file = file
        self._wal = Path(f"{file}-wal")
        self._pragmas = pragmas
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # starting the thread (a save may nudge meanwhile)
        self._running = threading.Lock()  # a checkpoint under way
        self.done = 0  # checkpoints run (for the tests)
        self._since = 0  # commits since the last checkpoint was asked for
        self._size = 0  # the WAL file's size then

    def nudge(self) -> None:
        """After a commit: a checkpoint soon, off this thread, if the WAL has grown."""
        try:
            size = self._wal.stat().st_size
        except OSError:
            return
        self._since += 1
        if size < self.limit_bytes or (size <= self._size and self._since < self.commits):
            return
        with self._lock:
            if self._stop:
                return
            self._since, self._size = 0, size
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="wal-checkpoint", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stop:
                return
            with self._running:  # close() waits for a checkpoint under way, then none starts
                if self._stop:
                    return
                self._checkpoint()

    def _checkpoint(self) -> None:
        """On a connection opened for it and closed after: nothing stays open between."""
        try:
            conn = sqlite3.connect(str(self._file), timeout=5, check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            for pragma in self._pragmas:
                conn.execute(pragma)
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.done += 1
        except sqlite3.Error:
            pass  # busy or gone: the next nudge tries again
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock, self._running:
            self._stop = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join(timeout=30)
