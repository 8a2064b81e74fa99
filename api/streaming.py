"""Stream what a blocking writer produces, chunk by chunk, in flat memory.

pyoxigraph serialises into a file object from native code. :func:`stream` runs
that writer in a thread whose file object hands ~64 KiB chunks (gzip-compressed
when asked) through a small bounded queue to an async generator, which the
response sends. Memory is the queue's few chunks whatever the dump's size; a slow
client makes the writer wait (back pressure). When the client goes away, the
generator's ``finally`` cancels: the writer's next ``write`` raises, the export
stops, and the thread ends.
"""

from __future__ import annotations

import logging
import queue
import threading
import zlib
from collections.abc import AsyncIterator, Callable
from typing import BinaryIO, cast

from starlette.concurrency import run_in_threadpool

log = logging.getLogger("harmgraph.api")

#: Bytes gathered before a chunk is handed over.
CHUNK = 64 * 1024
#: Chunks in flight between the writer thread and the response.
DEPTH = 8
#: Name of the writer threads (tests look for them).
THREAD_NAME = "harmgraph-stream"


class Cancelled(OSError):
    """The reader went away; raised inside the writer to stop it."""


class _Done:
    """End of stream, with the writer's error if it failed."""

    def __init__(self, error: BaseException | None) -> None:
        self.error = error


class _Pipe:
    """A write-only file object feeding a bounded queue of chunks."""

    def __init__(self, gzip: bool) -> None:
        self.chunks: queue.Queue[bytes | _Done] = queue.Queue(maxsize=DEPTH)
        self.cancelled = threading.Event()
        self._buffer = bytearray()
        self._zip = zlib.compressobj(6, zlib.DEFLATED, 31) if gzip else None

    def write(self, data: bytes) -> int:
        if self.cancelled.is_set():
            raise Cancelled("the client stopped reading")
        self._buffer += self._zip.compress(data) if self._zip else data
        if len(self._buffer) >= CHUNK:
            self._hand_over()
        return len(data)

    def flush(self) -> None:
        """Nothing to do: chunks leave when full (pyoxigraph calls this at the end)."""

    def _hand_over(self) -> None:
        if self._buffer:
            self.chunks.put(bytes(self._buffer))
            self._buffer.clear()

    def run(self, produce: Callable[[BinaryIO], None]) -> None:
        error: BaseException | None = None
        try:
            produce(cast(BinaryIO, self))
            if self._zip:
                self._buffer += self._zip.flush()
            self._hand_over()
        except BaseException as err:  # noqa: BLE001 - handed to the reader, which re-raises
            error = err
        self.chunks.put(_Done(error))

    def cancel(self) -> None:
        self.cancelled.set()
        # Unblock a writer waiting on a full queue; its next write sees the flag.
        while True:
            try:
                self.chunks.get_nowait()
            except queue.Empty:
                return


async def stream(produce: Callable[[BinaryIO], None], *, gzip: bool) -> AsyncIterator[bytes]:
    """Yield what ``produce(out)`` writes to ``out``, as it writes it.

    ``produce`` runs in its own thread. An error it raises before the end is
    re-raised here, which aborts the response (the client sees a cut-off body,
    never a complete-looking one).
    """
    pipe = _Pipe(gzip)
    thread = threading.Thread(target=pipe.run, args=(produce,), name=THREAD_NAME, daemon=True)
    thread.start()
    try:
        while True:
            item = await run_in_threadpool(pipe.chunks.get)
            if isinstance(item, _Done):
                if item.error is not None:
                    log.error("streamed export failed", exc_info=item.error)
                    raise item.error
                return
            yield item
    finally:
        pipe.cancel()


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip``, ``x-gzip`` or ``*``, q > 0).

    >>> accepts_gzip("gzip, deflate, br")
    True
    >>> accepts_gzip("gzip;q=0, identity")
    False
    >>> accepts_gzip(None)
    False
    """
    best: float | None = None
    for part in (accept_encoding or "").split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        coding = coding.lower()
        if coding in ("gzip", "x-gzip"):
            return q > 0
        if coding == "*":
            best = q
    return best is not None and best > 0
