"""Validate-then-write: the only way incident data enters the store.

:func:`import_graph` takes parsed RDF, validates every incoming incident against
the SHACL shapes together with what it references that already lives in the
store, and writes all or nothing:

1. Incoming ``hg:Incident`` nodes are found; re-imported ones (already typed
   ``hg:Incident`` in the target named graph) are *updated*, others *added*.
2. The validation graph is the incoming data plus, for each IRI it references
   (actors, systems, sources described by earlier imports), that IRI's triples
   in the store, and the type and label of what those point to. These are
   index lookups by subject: the store is never scanned.
3. Any ``sh:Violation`` raises :class:`~graph.errors.ShapeViolations`; nothing
   is written.
4. Otherwise one SPARQL Update request (one transaction, see :mod:`graph.store`)
   deletes each re-imported incident's previous description in the target
   graph (its own triples, its parts: IRIs under ``{incident}/``, and blank
   nodes hanging off them), inserts the new triples (shared actors, systems and
   sources are set-merged), and records provenance in :data:`model.META_GRAPH`.

Terms enter the request only through pyoxigraph's N-Triples serialiser, which
validates IRIs and escapes literals: no input text is pasted into SPARQL.

This is the reference path. :mod:`graph.ingest_fast` gives the same result without
rdflib graphs (``harmgraph import`` runs it); the differential tests in
``tests/graph/test_ingest_fast.py`` hold the two to the same stores and errors.

Provenance per import (in ``META_GRAPH``): a ``prov:Activity`` with
``prov:startedAtTime``, ``prov:endedAtTime``, ``prov:used`` (the source: an IRI
for an http(s) URL, a literal otherwise), ``prov:generated`` the named graph,
``void:triples`` (triples written) and an ``rdfs:comment`` with the counts; the
named graph gets ``dcterms:modified`` (replaced) and ``prov:wasGeneratedBy``
(one per import).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from graph import model
from graph.errors import NotFound, ShapeViolations
from graph.io import graph_iri
from graph.registry import Registry, get_registry
from graph.resolve import Merge, resolve
from graph.store import Store
from graph.terms import RdfTriple, to_quads

VOID = Namespace("http://rdfs.org/ns/void#")
_DATETIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
#: How deep blank-node structures under an incident are followed when deleting it.
#: How far :func:`_store_context` follows references into the store (as closure does).
MAX_CONTEXT_DEPTH = 6
_VOCAB = str(model.VOCAB)
MAX_BNODE_DEPTH = 8
#: What is kept of an already-stored *incident* referenced by incoming data.
_INCIDENT_STUB = (RDF.type, DCTERMS.identifier, DCTERMS.title)
_SKIPPED_GRAPHS = (model.META_GRAPH, model.VOCAB_GRAPH)


class Report(Protocol):
    """What :func:`import_graph` needs of a validation report."""

    @property
    def conforms(self) -> bool: ...

    @property
    def violations(self) -> Sequence[Any]: ...


class Validator(Protocol):
    """What :func:`import_graph` needs of a validator (``graph.validation.Validator``)."""

    def check(self, data: Graph) -> Report: ...


@dataclass(frozen=True)
class ImportSummary:
    """What one import did."""

    incidents_added: int
    incidents_updated: int
    #: Distinct triples written into the named graph.
    triples: int
    #: The named graph written.
    graph: URIRef
    #: The ``prov:Activity`` recorded in ``META_GRAPH``.
    activity: URIRef
    #: Actor IRIs entity resolution rewrote to canonical ones (see :mod:`graph.resolve`).
    merges: tuple[Merge, ...] = ()


def import_graph(
    store: Store,
    data: Graph,
    *,
    graph_name: str,
    source: str,
    validator: Validator,
    registry: Registry | None = None,
) -> ImportSummary:
    """Validate ``data`` and write it into the named graph ``graph_name``, all or nothing.

    Entity resolution (:func:`graph.resolve.resolve`) runs first, on every import: actors
    get their canonical IRIs and one label each, against ``registry`` (default: the
    configured ``data/registry``) and what the store already holds.

    Args:
        store: the store to write.
        data: the incoming RDF (a Dataset is flattened: all its graphs are imported).
        graph_name: a short name (``curated``) or a named graph IRI.
        source: where the data came from (file names or a URL), for provenance.
        validator: the SHACL validator (``graph.validation.Validator``).
        registry: the actor registry (default: :func:`graph.registry.get_registry`).

    Raises:
        ShapeViolations: an incoming incident fails a shape at Violation level.

    >>> class Accept:
    ...     def check(self, data):
    ...         return type("R", (), {"conforms": True, "violations": []})()
    >>> g = Graph().parse(data="<https://w3id.org/harmgraph/id/incident/x> a "
    ...                        "<https://w3id.org/harmgraph/ontology#Incident> .", format="turtle")
    >>> s = import_graph(Store.open("memory"), g, graph_name="curated", source="x.ttl",
    ...                  validator=Accept())
    >>> s.incidents_added, s.incidents_updated, s.triples
    (1, 0, 1)
    """
    started = datetime.now(UTC)
    target = graph_iri(graph_name)
    incoming = _flatten(data)
    resolution = resolve(incoming, registry if registry is not None else get_registry(), store)
    incidents = set(incoming.subjects(RDF.type, model.HG.Incident))
    stored = sorted(
        (i for i in incidents if isinstance(i, URIRef) and _is_incident(store, i, target)), key=str
    )

    report = validator.check(incoming + _store_context(store, incoming, incidents))
    if not report.conforms:
        raise ShapeViolations(
            f"{len(report.violations)} SHACL violation(s) in {source}; nothing was written",
            report=report,
        )

    key = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(4)}"
    activity = model.import_activity(key)
    added, updated = len(incidents) - len(stored), len(stored)
    comment = f"{added} incident(s) added, {updated} updated, {len(incoming)} triples"
    meta = _provenance(activity, target, source, started, len(incoming), comment)
    operations = [op for i in stored for op in _delete_description(store, i, target)]
    operations.append(_DELETE_MODIFIED.format(meta=_nt(model.META_GRAPH), graph=_nt(target)))
    operations.append(_insert_data({target: incoming, model.META_GRAPH: meta}))
    store.update(" ;\n".join(operations))
    return ImportSummary(added, updated, len(incoming), target, activity, tuple(resolution.merges))


def delete_incident(store: Store, iri: str) -> list[URIRef]:
    """Delete an incident's description from every named graph, in one transaction.

    Returns the graphs it was deleted from.

    Raises:
        NotFound: no graph describes ``iri`` as an ``hg:Incident``.

    >>> delete_incident(Store.open("memory"), "https://w3id.org/harmgraph/id/incident/x")
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: no incident <https://w3id.org/harmgraph/id/incident/x> in the store
    """
    incident = URIRef(iri)
    graphs = sorted(
        {g for _, _, _, g in store.quads(incident, RDF.type, model.HG.Incident) if g is not None}
    )
    if not graphs:
        raise NotFound(f"no incident <{iri}> in the store")
    store.update(" ;\n".join(op for g in graphs for op in _delete_description(store, incident, g)))
    return graphs


def _flatten(data: Graph) -> Graph:
    if not isinstance(data, Dataset):
        return data
    flat = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        flat.add((s, p, o))
    return flat


def _is_incident(store: Store, iri: URIRef, graph: URIRef) -> bool:
    return next(store.quads(iri, RDF.type, model.HG.Incident, graph), None) is not None


def _store_context(store: Store, incoming: Graph, incidents: set[Node]) -> Graph:
    """What incoming data references that lives in the store: by subject lookups only.

    Walks forward from what the incoming data references (and re-describes), taking
    each stored resource's full description, like :func:`graph.validation.closure`
    does within one graph: a stored system's developer, that developer's parent
    organisation, an unknown's note. Other incidents contribute only their stub
    (type, identifier, title). The walk is bounded by the incoming incidents'
    closure, never by the size of the store.
    """
    described = {s for s in incoming.subjects() if isinstance(s, URIRef)}
    referenced = {
        o for p, o in incoming.predicate_objects() if isinstance(o, URIRef) and p != RDF.type
    }
    context = Graph()
    seen: set[Node] = set(incidents)
    frontier = sorted((referenced - described) | (described - incidents), key=str)
    for _ in range(MAX_CONTEXT_DEPTH):
        following: set[URIRef] = set()
        for iri in frontier:
            if iri in seen or _is_local_part(iri, incidents) or iri.startswith(_VOCAB):
                continue
            seen.add(iri)
            triples = _stored_triples(store, iri)
            if (iri, RDF.type, model.HG.Incident) in triples:
                triples = {t for t in triples if t[1] in _INCIDENT_STUB}
            for t in triples:
                context.add(t)
                if isinstance(t[2], URIRef) and t[1] != RDF.type:
                    following.add(t[2])
        frontier = sorted(following - seen, key=str)
        if not frontier:
            break
    return context


def _is_local_part(iri: URIRef, incidents: set[Node]) -> bool:
    """Whether ``iri`` is a part (``{incident}/…``) of one of ``incidents``.

    Looks up each ``/``-prefix of ``iri`` in the set: linear in the IRI's length,
    not in the number of incidents (a scan made large imports quadratic).
    """
    text = str(iri)
    cut = text.find("/", len(model.BASE))
    while cut != -1:
        if URIRef(text[:cut]) in incidents:
            return True
        cut = text.find("/", cut + 1)
    return False


def _stored_triples(store: Store, iri: URIRef) -> set[RdfTriple]:
    return {(s, p, o) for s, p, o, g in store.quads(iri) if g not in _SKIPPED_GRAPHS}


def _delete_description(store: Store, incident: URIRef, graph: URIRef) -> list[str]:
    """DELETE operations for an incident's description in one graph, deepest first.

    Deepest first because each operation of a request sees the previous ones'
    effect: the links to blank nodes must outlive the blank nodes' own triples.
    """
    prefix = f"{incident}/"
    roots, depth = [incident], 0
    todo: list[tuple[Node, int]] = [(incident, 0)]
    while todo:
        node, level = todo.pop()
        for _, _, o, _ in store.quads(node, None, None, graph):
            if isinstance(o, URIRef) and o.startswith(prefix) and o not in roots:
                roots.append(o)
                todo.append((o, 0))
            elif isinstance(o, BNode) and level < MAX_BNODE_DEPTH:
                depth = max(depth, level + 1)
                todo.append((o, level + 1))
    ops = []
    for level in range(depth, -1, -1):
        for root in roots:
            subjects = [_nt(root), *(f"?b{k}" for k in range(1, level + 1))]
            chain = "".join(f"{subjects[k]} ?p{k} {subjects[k + 1]} . " for k in range(level))
            blank = " && ".join(f"isBlank({v})" for v in subjects[1:])
            ops.append(
                _DELETE_LEVEL.format(
                    graph=_nt(graph),
                    chain=chain,
                    last=subjects[-1],
                    filter=f"FILTER({blank})" if blank else "",
                )
            )
    return ops


def _provenance(
    activity: URIRef, graph: URIRef, source: str, started: datetime, triples: int, comment: str
) -> Graph:
    ended = datetime.now(UTC)
    used: Node = URIRef(source) if source.startswith(("http://", "https://")) else Literal(source)
    meta = Graph()
    for t in (
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"import into {graph}")),
        (activity, PROV.startedAtTime, Literal(started.isoformat(), datatype=_DATETIME)),
        (activity, PROV.endedAtTime, Literal(ended.isoformat(), datatype=_DATETIME)),
        (activity, PROV.used, used),
        (activity, PROV.generated, graph),
        (activity, VOID.triples, Literal(triples)),
        (activity, RDFS.comment, Literal(comment)),
        (graph, RDF.type, PROV.Entity),
        (graph, DCTERMS.modified, Literal(ended.isoformat(), datatype=_DATETIME)),
        (graph, PROV.wasGeneratedBy, activity),
    ):
        meta.add(t)
    return meta


def _nt(term: URIRef) -> str:
    """An IRI in SPARQL/N-Triples syntax, validated by pyoxigraph."""
    return str(ox.NamedNode(str(term)))


def _insert_data(graphs: dict[URIRef, Iterable[RdfTriple]]) -> str:
    blocks = []
    for name, triples in graphs.items():
        quads = to_quads(triples, ox.NamedNode(str(name)))
        body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
        blocks.append(f"GRAPH {_nt(name)} {{\n{body.decode('utf-8')}}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


# The only SPARQL text here; placeholders take terms serialised by pyoxigraph (_nt).
_DELETE_LEVEL = (
    "DELETE {{ GRAPH {graph} {{ {last} ?p ?o }} }} "
    "WHERE {{ GRAPH {graph} {{ {chain}{last} ?p ?o }} {filter} }}"
)
_DELETE_MODIFIED = (
    "DELETE {{ GRAPH {meta} {{ {graph} <http://purl.org/dc/terms/modified> ?m }} }} "
    "WHERE {{ GRAPH {meta} {{ {graph} <http://purl.org/dc/terms/modified> ?m }} }}"
)
