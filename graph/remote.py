"""The remote store: harmgraph on any SPARQL 1.1 engine, over HTTP and standards only.

:class:`RemoteStore` is a :class:`~graph.store.Store` (``Store.open`` returns one for
an ``http(s)://`` location) whose methods speak SPARQL 1.1 Query, Update and the
Graph Store Protocol (:mod:`graph.remote_http`). Its queries answer with the same
pyoxigraph objects as the embedded store: ``QuerySolutions`` and ``QueryBoolean``
parsed from SPARQL results, and ``QueryTriples`` for ``CONSTRUCT``/``DESCRIBE``.

Differences a caller never has to handle but a reader should know:

* Substitutions become a ``VALUES`` block at the start of the query's outermost
  ``WHERE`` group, its terms written by pyoxigraph's N-Triples serialiser (never
  pasted text). Blank nodes cannot be sent back to an engine: a pattern with a
  blank node matches nothing.
* The default graph as the union of all graphs is either the engine's own setting
  (``store_union_default_graph``) or a protocol dataset naming every named graph.
  Reads over "every quad" (:meth:`RemoteStore.quads`, :meth:`RemoteStore.count`)
  cover the named graphs, plus the engine's default graph when it is a graph of
  its own.
* One :meth:`RemoteStore.update` is one HTTP request: the engines harmgraph
  documents apply a request atomically (docs/deploy.md).

>>> RemoteStore("http://user:secret@127.0.0.1:9/sparql").location
'http://127.0.0.1:9/sparql'
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

import pyoxigraph
from rdflib import BNode, URIRef
from rdflib.term import Node

from graph import model
from graph.errors import InvalidQuery, StoreError
from graph.remote_dialect import NO_GRAPH, get_dialect
from graph.remote_http import Credentials, Endpoints, SparqlHttp, redact
from graph.remote_text import prologue, shifted, split_prologue, with_values
from graph.settings import Settings, get_settings
from graph.store import QueryResult, RdfQuad, Store
from graph.terms import from_ox, to_ox

#: What a query asks for: any results format pyoxigraph parses, or N-Triples.
ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.8, application/n-triples, text/turtle;q=0.7"
)
#: Seconds a list of named graphs is reused for the union default graph.
GRAPHS_TTL = 2.0
#: Blank-node paths remembered (see :meth:`RemoteStore.quads`), and their longest walk.
MAX_PATHS = 100_000
MAX_PATH_STEPS = 16


class RemoteTriples:
    """CONSTRUCT/DESCRIBE triples streamed from an engine (``serialize`` like QueryTriples)."""

    def __init__(self, source: IO[bytes], format: pyoxigraph.RdfFormat) -> None:
        self._quads = pyoxigraph.parse(source, format)

    def __iter__(self) -> Iterator[pyoxigraph.Triple]:
        return (q.triple for q in self._quads)

    def serialize(self, output: IO[bytes], format: pyoxigraph.RdfFormat) -> None:
        """Write the triples to ``output`` in ``format``."""
        pyoxigraph.serialize(iter(self), output, format)


class RemoteStore(Store):
    """A SPARQL engine reached over HTTP, behind the :class:`Store` interface."""

    def __init__(self, location: str, settings: Settings | None = None) -> None:
        settings = settings or get_settings()
        #: The engine's base URL, without credentials.
        self.location = redact(location)
        self.union_default = settings.store_union_default_graph
        #: What the engine does differently (docs/deploy.md, :mod:`graph.remote_dialect`).
        self.dialect = get_dialect(settings.store_engine)
        self.http = SparqlHttp(
            Endpoints.derive(
                location,
                settings.store_query_url,
                settings.store_update_url,
                settings.store_gsp_url,
            ),
            Credentials.find(location, settings.store_user, settings.store_password),
            settings.query_timeout,
            settings.store_auth,
        )
        self._ox = None
        self._graphs: tuple[float, list[URIRef]] | None = None
        #: Where each blank node seen in a result hung: (subject, predicate).
        self._paths: dict[BNode, tuple[Node, Node]] = {}
        self._closed = False

    @property
    def ox(self) -> pyoxigraph.Store:
        """A remote store has no pyoxigraph store; use the :class:`Store` methods."""
        raise StoreError(f"the remote store {self.location} has no embedded pyoxigraph store")

    # -- reading -------------------------------------------------------------

    @contextmanager
    def _response(
        self,
        sparql: str,
        *,
        accept: str = ACCEPT,
        substitutions: Mapping[str, Any] | None = None,
        default_graph: Iterable[str | None] | None = None,
        named_graphs: Iterable[str] | None = None,
        use_default_graph_as_union: bool = True,
        prefixes: Mapping[str, str] | None = model.PREFIXES,
        base_iri: str | None = None,
        raw: bool = False,
    ) -> Iterator[tuple[str, IO[bytes]]]:
        bindings = {
            name: term if not isinstance(term, Node) else to_ox(term)
            for name, term in (substitutions or {}).items()
        }
        if any(isinstance(t, pyoxigraph.BlankNode) for t in bindings.values()):
            raise InvalidQuery("a blank node cannot be sent to a remote store")
        head, body = split_prologue(sparql)
        declared = prologue(prefixes, base_iri)
        bound = with_values(body, bindings)  # type: ignore[arg-type]
        text = declared + head + self.dialect.query_text(bound)
        params = (
            []
            if raw  # harmgraph's own reads over the engine's whole dataset, graphs filtered
            else self._dataset(default_graph, named_graphs, use_default_graph_as_union)
        )
        try:
            form = body.lstrip()[:9].upper()
            accept = self.dialect.accept(form, accept)
            with self.http.query(text, accept, params) as response:
                reader: IO[bytes] = self.http.reader(response)  # type: ignore[assignment]
                yield response.headers.get("content-type", ""), self.dialect.reader(reader)
        except InvalidQuery as err:
            raise shifted(err, declared.count("\n")) from None

    @contextmanager
    def stream(
        self, sparql: str, **kwargs: Any
    ) -> Iterator[pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | RemoteTriples]:
        """Run a query; yield its answer parsed lazily while the engine's response streams.

        Takes the arguments of :meth:`Store.query` plus ``accept`` and ``base_iri``.
        """
        with self._response(sparql, **kwargs) as (content_type, reader):
            try:
                yield self.dialect.answer(_parse(content_type, reader))
            except SyntaxError as err:  # answers are parsed lazily, while the caller reads
                raise _unparsable(err) from None

    def query(self, sparql: str, **kwargs: Any) -> QueryResult:
        """Run a SPARQL query on the engine (same arguments and results as :meth:`Store.query`)."""
        with self._response(sparql, **kwargs) as (content_type, reader):
            body = reader.read()
        result = self.dialect.answer(_parse(content_type, body))
        try:
            if isinstance(result, pyoxigraph.QuerySolutions):
                for _ in result:  # parsed lazily: find a bad row here, not in the caller
                    pass
                result = _parse(content_type, body)
            if isinstance(result, RemoteTriples):
                return _as_query_triples(result)
        except SyntaxError as err:
            raise _unparsable(err) from None
        return result

    def count(self, graph: str | None = None) -> int:
        """Quads in the store (named graphs, plus a separate default graph), or in one graph."""
        if graph is not None:
            sparql = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            subs: dict[str, Any] = {"g": pyoxigraph.NamedNode(str(graph))}
        else:
            sparql, subs = f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._all_quads()} }}", {}
        for row in self._select(sparql, subs):
            n = row["n"]
            return int(n.value) if isinstance(n, pyoxigraph.Literal) else 0
        return 0

    def graphs(self) -> list[URIRef]:
        """The IRIs of the named graphs that hold triples, sorted."""
        where = f"GRAPH ?g {{ ?s ?p ?o }} {self.dialect.graph_filter('?g')}"
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ {where} }}", {})
        found = sorted(
            URIRef(r["g"].value) for r in rows if isinstance(r["g"], pyoxigraph.NamedNode)
        )
        self._graphs = (time.monotonic(), found)
        return found

    def quads(
        self,
        subject: Node | None = None,
        predicate: Node | None = None,
        obj: Node | None = None,
        graph: str | None = None,
    ) -> Iterator[RdfQuad]:
        """Quads matching a pattern, streamed from one SELECT (see :meth:`Store.quads`).

        An engine's blank nodes cannot be named in a later request, so a blank-node
        subject is reached again by the path this store saw it on (an IRI, then
        predicates through blank nodes): the walks of :mod:`graph.ingest` and
        :mod:`graph.versions` work. Any other blank node in a pattern matches nothing.
        """
        bound = {k: v for k, v in (("p", predicate), ("o", obj)) if v is not None}
        if any(isinstance(v, BNode) for v in bound.values()):
            return
        subs: dict[str, Any] = {k: to_ox(v) for k, v in bound.items()}
        if isinstance(subject, BNode):
            path = self._path(subject)
            if path is None:
                return
            where = f"GRAPH ?g {{ {path} ?s ?p ?o }}"
        else:
            if subject is not None:
                subs["s"] = to_ox(subject)
            where = "GRAPH ?g { ?s ?p ?o }" if graph is not None else self._all_quads()
        if graph is not None:
            subs["g"] = pyoxigraph.NamedNode(str(graph))
        stand_in = self.dialect.default_graph
        with self.stream(
            f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}",
            substitutions=subs,
            use_default_graph_as_union=False,
            prefixes=None,
            raw=True,
        ) as rows:
            if not isinstance(rows, pyoxigraph.QuerySolutions):
                raise StoreError("the remote store answered a SELECT query with no solutions")
            for row in rows:
                g = row["g"]
                quad = (
                    subject if isinstance(subject, BNode) else from_ox(row["s"]),
                    from_ox(row["p"]),
                    from_ox(row["o"]),
                    URIRef(g.value)
                    if isinstance(g, pyoxigraph.NamedNode) and g.value != stand_in
                    else None,
                )
                if isinstance(quad[2], BNode):
                    self._seen_at(quad[2], quad[0], quad[1])
                yield quad

    def _seen_at(self, node: BNode, subject: Node, predicate: Node) -> None:
        if len(self._paths) > MAX_PATHS:
            self._paths.clear()
        self._paths[node] = (subject, predicate)

    def _path(self, node: BNode) -> str | None:
        """Triple patterns from an IRI to ``?s`` that reach ``node`` (blank nodes only)."""
        steps: list[Node] = []
        while isinstance(node, BNode):
            if node not in self._paths or len(steps) > MAX_PATH_STEPS:
                return None
            node, predicate = self._paths[node]  # type: ignore[assignment]
            steps.append(predicate)
        if not isinstance(node, URIRef):
            return None
        variables = [str(pyoxigraph.NamedNode(str(node)))]
        variables += [f"?b{k}" for k in range(1, len(steps))] + ["?s"]
        patterns = " ".join(
            f"{variables[k]} {pyoxigraph.NamedNode(str(p))} {variables[k + 1]} ."
            for k, p in enumerate(reversed(steps))
        )
        blank = " && ".join(f"isBlank({v})" for v in variables[1:])
        return f"{patterns} FILTER({blank})"

    def dump(
        self,
        out: IO[bytes],
        format: pyoxigraph.RdfFormat,
        *,
        graph: str | None = None,
        dataset: bool = True,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        """Write one named graph, or every graph, streamed graph by graph over the GSP.

        A triple format without ``graph`` gets the union of all graphs, each triple
        once (:meth:`union_triples`).
        """
        declared = dict(prefixes or {}) or None
        if graph is None and not dataset:
            pyoxigraph.serialize(self.union_triples(), out, format, prefixes=declared)
            return
        names: list[str | None] = [graph] if graph is not None else [*map(str, self.graphs())]
        if graph is None and self._separate_default():
            names.insert(0, None)
        quads = self._graph_quads(names)
        if dataset:
            pyoxigraph.serialize(quads, out, format, prefixes=declared)
        else:
            pyoxigraph.serialize((q.triple for q in quads), out, format, prefixes=declared)

    def union_triples(self) -> Iterator[pyoxigraph.Triple]:
        """The union of all graphs as triples, each once: one streamed ``SELECT DISTINCT``
        (the engine does the deduplication)."""
        with self.stream(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ {self._all_quads()} }}",
            accept="application/sparql-results+json",
            use_default_graph_as_union=False,
            prefixes=None,
            raw=True,
        ) as rows:
            if not isinstance(rows, pyoxigraph.QuerySolutions):
                raise StoreError("the remote store answered a SELECT query with no solutions")
            for r in rows:
                yield pyoxigraph.Triple(r["s"], r["p"], r["o"])

    def _graph_quads(self, names: list[str | None]) -> Iterator[pyoxigraph.Quad]:
        for name in names:
            target = pyoxigraph.DefaultGraph() if name is None else pyoxigraph.NamedNode(name)
            graph = (self.dialect.default_graph or None) if name is None else name
            if name is None and graph is not None and not self.count(graph):
                continue  # the stand-in default graph is empty: Virtuoso answers 404
            with self.http.graph(graph, "application/n-triples") as response:
                reader: IO[bytes] = self.http.reader(response)  # type: ignore[assignment]
                for quad in pyoxigraph.parse(reader, pyoxigraph.RdfFormat.N_TRIPLES):
                    yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, target)

    # -- writing -------------------------------------------------------------

    def update(
        self,
        sparql: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = model.PREFIXES,
    ) -> None:
        """Send one SPARQL Update request; the engine applies it all or nothing."""
        self._graphs = None
        declared = prologue(prefixes, base_iri)
        try:
            self.http.update(declared + self.dialect.update_text(sparql, declared))
        except InvalidQuery as err:
            raise shifted(err, declared.count("\n")) from None

    def extend(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Add quads with one INSERT DATA request (streamed in chunks; one transaction).

        On Virtuoso: requests of a few thousand quads (its request limit is 10 MB, and
        it applies no request atomically anyway; docs/deploy.md).
        """
        self._graphs = None
        for body in self.dialect.insert_requests(quads):
            self.http.update(body)

    def clear(self) -> None:
        """Remove everything (``CLEAR ALL``): tests start each remote dataset empty.

        On an engine with graphs of its own, its graphs stay: harmgraph's are cleared
        one by one, in one request.
        """
        if not self.dialect.system_prefixes:
            self.update("CLEAR ALL", prefixes=None)
            return
        graphs = [*map(str, self.graphs()), self.dialect.default_graph]
        ops = [f"CLEAR SILENT GRAPH {pyoxigraph.NamedNode(g)}" for g in graphs if g]
        self.update(" ;\n".join(ops), prefixes=None)

    def close(self) -> None:
        """Close the connection pool. Safe to call twice."""
        if not self._closed:
            self._closed = True
            self.http.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r})"

    # -- helpers -------------------------------------------------------------

    def _separate_default(self) -> bool:
        """Whether the default graph holds quads of its own, outside the union."""
        return not self.union_default

    def _all_quads(self) -> str:
        if self.union_default or self.dialect.default_graph:
            return f"GRAPH ?g {{ ?s ?p ?o }} {self.dialect.graph_filter('?g', default=True)}"
        return "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"

    def _select(self, sparql: str, subs: Mapping[str, Any]) -> list[pyoxigraph.QuerySolution]:
        with self.stream(
            sparql, substitutions=subs, use_default_graph_as_union=False, prefixes=None, raw=True
        ) as rows:
            if not isinstance(rows, pyoxigraph.QuerySolutions):
                raise StoreError("the remote store answered a SELECT query with no solutions")
            return list(rows)

    def _union_graphs(self) -> list[str]:
        cached = self._graphs
        if cached is None or time.monotonic() - cached[0] > GRAPHS_TTL:
            self.graphs()
            cached = self._graphs
        return [str(g) for g in (cached[1] if cached else [])]

    def _dataset(
        self,
        default_graph: Iterable[str | None] | None,
        named_graphs: Iterable[str] | None,
        union: bool,
    ) -> list[tuple[str, str]]:
        """Protocol dataset parameters giving pyoxigraph's dataset semantics on any engine."""
        stand_in = self.dialect.default_graph
        default: list[str] | None = None
        if default_graph is not None:
            default = [str(g) if g is not None else stand_in for g in default_graph]
            default = [g for g in default if g]
        elif union and not self.union_default:
            default = self._union_graphs() + ([stand_in] if stand_in else [])
        elif stand_in and not self.union_default:
            default = [stand_in]
        named: list[str] | None = None
        if named_graphs is not None:
            named = [str(g) for g in named_graphs]
        elif default is not None:  # a protocol dataset without named graphs would hide them all
            named = self._union_graphs()
        if stand_in:  # an empty list there would mean "every graph, Virtuoso's own too"
            default = default if default is None else default or [NO_GRAPH]
            named = named if named is None else named or [NO_GRAPH]
        return [("default-graph-uri", g) for g in default or ()] + [
            ("named-graph-uri", g) for g in named or ()
        ]


def _parse(
    content_type: str, reader: IO[bytes] | Any
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | RemoteTriples:
    media = content_type.split(";")[0].strip().lower()
    results = pyoxigraph.QueryResultsFormat.from_media_type(media)
    try:
        if results is not None:
            return pyoxigraph.parse_query_results(reader, results)
        rdf = pyoxigraph.RdfFormat.from_media_type(media)
        if rdf is not None and not rdf.supports_datasets:
            return RemoteTriples(reader, rdf)
    except SyntaxError as err:
        raise _unparsable(err) from None
    raise StoreError(f"the remote store answered in an unexpected format: {media or 'none'}")


def _unparsable(err: SyntaxError) -> StoreError:
    return StoreError(f"the remote store sent an answer that does not parse: {err}")


def _as_query_triples(triples: RemoteTriples) -> pyoxigraph.QueryTriples:
    """Streamed CONSTRUCT triples as a real ``QueryTriples`` (through a scratch store)."""
    scratch = pyoxigraph.Store()
    scratch.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    if not isinstance(
        result, pyoxigraph.QueryTriples
    ):  # pragma: no cover - a CONSTRUCT gives triples
        raise StoreError("CONSTRUCT gave no triples")
    return result
