"""The order-free work of a bulk build on every core (issue 11 item 1).

Building a batch's rows (routing, deadlines, field ciphers, blind indexes) and signing the
runs of a chained batch depend on nothing but their input: Ed25519 signatures are
deterministic, and case numbers come with the plan. So they run in worker processes, forked
from the builder with its row builder and the users' signing keys already in memory (nothing
secret crosses a pipe); the builder keeps what is ordered: the numbers, the chain, the writes.
With no workers the same calls run in the builder's own process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping, Sequence
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType
from typing import Generic, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseintake.services.bulk.chain import SignJob
from caseintake.services.bulk.rows import BuiltBatch, ContactRows, Numbered

T = TypeVar("T")

# Set in each worker by ``_start``: the objects the builder held when it forked the worker.
_rows: ContactRows | None = None
_signers: Mapping[str, Ed25519PrivateKey] = {}


def _start(rows: ContactRows, signers: Mapping[str, Ed25519PrivateKey]) -> None:
    global _rows, _signers
    _rows, _signers = rows, signers


def _build(planned: Sequence[Numbered]) -> BuiltBatch:
    assert _rows is not None  # set by _start before any task
    return _rows.build(planned)


def _sign(jobs: Sequence[SignJob]) -> list[bytes]:
    return [_signers[actor].sign(payload) for actor, payload in jobs]


class Pending(Generic[T]):
    """A result to come: from a worker, or already here."""

    def __init__(self, async_result: AsyncResult[T] | None, value: T | None = None) -> None:
        self._async = async_result
        self._value = value

    def get(self) -> T:
        if self._async is not None:
            return self._async.get()
        assert self._value is not None
        return self._value


class BulkWorkers:
    """``workers`` forked processes (0: none, everything in this process)."""

    def __init__(
        self,
        rows: ContactRows,
        signers: Mapping[str, Ed25519PrivateKey],
        workers: int,
    ) -> None:
        self._rows = rows
        self._signers = signers
        self._pool: Pool | None = None
        if workers > 0:
            # fork: the workers start with the row builder and the keys already in memory.
            ctx = multiprocessing.get_context("fork")
            self._pool = ctx.Pool(workers, initializer=_start, initargs=(rows, signers))
        self.window = 2 * workers  # batches built ahead of the writes

    def build(self, planned: Sequence[Numbered]) -> Pending[BuiltBatch]:
        if self._pool is None:
            return Pending(None, self._rows.build(planned))
        return Pending(self._pool.apply_async(_build, (planned,)))

    def sign(self, jobs: Sequence[SignJob]) -> Pending[list[bytes]]:
        if self._pool is None:
            return Pending(None, [self._signers[a].sign(p) for a, p in jobs])
        return Pending(self._pool.apply_async(_sign, (jobs,)))

    def __enter__(self) -> BulkWorkers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
