"""The service's data-quality report: computed in a background thread, cached per store version.

Validating every incident of the bundled data takes tens of seconds, too long for
a request. :class:`QualityCache` computes :func:`graph.quality.quality_summary`
of :func:`graph.quality.validate_store` in one background thread — started when
the app starts, and again whenever a request finds the store changed — and keeps
the result for the store version it was computed for
(:func:`graph.versions.store_version`, which every import, deletion and SPARQL
Update moves). While it computes, :meth:`QualityCache.get` answers
:class:`Pending` with the progress; the routes turn that into 202 (see
:mod:`api.routes.quality`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from graph.errors import HarmgraphError
from graph.quality import QualitySummary, quality_summary, validate_store
from graph.settings import Settings
from graph.store import Store
from graph.validation import get_validator
from graph.versions import store_version

log = logging.getLogger("harmgraph.api.quality")

Progress = Callable[[int, int], None]
#: Computes the summary of a store, reporting progress (done, total) as it goes.
Compute = Callable[[Store, Progress], QualitySummary]


@dataclass(frozen=True)
class Ready:
    """A summary for the store's current version."""

    summary: QualitySummary
    version: str
    computed: datetime
    seconds: float


@dataclass(frozen=True)
class Pending:
    """The summary is being computed: incidents validated so far, out of ``total``."""

    done: int
    total: int


class _Cancelled(Exception):
    """Raised from the progress callback to stop a computation (the app is stopping)."""


def validating(settings: Settings) -> Compute:
    """The real computation: every incident against the shapes, then the summary."""

    def compute(store: Store, progress: Progress) -> QualitySummary:
        report = validate_store(store, get_validator(settings), progress)
        return quality_summary(store, report)

    return compute


class QualityCache:
    """One store's quality summary, computed in the background; thread-safe."""

    def __init__(self, compute: Compute) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._ready: Ready | None = None
        self._failed: tuple[str, str] | None = None  # (version, message)
        self._progress = (0, 0)
        self._thread: threading.Thread | None = None
        self._closed = False
        self._done = threading.Condition(self._lock)

    def start(self, store: Store) -> None:
        """Start computing for the store's current version unless done or under way."""
        with self._lock:
            self._start(store, store_version(store).tag)

    def _start(self, store: Store, version: str) -> None:
        running = self._thread is not None and self._thread.is_alive()
        fresh = self._ready is not None and self._ready.version == version
        failed = self._failed is not None and self._failed[0] == version
        if self._closed or running or fresh or failed:
            return
        self._progress = (0, 0)
        self._thread = threading.Thread(
            target=self._run, args=(store,), name="harmgraph-quality", daemon=True
        )
        self._thread.start()

    def get(self, store: Store) -> Ready | Pending:
        """The summary for the store as it is now, or the progress of computing it.

        Raises:
            HarmgraphError: the last computation for this version failed (logged).
        """
        version = store_version(store).tag
        with self._lock:
            if self._ready is not None and self._ready.version == version:
                return self._ready
            if self._failed is not None and self._failed[0] == version:
                raise HarmgraphError(f"the data-quality report failed: {self._failed[1]}")
            self._start(store, version)
            return Pending(*self._progress)

    def wait(self, timeout: float) -> bool:
        """Block until no computation is running (tests, scripts); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self._thread is not None and self._thread.is_alive():
                left = deadline - time.monotonic()
                if left <= 0 or not self._done.wait(left):
                    return False
        return True

    def close(self) -> None:
        """Stop a running computation at its next batch; never start another."""
        with self._lock:
            self._closed = True

    def _report(self, done: int, total: int) -> None:
        with self._lock:
            if self._closed:
                raise _Cancelled
            self._progress = (done, total)

    def _run(self, store: Store) -> None:
        try:
            self._compute_until_current(store)
        except _Cancelled:
            pass
        except HarmgraphError as err:  # e.g. the store closed under us: the app is stopping
            log.warning("the data-quality report stopped: %s", err)
        finally:
            with self._done:
                self._thread = None
                self._done.notify_all()

    def _compute_until_current(self, store: Store) -> None:
        version = store_version(store).tag
        while True:
            started = time.monotonic()
            try:
                summary = self._compute(store, self._report)
            except _Cancelled:
                raise
            except Exception as err:  # a background thread: log it, and say so on the page
                if self._closed:  # the app stopped and its store went away under us
                    return
                log.exception("the data-quality report failed")
                with self._lock:
                    self._failed = (version, str(err) or type(err).__name__)
                return
            ready = Ready(summary, version, datetime.now(UTC), time.monotonic() - started)
            with self._lock:
                self._ready = ready
                if self._closed:
                    return
            try:
                now = store_version(store).tag
            except HarmgraphError:
                return  # the store was closed: the app is stopping
            if now == version:
                return
            version = now  # the store changed meanwhile: compute again
