"""WAL checkpoints off the save path (issue 23): the app's connections never checkpoint in a
commit; a thread of the database's own does, once the WAL has grown, after a write."""

from __future__ import annotations

import time

from sqlalchemy import text


def test_connections_leave_checkpoints_to_the_thread(services, operator) -> None:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
    checkpointer = services.db._checkpointer
    services.drafts.save(operator, "d-1", {"narrative": "x"})
    assert checkpointer._thread is None  # a WAL under 4 MiB: no checkpoint, no thread
    checkpointer.limit_bytes = 1  # any WAL at all
    services.drafts.save(operator, "d-1", {"narrative": "đang gõ"})
    deadline = time.monotonic() + 30
    while checkpointer.done == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert checkpointer.done > 0
    # The rows are there for every reader, and closing stops the thread.
    assert services.drafts.latest(operator)[0] == "d-1"
    services.db.dispose()
    assert not checkpointer._thread.is_alive()
