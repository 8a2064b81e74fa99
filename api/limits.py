"""Load shedding: a bounded number of requests in flight and a bounded wait line.

:class:`ConcurrencyLimit` is a pure ASGI middleware. At most
``settings.max_concurrent_requests`` requests run at once; up to
``settings.max_queued_requests`` more wait, each for at most
``settings.query_timeout`` seconds (a request that would wait longer than a query
may run is better retried later). Anything beyond is answered at once with
``503`` and ``Retry-After`` as a problem document naming the limit, so an
overloaded server sheds work instead of queueing it without bound. The health
check is exempt, so a monitor can tell "busy" from "down".

A slot is held until the response is fully sent, so a streamed dump counts for
as long as it streams.
"""

from __future__ import annotations

import asyncio
from collections import deque

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import RETRY_AFTER, problem_response
from graph.settings import Settings

#: Paths never shed (monitoring must see a busy server as up).
EXEMPT = ("/-/health",)


class Slots:
    """Counting slots with a bounded line of waiters, for one event loop.

    >>> async def demo():
    ...     slots = Slots(1, queued=0)
    ...     first = await slots.acquire(0.1)
    ...     second = await slots.acquire(0.1)  # no slot and no room in the line
    ...     slots.release()
    ...     return first, second, slots.active
    >>> asyncio.run(demo())
    (True, False, 0)
    """

    def __init__(self, slots: int, *, queued: int) -> None:
        self.slots, self.queued = max(slots, 1), max(queued, 0)
        self.active = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self, timeout: float) -> bool:
        """Take a slot, waiting in line up to ``timeout`` seconds; False when shed."""
        if self.active < self.slots and not self._waiters:
            self.active += 1
            return True
        if len(self._waiters) >= self.queued:
            return False
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            self._leave(waiter)
            return False
        except asyncio.CancelledError:  # the client went away while waiting
            self._leave(waiter)
            raise
        return True  # release() handed its slot over: ``active`` is unchanged

    def _leave(self, waiter: asyncio.Future[None]) -> None:
        if waiter.done() and not waiter.cancelled():
            self.release()  # a slot was handed over just as the wait ended
        elif waiter in self._waiters:
            self._waiters.remove(waiter)

    def release(self) -> None:
        """Give the slot to the first live waiter, or free it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.active -= 1


class ConcurrencyLimit:
    """Shed requests past ``max_concurrent`` running and ``max_queued`` waiting (503)."""

    def __init__(
        self, app: ASGIApp, *, max_concurrent: int, max_queued: int, wait_seconds: float
    ) -> None:
        self.app = app
        self.slots = Slots(max_concurrent, queued=max_queued)
        self.wait_seconds = wait_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in EXEMPT:
            await self.app(scope, receive, send)
            return
        if not await self.slots.acquire(self.wait_seconds):
            response = problem_response(
                Request(scope),
                status=503,
                title="Service overloaded",
                detail=(
                    f"more than {self.slots.slots} requests are running and "
                    f"{self.slots.queued} waiting (max_concurrent_requests); "
                    f"retry after {RETRY_AFTER} s"
                ),
                slug="overloaded",
                extra={"limit": "max_concurrent_requests", "maximum": self.slots.slots},
                headers={"Retry-After": str(RETRY_AFTER)},
            )
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()


def install(app: FastAPI, settings: Settings) -> None:
    """Add the limiter; call before the security headers are added, so 503s carry them."""
    app.add_middleware(
        ConcurrencyLimit,
        max_concurrent=settings.max_concurrent_requests,
        max_queued=settings.max_queued_requests,
        wait_seconds=settings.query_timeout,
    )
