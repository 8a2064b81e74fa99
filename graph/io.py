"""RDF formats, parsing with precise error positions, and streaming export.

Parsing goes through pyoxigraph's parsers (fast, and their errors carry line
and column), then builds an rdflib graph: a :class:`rdflib.Graph` for triple
formats, a :class:`rdflib.Dataset` for formats that hold named graphs. No
parser fetches anything from the network (JSON-LD remote contexts are refused).

Export streams from the store with pyoxigraph's serialisers, so memory stays
flat whatever the store size; that includes JSON-LD (pyoxigraph 0.5 writes
expanded JSON-LD with one ``@graph`` per named graph).

>>> fmt = detect_format("incident.ttl")
>>> fmt.name, fmt.media_type
('turtle', 'text/turtle')
>>> g = parse(b'<http://e/a> <http://e/p> "1" .', "ntriples")
>>> len(g)
1
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph import model
from graph.errors import InvalidRDF, NotFound, StoreError, UnsupportedFormat
from graph.remote import RemoteStore
from graph.store import Store
from graph.terms import from_ox


@dataclass(frozen=True)
class Format:
    """One RDF serialisation harmgraph reads and writes."""

    name: str
    label: str
    extensions: tuple[str, ...]
    media_type: str
    rdf_format: ox.RdfFormat
    #: Whether the format holds named graphs (quads), not just triples.
    dataset: bool

    @property
    def extension(self) -> str:
        """The preferred file extension, without the dot."""
        return self.extensions[0]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "Turtle", ("ttl",), "text/turtle", ox.RdfFormat.TURTLE, False),
        Format(
            "ntriples", "N-Triples", ("nt",), "application/n-triples", ox.RdfFormat.N_TRIPLES, False
        ),
        Format("nquads", "N-Quads", ("nq",), "application/n-quads", ox.RdfFormat.N_QUADS, True),
        Format("trig", "TriG", ("trig",), "application/trig", ox.RdfFormat.TRIG, True),
        Format(
            "jsonld",
            "JSON-LD",
            ("jsonld", "json"),
            "application/ld+json",
            ox.RdfFormat.JSON_LD,
            True,
        ),
    )
}
"""The supported formats by name."""

_PARSER_PREFIX = re.compile(r"^Parser error [^:]*: ")


def format_by_name(name: str) -> Format:
    """Look a format up by name, file extension or media type.

    Raises:
        UnsupportedFormat: none of the :data:`FORMATS` matches.

    >>> format_by_name("application/ld+json").name
    'jsonld'
    >>> format_by_name(".nq").name
    'nquads'
    """
    key = name.strip().lower().split(";")[0].strip().lstrip(".")
    for fmt in FORMATS.values():
        if key in (fmt.name, fmt.media_type, fmt.label.lower(), *fmt.extensions):
            return fmt
    known = ", ".join(FORMATS)
    raise UnsupportedFormat(f"unknown RDF format {name!r}; use one of {known}")


def detect_format(path: str | Path, explicit: str | Format | None = None) -> Format:
    """The format of a file: ``explicit`` if given, otherwise from its extension.

    Raises:
        UnsupportedFormat: the extension (or the explicit name) is not known.

    >>> detect_format("x.data", "trig").name
    'trig'
    >>> detect_format("dump.JSON").name
    'jsonld'
    """
    if isinstance(explicit, Format):
        return explicit
    if explicit:
        return format_by_name(explicit)
    suffix = Path(path).suffix.lower().lstrip(".")
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    raise UnsupportedFormat(
        f"cannot tell the RDF format of {str(path)!r} from its extension; "
        f"give a format ({', '.join(FORMATS)})"
    )


def graph_iri(name_or_iri: str) -> URIRef:
    """A named graph's IRI from a short name (``curated``) or a full IRI.

    >>> graph_iri("aiid")
    rdflib.term.URIRef('https://w3id.org/harmgraph/graph/aiid')
    >>> graph_iri("https://w3id.org/harmgraph/graph/meta")
    rdflib.term.URIRef('https://w3id.org/harmgraph/graph/meta')
    """
    if ":" in name_or_iri:
        return URIRef(name_or_iri)
    return model.named_graph(name_or_iri)


def parse(
    source: Path | str | bytes,
    format: str | Format | None = None,
    *,
    source_name: str | None = None,
    base_iri: str | None = None,
) -> Graph | Dataset:
    """Parse a file (path) or bytes into rdflib: a Graph, or a Dataset for quad formats.

    Args:
        source: a file path, or the serialisation itself as bytes.
        format: a format name, extension or media type; by default from the
            file extension (of ``source_name`` for bytes).
        source_name: the name used in errors (default: the path).
        base_iri: the base for relative IRIs (default: none; relative IRIs are errors).

    Raises:
        NotFound: the file does not exist.
        UnsupportedFormat: the format is unknown.
        InvalidRDF: the data does not parse; ``file``, ``line`` and ``column`` say where.

    >>> parse(b"@prefix ex: <http://e/> . ex:a ex:p ex:b", "turtle", source_name="x.ttl")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidRDF: x.ttl:1:41: Unexpected end
    """
    if isinstance(source, bytes):
        name = source_name or "<data>"
        fmt = detect_format(name, format)
        data = source
    else:
        path = Path(source)
        name = source_name or str(path)
        fmt = detect_format(path, format)
        data = read_file(path)
    return _build(data, fmt, name, base_iri)


def read_file(path: Path) -> bytes:
    """The bytes of an RDF file, with the errors :func:`parse` gives for a missing one.

    Raises:
        NotFound: the file does not exist, or is a directory.

    >>> read_file(Path("no-such.ttl"))
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: no such file: no-such.ttl
    """
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError) as err:
        raise NotFound(f"no such file: {path}") from err
    except IsADirectoryError as err:
        raise NotFound(f"{path} is a directory, not an RDF file") from err


def invalid_rdf(err: SyntaxError | TypeError, name: str) -> InvalidRDF:
    """A pyoxigraph parse error as :class:`InvalidRDF` with file, line and column.

    >>> try:
    ...     list(ox.parse(b"<http://e/a> <http://e/p> .", ox.RdfFormat.N_TRIPLES))
    ... except SyntaxError as err:
    ...     print(invalid_rdf(err, "x.nt"))
    x.nt:1:27: The object of a triple must be an IRI, a blank node or a literal
    """
    if isinstance(err, TypeError):
        return InvalidRDF(str(err), file=name)
    detail = _PARSER_PREFIX.sub("", str(err.msg))
    if "LoadDocumentCallback" in detail:
        detail = "remote JSON-LD contexts are never fetched; inline the @context"
    return InvalidRDF(detail, file=name, line=err.lineno, column=err.offset)


def _build(data: bytes, fmt: Format, name: str, base_iri: str | None) -> Graph | Dataset:
    target: Graph | Dataset = Dataset() if fmt.dataset else Graph()
    for prefix, iri in model.PREFIXES.items():
        target.bind(prefix, iri)
    try:
        quads = ox.parse(
            data,
            fmt.rdf_format,
            base_iri=base_iri,
            without_named_graphs=not fmt.dataset,
            rename_blank_nodes=True,
        )
        for q in quads:
            triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
            if isinstance(target, Dataset):
                g = q.graph_name
                gid = DATASET_DEFAULT_GRAPH_ID if isinstance(g, ox.DefaultGraph) else from_ox(g)
                target.add((*triple, gid))  # type: ignore[arg-type]
            else:
                target.add(triple)
    except (SyntaxError, TypeError) as err:
        raise invalid_rdf(err, name) from err
    return target


def export(
    store: Store,
    out: BinaryIO,
    format: str | Format,
    graph: str | None = None,
) -> None:
    """Write the store, or one named graph, to ``out`` in ``format``, streaming.

    For dataset formats (N-Quads, TriG, JSON-LD) named graphs keep their names;
    a triple format without ``graph`` gets the union of all graphs.

    Args:
        store: the store to read.
        out: a binary file object.
        format: a format name, extension or media type, or a :class:`Format`.
        graph: a named graph's short name or IRI (see :func:`graph_iri`).

    >>> import io
    >>> store = Store.open("memory")
    >>> store.update('INSERT DATA { GRAPH hgid:g { <http://e/a> <http://e/p> "1" } }')
    >>> buf = io.BytesIO()
    >>> export(store, buf, "nquads")
    >>> buf.getvalue().decode()
    '<http://e/a> <http://e/p> "1" <https://w3id.org/harmgraph/id/g> .\\n'
    """
    fmt = format if isinstance(format, Format) else format_by_name(format)
    prefixes = dict(model.PREFIXES) if fmt.name in ("turtle", "trig") else None
    if isinstance(store, RemoteStore):  # streamed over the Graph Store Protocol
        try:
            iri = None if graph is None else str(graph_iri(graph))
            store.dump(out, fmt.rdf_format, graph=iri, dataset=fmt.dataset, prefixes=prefixes)
        except OSError as err:
            raise StoreError(f"export to {getattr(out, 'name', 'output')} failed: {err}") from err
        return
    ox_store = store.ox
    try:
        if graph is not None:
            name = ox.NamedNode(str(graph_iri(graph)))
            if fmt.dataset:
                quads = ox_store.quads_for_pattern(None, None, None, name)
                ox.serialize(quads, out, fmt.rdf_format, prefixes=prefixes)
            else:
                ox_store.dump(out, fmt.rdf_format, from_graph=name, prefixes=prefixes)
        elif fmt.dataset:
            ox_store.dump(out, fmt.rdf_format, prefixes=prefixes)
        else:
            ox.serialize(union_triples(store), out, fmt.rdf_format, prefixes=prefixes)
    except OSError as err:
        raise StoreError(f"export to {getattr(out, 'name', 'output')} failed: {err}") from err


def union_triples(store: Store) -> Iterator[ox.Triple]:
    """The union of all graphs as triples, each once, streamed in flat memory.

    Graphs are read one after the other, largest first; a triple is skipped when a
    graph read before already holds it (an index lookup per earlier graph). A
    ``CONSTRUCT`` over the union would keep up to a million emitted triples in a
    hash set to drop duplicates (about 700 MB for a 1M-quad store).

    >>> store = Store.open("memory")
    >>> store.update("INSERT DATA { GRAPH hgid:a { hgid:x hgid:p 1 } "
    ...              "GRAPH hgid:b { hgid:x hgid:p 1 } }")
    >>> len(list(union_triples(store)))
    1
    """
    if isinstance(store, RemoteStore):
        yield from store.union_triples()
        return
    ox_store = store.ox
    sizes: dict[ox.NamedNode | ox.DefaultGraph, int] = {
        ox.NamedNode(g): store.count(g) for g in store.graphs()
    }
    sizes[ox.DefaultGraph()] = len(ox_store) - sum(sizes.values())
    graphs = sorted(sizes, key=lambda g: (-sizes[g], str(g)))
    for i, graph in enumerate(graphs):
        earlier = graphs[:i]
        for quad in ox_store.quads_for_pattern(None, None, None, graph):
            if earlier and any(
                ox.Quad(quad.subject, quad.predicate, quad.object, g) in ox_store for g in earlier
            ):
                continue
            yield quad.triple
