"""The quad store: a thin wrapper around :class:`pyoxigraph.Store`.

:meth:`Store.open` opens an in-memory store (``"memory"``), an on-disk one (a
directory, created with its parents), or a SPARQL engine over HTTP (an ``http(s)://``
URL: a :class:`graph.remote.RemoteStore`, which implements every method below with
SPARQL 1.1 Query, Update and the Graph Store Protocol). Errors of pyoxigraph are wrapped here:
``OSError`` becomes :class:`~graph.errors.StoreError` and a SPARQL
``SyntaxError`` becomes :class:`~graph.errors.InvalidQuery` with line and column.

Write guarantees this module relies on (pyoxigraph 0.5, checked by
``tests/graph/test_store.py``):

* :meth:`Store.update` runs one SPARQL Update *request* (several operations
  separated by ``;``) in a single transaction: if any operation fails, nothing
  of the request is written. :mod:`graph.ingest` puts "delete the old
  description, insert the new one, record provenance" in one request.
* :meth:`Store.extend` (pyoxigraph ``Store.extend``) is atomic too.
  ``bulk_extend``/``bulk_load`` are *not* transactional and are not used.

>>> with Store.open("memory") as store:
...     store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "1" } }')
...     store.count(), store.graphs()
(1, [rdflib.term.URIRef('http://e/g')])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph
from rdflib import URIRef
from rdflib.term import Node

from graph import model
from graph.errors import InvalidQuery, StoreError
from graph.settings import Settings
from graph.terms import from_ox, graph_name, to_ox

QueryResult = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples
RdfQuad = tuple[Node, Node, Node, URIRef | None]

_POSITION = re.compile(r"(?:error at |line )(\d+)[:, ](?:column )?(\d+)")
_COUNT_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class Store:
    """An RDF quad store; open it with :meth:`Store.open`, use it as a context manager."""

    def __init__(self, ox_store: pyoxigraph.Store, location: str) -> None:
        self._ox: pyoxigraph.Store | None = ox_store
        #: ``"memory"`` or the store directory.
        self.location = location

    @classmethod
    def open(cls, location: str | Path, settings: Settings | None = None) -> Store:
        """Open the store at ``location``: ``"memory"``, a directory path or an http(s) URL.

        ``settings`` configure a remote store (endpoints, credentials, time limit);
        by default they come from the environment.

        Raises:
            StoreError: the directory cannot be created or written, or another
                process holds the store's lock.

        >>> Store.open("memory").location
        'memory'
        >>> Store.open("http://user:pw@127.0.0.1:9/").location
        'http://127.0.0.1:9/'
        """
        if str(location).startswith(("http://", "https://")):
            from graph.remote import RemoteStore  # graph.remote builds on this module

            return RemoteStore(str(location), settings)
        if str(location) == "memory":
            return cls(pyoxigraph.Store(), "memory")
        path = Path(location).expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
            return cls(pyoxigraph.Store(str(path)), str(path))
        except OSError as err:
            raise _store_error(err, path) from err

    @property
    def ox(self) -> pyoxigraph.Store:
        """The underlying :class:`pyoxigraph.Store` (for the SPARQL layer)."""
        if self._ox is None:
            raise StoreError(f"the store {self.location} is closed")
        return self._ox

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[
            str, Node | pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
        ]
        | None = None,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        use_default_graph_as_union: bool = True,
        prefixes: Mapping[str, str] | None = model.PREFIXES,
    ) -> QueryResult:
        """Run a SPARQL query; by default the default graph is the union of all graphs.

        Values reach the query only through ``substitutions`` (variable name to
        term, rdflib or pyoxigraph). The harmgraph prefixes are pre-declared.

        Raises:
            InvalidQuery: the query does not parse (with line and column).

        >>> store = Store.open("memory")
        >>> bool(store.query("ASK { ?s a hg:Incident }"))
        False
        """
        subs = {
            pyoxigraph.Variable(name): term if not isinstance(term, Node) else to_ox(term)
            for name, term in (substitutions or {}).items()
        }
        kwargs: dict[str, Any] = {"substitutions": subs or None, "prefixes": dict(prefixes or {})}
        if default_graph is not None:
            kwargs["default_graph"] = [graph_name(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = use_default_graph_as_union
        if named_graphs is not None:
            kwargs["named_graphs"] = [pyoxigraph.NamedNode(str(g)) for g in named_graphs]
        try:
            return self.ox.query(sparql, **kwargs)
        except SyntaxError as err:
            raise _invalid_query(err) from err
        except RuntimeError as err:  # pyoxigraph's evaluation errors: the query's fault
            raise InvalidQuery(f"the query cannot be evaluated: {err}") from err
        except OSError as err:
            raise _store_error(err, self.location) from err

    def select(self, sparql: str, **kwargs: Any) -> pyoxigraph.QuerySolutions:
        """Run a SELECT query (same arguments as :meth:`query`) and return its solutions.

        >>> [row["n"].value for row in Store.open("memory").select("SELECT (1 AS ?n) {}")]
        ['1']
        """
        result = self.query(sparql, **kwargs)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise InvalidQuery("expected a SELECT query")
        return result

    def update(
        self,
        sparql: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = model.PREFIXES,
    ) -> None:
        """Run one SPARQL Update request, all or nothing.

        >>> store = Store.open("memory")
        >>> store.update("INSERT DATA { <http://e/a> <http://e/p> <http://e/o> }")
        >>> store.count()
        1
        """
        try:
            self.ox.update(sparql, base_iri=base_iri, prefixes=dict(prefixes or {}))
        except SyntaxError as err:
            raise _invalid_query(err) from err
        except RuntimeError as err:  # e.g. CREATE GRAPH of an existing graph
            raise InvalidQuery(f"the update cannot be applied: {err}") from err
        except OSError as err:
            raise _store_error(err, self.location) from err

    def extend(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Add quads in one transaction (all or nothing).

        >>> store = Store.open("memory")
        >>> store.extend([pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/a"), pyoxigraph.NamedNode("http://e/p"),
        ...                       pyoxigraph.Literal("1"))])
        >>> store.count()
        1
        """
        try:
            self.ox.extend(quads)
        except OSError as err:
            raise _store_error(err, self.location) from err

    def count(self, graph: str | None = None) -> int:
        """Number of quads in the store, or triples in one named graph.

        >>> Store.open("memory").count("http://e/none")
        0
        """
        if graph is None:
            return len(self.ox)
        rows = self.ox.query(
            _COUNT_GRAPH, substitutions={pyoxigraph.Variable("g"): pyoxigraph.NamedNode(graph)}
        )
        if not isinstance(rows, pyoxigraph.QuerySolutions):
            raise TypeError("a SELECT query gives solutions")
        for row in rows:
            n = row["n"]
            return int(n.value) if isinstance(n, pyoxigraph.Literal) else 0
        return 0

    def graphs(self) -> list[URIRef]:
        """The IRIs of the named graphs in the store, sorted.

        >>> Store.open("memory").graphs()
        []
        """
        return sorted(
            URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, pyoxigraph.NamedNode)
        )

    def quads(
        self,
        subject: Node | None = None,
        predicate: Node | None = None,
        obj: Node | None = None,
        graph: str | None = None,
    ) -> Iterator[RdfQuad]:
        """Quads matching a pattern, as rdflib terms (``None`` matches anything).

        The graph of a default-graph quad is ``None``.

        >>> list(Store.open("memory").quads(URIRef("http://e/a")))
        []
        """
        pattern = self.ox.quads_for_pattern(
            None if subject is None else to_ox(subject),  # type: ignore[arg-type]
            None if predicate is None else to_ox(predicate),  # type: ignore[arg-type]
            None if obj is None else to_ox(obj),
            None if graph is None else pyoxigraph.NamedNode(str(graph)),
        )
        for q in pattern:
            g = q.graph_name
            yield (
                from_ox(q.subject),
                from_ox(q.predicate),
                from_ox(q.object),
                URIRef(g.value) if isinstance(g, pyoxigraph.NamedNode) else None,
            )

    def graph_triples(self, graph: str) -> Iterator[tuple[Node, Node, Node]]:
        """The triples of one named graph, as rdflib terms.

        >>> list(Store.open("memory").graph_triples("http://e/g"))
        []
        """
        for s, p, o, _ in self.quads(graph=graph):
            yield s, p, o

    def close(self) -> None:
        """Flush and release the store (and, on disk, its lock). Safe to call twice."""
        if self._ox is None:
            return
        try:
            if self.location != "memory":
                self._ox.flush()
        except OSError as err:
            raise _store_error(err, self.location) from err
        finally:
            self._ox = None

    def reopen(self) -> None:
        """Open the store's directory again (its content may have been replaced while it
        was closed: :mod:`graph.ingest_swap`).

        Raises:
            StoreError: an in-memory store, or the directory cannot be opened.

        >>> Store.open("memory").reopen()
        Traceback (most recent call last):
        ...
        graph.errors.StoreError: an in-memory store cannot be reopened
        """
        if self.location == "memory":
            raise StoreError("an in-memory store cannot be reopened")
        self.close()
        try:
            self._ox = pyoxigraph.Store(self.location)
        except OSError as err:
            raise _store_error(err, self.location) from err

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"


def _store_error(err: OSError, location: str | Path) -> StoreError:
    message = str(err)
    if "lock" in message.lower():
        return StoreError(f"the store {location} is in use by another process (locked)")
    if isinstance(err, PermissionError | NotADirectoryError | FileExistsError) or (
        "read-only" in message.lower() or "not a directory" in message.lower()
    ):
        return StoreError(f"cannot write the store directory {location}: {message}")
    return StoreError(f"store {location}: {message}")


def _invalid_query(err: SyntaxError) -> InvalidQuery:
    message = str(err)
    match = _POSITION.search(message)
    if match is None:
        return InvalidQuery(message)
    return InvalidQuery(message, line=int(match.group(1)), column=int(match.group(2)))
