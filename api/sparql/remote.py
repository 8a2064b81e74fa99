"""Queries through the endpoint on a remote store: proxied to the engine, same rules.

The route has already run the lexer-based checks (SERVICE/LOAD allow-list) and
negotiated the format before a job gets here. :class:`RemoteExecutor` sends the
query with the job's dataset, base IRI and prefixes to the engine, parses the
answer lazily while it streams in, and writes it through the same row cap and
serialisers as the embedded store (:func:`api.sparql.execute.serialise`): once
``max_rows`` rows arrived the response is closed, so the engine stops sending.
The time limit is the HTTP client's (``query_timeout``): a slower engine answers
504, an unreachable or failing one 502 (:mod:`graph.remote_http`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from api.sparql.execute import QueryAnswer, QueryJob, serialise
from graph.errors import Overloaded
from graph.remote import RemoteStore

#: What the engine is asked for: TSV first (line-oriented, cheapest to cap).
RESULTS_ACCEPT = (
    "text/tab-separated-values, application/sparql-results+json;q=0.9, "
    "application/sparql-results+xml;q=0.8, application/n-triples;q=0.9, text/turtle;q=0.5"
)


class RemoteExecutor:
    """Runs query jobs on a remote engine; at most a few at once per worker setting."""

    def __init__(self, store: RemoteStore, workers: int) -> None:
        self.store = store
        self._slots = threading.BoundedSemaphore(max(workers, 1) * 4)

    def run(self, job: QueryJob) -> QueryAnswer:
        """Answer ``job`` from the engine, or raise the mapped HTTP error."""
        if not self._slots.acquire(timeout=self.store.http.timeout):
            raise Overloaded("all remote query slots are busy; try again later")
        try:
            with self.store.stream(
                job.query,
                accept=RESULTS_ACCEPT,
                default_graph=job.default_graphs,
                named_graphs=job.named_graphs,
                use_default_graph_as_union=job.union_default,
                prefixes=dict(job.prefixes),
                base_iri=job.base_iri,
            ) as result:
                return serialise(result, job)
        finally:
            self._slots.release()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Nothing to hold off: the engine isolates its readers from a write."""
        yield

    def close(self) -> None:
        """Nothing to stop: the store owns the connection pool."""
