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


def _asked(checkpointer) -> int:  # type: ignore[no-untyped-def]
    """How many checkpoints the nudges asked for (the thread's wake-ups)."""
    asked = checkpointer._wake.is_set()
    checkpointer._wake.clear()
    return int(asked)


def test_a_wal_past_the_limit_is_not_checkpointed_after_every_commit(services, operator) -> None:  # type: ignore[no-untyped-def]
    """Issue 23: a checkpoint lets the WAL start again from its beginning, but the file keeps
    its size; past the limit once, the size alone asked for a checkpoint after every commit
    (295 in 300 saves). Now: again only once the WAL has grown, or after ``commits`` commits."""
    checkpointer = services.db._checkpointer
    checkpointer._thread = object()  # no thread: the test reads what the nudges ask for
    checkpointer.limit_bytes, checkpointer.commits = 1, 5
    try:
        services.drafts.save(operator, "d-1", {"narrative": "x"})
        assert _asked(checkpointer) == 1  # past the limit: the first commit asks
        assert checkpointer._size > 0
        for _ in range(4):  # the WAL no bigger than when it was asked for: nobody asks
            checkpointer._size = 10**12
            services.drafts.save(operator, "d-1", {"narrative": "x"})
            assert _asked(checkpointer) == 0
        checkpointer._size = 10**12
        services.drafts.save(operator, "d-1", {"narrative": "x"})  # the 5th commit since
        assert _asked(checkpointer) == 1
        checkpointer._size = 0  # a WAL grown since: asked at once
        services.drafts.save(operator, "d-1", {"narrative": "y"})
        assert _asked(checkpointer) == 1
    finally:
        checkpointer._thread = None
