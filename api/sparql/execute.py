"""Run one SPARQL query against a pyoxigraph store and serialise the answer natively.

This is the code a query worker runs (in a separate process for an on-disk
store, in a thread for the in-memory store). Results are serialised by
pyoxigraph itself. The row cap works on the line-oriented formats: SELECT
results stream as TSV and CONSTRUCT/DESCRIBE triples as N-Triples (one row or
triple per line, newlines inside literals escaped) into a writer that stops the
evaluation once ``max_rows + 1`` rows arrived; the kept rows are parsed back by
pyoxigraph and written in the negotiated format.

>>> from pyoxigraph import Store
>>> job = QueryJob("SELECT ?x { VALUES ?x { 1 2 3 } }", "text/csv", max_rows=2)
>>> answer = run_query(Store(), job)
>>> answer.body, answer.truncated
(b'x\\r\\n1\\r\\n2\\r\\n', True)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, cast

import pyoxigraph as ox

from api.sparql import formats
from graph.errors import InvalidQuery, StoreError


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs to answer one query (picklable)."""

    query: str
    #: The negotiated offer (a key of formats.RESULTS or formats.GRAPHS).
    media_type: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    #: Query the union of all graphs as the default graph (no dataset given).
    union_default: bool = True
    base_iri: str | None = None
    #: Prefixes declared for the query in advance (harmgraph's own).
    prefixes: tuple[tuple[str, str], ...] = ()
    max_rows: int = 10_000


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised query result."""

    body: bytes
    media_type: str
    truncated: bool = False


class _Enough(Exception):
    """Raised inside pyoxigraph's serialiser to stop evaluation at the row cap."""


class _LineCap:
    """A binary writer that keeps at most ``limit`` lines and then stops the writer."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer = bytearray()
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.buffer += data
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the buffer is read once the serialiser stops."""

    def capture(self, serialize: Callable[[IO[bytes]], object]) -> tuple[bytes, bool]:
        """Run ``serialize(self)``; the first ``limit`` lines and whether more existed."""
        try:
            serialize(cast(IO[bytes], self))  # a writer is all pyoxigraph needs
        except _Enough:
            kept = b"".join(bytes(self.buffer).splitlines(keepends=True)[: self.limit])
            return kept, True
        return bytes(self.buffer), False


_POSITION = re.compile(r"at (\d+):(\d+)")
#: How RocksDB's status messages start when pyoxigraph passes them on as RuntimeError.
_STORAGE_ERRORS = ("Corruption:", "IO error:")


def _evaluate(store: ox.Store, job: QueryJob) -> Any:
    kwargs: dict[str, Any] = {"base_iri": job.base_iri, "prefixes": dict(job.prefixes)}
    if job.default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.default_graphs is None and job.named_graphs is None:
        kwargs["use_default_graph_as_union"] = job.union_default
    try:
        return store.query(job.query, **kwargs)
    except SyntaxError as err:
        where = _POSITION.search(str(err))
        line, column = (int(where[1]), int(where[2])) if where else (None, None)
        raise InvalidQuery(str(err), line=line, column=column) from None
    except RuntimeError as err:  # pyoxigraph's evaluation errors: the query's fault
        if is_storage_error(err):  # ... unless RocksDB reports its files
            raise StoreError(f"the query failed while reading data: {err}") from None
        raise InvalidQuery(f"the query cannot be evaluated: {err}") from None
    except OSError as err:
        raise StoreError(f"the query failed while reading data: {err}") from None


def is_storage_error(err: Exception) -> bool:
    """Whether pyoxigraph's ``RuntimeError`` is RocksDB's (files missing, corrupt, unreadable).

    >>> is_storage_error(RuntimeError("Corruption: IO error: No such file or directory"))
    True
    >>> is_storage_error(RuntimeError("Unsupported SPARQL feature"))
    False
    """
    return str(err).startswith(_STORAGE_ERRORS)


def run_query(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """Evaluate ``job`` on ``store`` and serialise the answer in the negotiated format.

    Raises:
        InvalidQuery: the query does not parse (with line and column).
        StoreError: the store could not be read.
    """
    return serialise(_evaluate(store, job), job)


def serialise(result: Any, job: QueryJob) -> QueryAnswer:
    """Write a query's result (pyoxigraph's, or a remote store's) as ``job`` asks, row-capped.

    Raises:
        StoreError: the store could not be read.
    """
    media = formats.canonical(job.media_type)
    try:
        if isinstance(result, ox.QueryBoolean):
            return QueryAnswer(
                result.serialize(format=formats.results_format(job.media_type)) or b"", media
            )
        if isinstance(result, ox.QuerySolutions):
            cap = _LineCap(job.max_rows + 1)  # the TSV header line plus the rows
            tsv, truncated = cap.capture(
                lambda out: result.serialize(out, ox.QueryResultsFormat.TSV)
            )
            target = formats.results_format(job.media_type)
            if target == ox.QueryResultsFormat.TSV:
                return QueryAnswer(tsv, media, truncated)
            parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
            return QueryAnswer(parsed.serialize(format=target) or b"", media, truncated)
        cap = _LineCap(job.max_rows)
        nt, truncated = cap.capture(lambda out: result.serialize(out, ox.RdfFormat.N_TRIPLES))
        triples = ox.parse(nt, ox.RdfFormat.N_TRIPLES)
        body = ox.serialize(triples, format=formats.graph_format(job.media_type))
        return QueryAnswer(body or b"", media, truncated)
    except OSError as err:
        raise StoreError(f"the query failed while reading data: {err}") from None
    except RuntimeError as err:  # raised while results stream out of the store
        if is_storage_error(err):
            raise StoreError(f"the query failed while reading data: {err}") from None
        raise
