"""The server's side of the warm parent (``warm.py``): start it, ask it for one child per tab,
and give textual-serve that child's pipes as if it had spawned the process itself.

If the warm parent dies it is started again; if it cannot be (or dies again and again), each
tab is spawned as before (``python -m caseintake.cli.serve.session``), and the log says so.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caseintake.cli.serve.warm import MESSAGE_BYTES

log = logging.getLogger("caseintake.serve")
READY_SECONDS = 120.0  # the imports, on a loaded two-core machine
REPLY_SECONDS = 30.0  # one fork
MAX_STARTS = 4  # then each tab is spawned


@dataclass
class Forked:
    """A tab's process forked by the warm parent, seen as textual-serve sees its subprocess."""

    pid: int
    stdin: asyncio.StreamWriter
    stdout: asyncio.StreamReader
    stderr: asyncio.StreamReader

    def close(self) -> None:
        self.stdin.close()


class WarmParent:
    def __init__(
        self, argv: Callable[[int], Sequence[str]], environment: Mapping[str, str]
    ) -> None:
        self._argv = argv
        self._environment = dict(environment)
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._lock: asyncio.Lock | None = None
        self._starts = 0
        self.spawning = False  # True once tabs are spawned instead

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> bool:
        """Start the warm parent and wait until it has imported everything (blocking)."""
        self._starts += 1
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                list(self._argv(theirs.fileno())),
                pass_fds=(theirs.fileno(),),
                env=self._environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        except OSError as error:
            log.warning("the warm parent could not start: %s", type(error).__name__)
            mine.close()
            return False
        finally:
            theirs.close()
        mine.settimeout(READY_SECONDS)
        try:
            ready = json.loads(mine.recv(MESSAGE_BYTES) or b"{}").get("ready")
        except (OSError, ValueError):
            ready = None
        if ready is None:
            log.warning("the warm parent did not get ready (exit code %s)", self._end(mine))
            return False
        mine.settimeout(REPLY_SECONDS)
        self._control = mine
        log.info("warm parent ready: process %s; each tab is forked from it", ready)
        return True

    def _locked(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def open(self) -> None:
        """Start the warm parent without holding up the server: a tab that comes meanwhile
        waits for it (about what spawning its own process would take)."""
        async with self._locked():
            if self._control is None and not await asyncio.to_thread(self.start):
                self.spawning = True
                log.warning("each tab now starts its own process (slower, larger)")

    async def fork(self, environment: Mapping[str, str]) -> Forked | None:
        """A new tab's process, or None when tabs are spawned (the warm parent is gone)."""
        async with self._locked():
            while not self.spawning:
                if self._control is None and (
                    self._starts >= MAX_STARTS or not await asyncio.to_thread(self.start)
                ):
                    self.spawning = True
                    log.warning("each tab now starts its own process (slower, larger)")
                    return None
                try:
                    return await self._fork(environment)
                except (OSError, ValueError, KeyError) as error:
                    code = self._end(self._control)
                    log.warning(
                        "the warm parent ended (%s, exit code %s): starting it again",
                        type(error).__name__,
                        code,
                    )
            return None

    async def _fork(self, environment: Mapping[str, str]) -> Forked:
        control = self._control
        assert control is not None
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        theirs = [stdin_r, stdout_w, stderr_w]
        try:
            request = json.dumps({"env": dict(environment)}).encode()
            reply = await asyncio.to_thread(_ask, control, request, theirs)
        except BaseException:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        loop = asyncio.get_running_loop()
        stdout = await _reader(loop, stdout_r)
        stderr = await _reader(loop, stderr_r)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader()),
            os.fdopen(stdin_w, "wb", buffering=0),
        )
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        return Forked(int(reply["pid"]), stdin, stdout, stderr)

    def _end(self, control: socket.socket | None, *, now: bool = False) -> int | None:
        if control is not None:
            control.close()
        self._control = None
        process, self._process = self._process, None
        if process is None:
            return None
        if now:  # it may still be importing, deaf to its socket; its tabs run on
            process.terminate()
        try:
            return process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def stop(self) -> None:
        """The server stops: the warm parent ends (its tabs are ended by the server)."""
        self._end(self._control, now=True)


def _ask(control: socket.socket, request: bytes, fds: list[int]) -> dict[str, Any]:
    socket.send_fds(control, [request], fds)
    data = control.recv(MESSAGE_BYTES)
    if not data:
        raise ConnectionResetError("the warm parent closed its socket")
    reply = json.loads(data)
    if "pid" not in reply:
        raise ValueError(str(reply.get("error", "no pid")))
    return dict(reply)


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    return reader
