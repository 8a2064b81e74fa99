"""Engine dialects of the remote store: the few places where SPARQL engines differ.

harmgraph speaks standard SPARQL 1.1 to every engine (:mod:`graph.remote`). A
:class:`Dialect` names what one engine does differently, chosen by the
``store_engine`` setting (``HARMGRAPH_STORE_ENGINE``); each difference is handled
with standard SPARQL or on harmgraph's side of the wire:

``virtuoso`` (OpenLink Virtuoso 7.2)
    * Its own graphs (quad-map metadata ``virtrdf#``, ``ldp#``, its service
      description, WebDAV, ...) are named graphs of every dataset: harmgraph never
      lists, counts, reads, dumps or clears a graph under :data:`VIRTUOSO_SYSTEM_GRAPHS`.
    * It has no default graph of its own to write to (without a dataset its default
      graph is the union of all graphs): the named graph :data:`DEFAULT_GRAPH` stands
      in for it. Updates name it in ``GRAPH`` blocks where they use the default graph,
      reads put it in the protocol dataset's default graph, and
      :meth:`graph.remote.RemoteStore.quads` reports its quads in the default
      graph; :meth:`graph.remote.RemoteStore.graphs` does not list it.
      The union default graph is always sent as a protocol dataset.
    * It writes blank nodes in SPARQL results as ``nodeID://b10000``, which is not
      a blank-node label; :class:`LabelReader` rewrites them to ``b10000`` (the label
      its N-Triples answers use) while the answer streams in.
    * It refuses blank nodes in ``INSERT DATA`` and large ``INSERT DATA`` operations:
      updates are rewritten by :func:`graph.remote_update.for_engine`.
    * ``CLEAR ALL`` clears nothing there: :meth:`graph.remote.RemoteStore.clear`
      clears harmgraph's graphs one by one.

>>> get_dialect("virtuoso").graph_filter("?g", default=True).startswith("FILTER(!STRSTARTS(")
True
>>> get_dialect("").graph_filter("?g")
''
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TypeVar, cast

import pyoxigraph

from graph.remote_text import TOKEN, insert_data_body
from graph.remote_update import data_operations, for_engine

#: IRI prefixes of the graphs a Virtuoso 7.2 database holds for itself (a fresh
#: database has ``virtrdf#``, ``ldp#`` and the service description at
#: ``http://localuriqaserver/sparql`` or its ``[URIQA] DefaultHost``; the Conductor
#: and DAV add ``owl#`` and ``…/DAV/`` graphs).
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localuriqaserver/",
)
#: Path endings of Virtuoso's per-host system graphs (service description, WebDAV).
VIRTUOSO_HOST_GRAPHS = ("/sparql", "/DAV/")
_Answer = TypeVar("_Answer")

#: Template operations per update request on Virtuoso (3,000 quads, well below its
#: 10 MB request limit and a few seconds of its time).
OPERATIONS_PER_REQUEST = 10
#: A graph that never holds anything: the protocol dataset of an empty store.
NO_GRAPH = "urn:x-harmgraph:no-graph"
#: The named graph that holds the default graph on an engine without one to write to.
DEFAULT_GRAPH = "urn:x-harmgraph:default-graph"


@dataclass(frozen=True)
class Dialect:
    """What one engine does differently from the standard (see the module docstring)."""

    name: str = ""
    #: IRI prefixes of the engine's own graphs, which harmgraph leaves alone.
    system_prefixes: tuple[str, ...] = ()
    #: IRI path endings of the engine's own per-host graphs.
    system_suffixes: tuple[str, ...] = ()
    #: The named graph standing in for the default graph (``""``: the engine's own).
    default_graph: str = ""
    #: The prefix the engine puts before blank-node labels in SPARQL results.
    bnode_prefix: str = ""

    def graph_filter(self, variable: str, *, default: bool = False) -> str:
        """A ``FILTER`` keeping ``variable`` off the engine's own graphs (or ``""``).

        ``default`` keeps the stand-in for the default graph; else it is left out too.
        """
        tests = []
        if self.default_graph and not default:
            tests.append(f"{variable} != {pyoxigraph.NamedNode(self.default_graph)}")
        tests += [
            f"!STRSTARTS(STR({variable}), {pyoxigraph.Literal(p)})" for p in self.system_prefixes
        ]
        tests += [
            f"!STRENDS(STR({variable}), {pyoxigraph.Literal(s)})" for s in self.system_suffixes
        ]
        return f"FILTER({' && '.join(tests)})" if tests else ""

    def is_system_graph(self, iri: str) -> bool:
        """Whether ``iri`` names one of the engine's own graphs.

        >>> get_dialect("virtuoso").is_system_graph("http://localhost:8890/DAV/")
        True
        """
        return iri.startswith(self.system_prefixes) or iri.endswith(self.system_suffixes)

    def update_text(self, text: str, prologue: str = "") -> str:
        """An update request as this engine takes it (``prologue``: the PREFIXes sent first).

        >>> get_dialect("virtuoso").update_text('INSERT DATA { <e:a> <e:p> "1" }')
        'INSERT { GRAPH <urn:x-harmgraph:default-graph> { <e:a> <e:p> "1" . } } WHERE {}'
        """
        return for_engine(text, self.default_graph, prologue) if self.default_graph else text

    def insert_requests(self, quads: Iterable[pyoxigraph.Quad]) -> Iterator[Iterator[bytes]]:
        """Update requests adding ``quads``, each produced in chunks.

        One ``INSERT DATA`` request, or on Virtuoso requests of :data:`OPERATIONS_PER_REQUEST`
        template operations (a blank node's quads stay in one operation).
        """
        if not self.default_graph:
            yield insert_data_body(quads)
            return
        batch: list[str] = []
        for operation in data_operations(quads, self.default_graph):
            batch.append(operation)
            if len(batch) >= OPERATIONS_PER_REQUEST:
                yield iter([" ;\n".join(batch).encode()])
                batch = []
        if batch:
            yield iter([" ;\n".join(batch).encode()])

    def query_text(self, body: str) -> str:
        """A query (after its prologue) as this engine answers it right.

        Virtuoso's ASK answers true for some patterns that match nothing (``GRAPH <g>
        { ?s ?p ?o }`` for a graph outside the protocol dataset); it is sent as a
        SELECT of at most one row (:meth:`answer` makes it a boolean again).

        >>> get_dialect("virtuoso").query_text("ASK WHERE { ?s ?p 1 }")
        'SELECT ?__ASK_RETVAL WHERE { { ?s ?p 1 } BIND(1 AS ?__ASK_RETVAL) } LIMIT 1'
        """
        stripped = body.lstrip()
        if self.name != "virtuoso" or stripped[:3].upper() != "ASK":
            return body
        rest = stripped[3:].lstrip()
        rest = rest[5:] if rest[:5].upper() == "WHERE" else rest
        depth, end = 0, None
        for match in TOKEN.finditer(rest):
            depth += (match.group() == "{") - (match.group() == "}")
            if depth == 0 and match.group() == "}":
                end = match.end()
                break
        limit = " LIMIT 1" if end is not None and not rest[end:].strip() else ""
        # Not ``SELECT (1 AS ?v)``: Virtuoso answers a row for that even with no match.
        return f"SELECT ?__ASK_RETVAL WHERE {{ {rest.strip()} BIND(1 AS ?__ASK_RETVAL) }}{limit}"

    def accept(self, form: str, accept: str) -> str:
        """The ``Accept`` header for a query of ``form`` (its first keyword, upper case).

        Virtuoso answers a CONSTRUCT asked for SPARQL results with a broken result set,
        and writes IRIs in TSV results as strings: it is asked for N-Triples and JSON.

        >>> get_dialect("virtuoso").accept("CONSTRUCT", "*/*")
        'application/n-triples, text/turtle;q=0.9'
        """
        if self.name != "virtuoso":
            return accept
        if form.startswith(("CONSTRUCT", "DESCRIBE")):
            return "application/n-triples, text/turtle;q=0.9"
        return "application/sparql-results+json, application/sparql-results+xml;q=0.9"

    def answer(self, result: _Answer) -> _Answer:
        """``result`` as the standard has it: Virtuoso answers ASK with a one-row result
        set of ``?__ASK_RETVAL`` (1 or 0) in every results format.

        >>> rows = pyoxigraph.parse_query_results(
        ...     '{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": '
        ...     '{"type": "literal", "value": "0"}}]}}', pyoxigraph.QueryResultsFormat.JSON)
        >>> bool(get_dialect("virtuoso").answer(rows))
        False
        """
        if self.name != "virtuoso" or not isinstance(result, pyoxigraph.QuerySolutions):
            return result
        if [v.value for v in result.variables] != ["__ASK_RETVAL"]:
            return result
        found = [row["__ASK_RETVAL"] for row in result]
        value = bool(found) and isinstance(found[0], pyoxigraph.Literal) and found[0].value != "0"
        document = f'{{"head": {{}}, "boolean": {"true" if value else "false"}}}'
        return cast(
            _Answer, pyoxigraph.parse_query_results(document, pyoxigraph.QueryResultsFormat.JSON)
        )

    def reader(self, reader: IO[bytes]) -> IO[bytes]:
        """``reader`` with this engine's blank-node labels made standard."""
        if not self.bnode_prefix:
            return reader
        return LabelReader(reader, self.bnode_prefix)  # type: ignore[return-value]


def get_dialect(name: str) -> Dialect:
    """The dialect of the ``store_engine`` setting."""
    if name == "virtuoso":
        return Dialect(
            "virtuoso",
            VIRTUOSO_SYSTEM_GRAPHS,
            VIRTUOSO_HOST_GRAPHS,
            default_graph=DEFAULT_GRAPH,
            bnode_prefix="nodeID://",
        )
    return Dialect()


class LabelReader:
    """A results stream with an engine's blank-node label prefix removed (JSON and XML).

    Only the label of a ``bnode`` result term is touched, never a literal or IRI
    that happens to contain the prefix.

    >>> import io
    >>> body = b'{"o": { "type": "bnode", "value": "nodeID://b1" }}'
    >>> LabelReader(io.BytesIO(body), "nodeID://").read()
    b'{"o": { "type": "bnode", "value": "b1" }}'
    """

    def __init__(self, source: IO[bytes], prefix: str) -> None:
        self._source = source
        marker = re.escape(prefix.encode())
        self._pattern = re.compile(
            rb'("type":\s{0,8}"bnode",\s{0,8}"value":\s{0,8}")' + marker + rb"|(<bnode>)" + marker
        )
        #: Longest text one match can span: kept back until more arrives.
        self._keep = 64 + len(prefix)
        self._pending = b""
        self._out = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of the rewritten stream (all that is left if negative)."""
        while not self._done and (size < 0 or len(self._out) < size):
            chunk = self._source.read(65536)
            if not chunk:
                self._done = True
                self._out += self._pattern.sub(rb"\1\2", self._pending)
                self._pending = b""
                break
            self._pending += chunk
            self._flush()
        if size < 0:
            data, self._out = self._out, b""
        else:
            data, self._out = self._out[:size], self._out[size:]
        return data

    def _flush(self) -> None:
        """Rewrite and release all but the tail, which may hold the start of a match."""
        cut = len(self._pending) - self._keep
        if cut <= 0:
            return
        last = 0
        parts = []
        for match in self._pattern.finditer(self._pending):
            if match.start() >= cut:
                break
            parts += [self._pending[last : match.start()], match.group(1) or match.group(2)]
            last = match.end()
        cut = max(cut, last)
        parts.append(self._pending[last:cut])
        self._out += b"".join(parts)
        self._pending = self._pending[cut:]
