"""The fast import: :func:`graph.ingest.import_graph`'s result without rdflib graphs.

:func:`import_files` (RDF files) and :func:`import_data` (an rdflib graph an importer
built) write exactly what :func:`~graph.ingest.import_graph` writes (the same quads in the
same named graphs, the same provenance, the same entity resolution) and accept and reject
exactly the same inputs, with the same errors. The incoming data never becomes an rdflib
graph:

1. pyoxigraph parses it into a :class:`graph.staging.Staging` store, in the target named
   graph (blank nodes renamed, typed literals in rdflib's canonical form, as the
   reference path gives them);
2. entity resolution (:func:`graph.resolve.resolve`) rewrites it there, by index lookups;
3. the store context (what the data references that the store describes, walked as
   :func:`graph.ingest._store_context` walks it) and the vocabulary concepts the data uses
   are added to the staged triples, the gate's compiled SHACL queries run over them
   (:meth:`graph.gate_sparql.SparqlGate.has_violation`; from :data:`DATASET_GATE_MIN`
   incoming triples the queries compiled for that data, :mod:`graph.gate_dataset`, shared
   with a forked process from :data:`GATE_FORK_MIN`), and what was added is taken out;
4. one all-or-nothing write: a first import into a graph (no re-imported incident, no
   earlier ``dcterms:modified``) is one :meth:`graph.store.Store.extend` transaction of
   the staged quads, or from :data:`SWAP_MIN` triples on disk, bulk-loaded into a copy of
   the store that then replaces it in one step (:mod:`graph.ingest_swap`); otherwise one
   SPARQL Update request, as the reference path sends it.

When a compiled query finds a Violation, the import is handed to the reference path,
which rejects it with the same :class:`~graph.errors.ShapeViolations` report (nothing is
written either way). The reference path also runs when the fast one cannot: a remote
store (SPARQL over HTTP), a validator that is not a :class:`graph.validation.Validator`,
or shapes the compiler leaves to pyshacl.

``bulk=True`` writes a first import with pyoxigraph's bulk loader straight into the store
instead: no copy, but not all or nothing (a crash or a full disk during the write can leave
part of the data, without its provenance). Validation is unchanged: a rejected import
writes nothing.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from graph import model
from graph.errors import BadRequest, NotFound, StoreError
from graph.gate import gate_of
from graph.gate_sparql import ILL_TYPED, SparqlGate
from graph.ingest import (
    _DELETE_MODIFIED,
    _INCIDENT_STUB,
    MAX_CONTEXT_DEPTH,
    ImportSummary,
    Validator,
    _delete_description,
    _flatten,
    _is_incident,
    _nt,
    _provenance,
    import_graph,
)
from graph.ingest_swap import swap_in
from graph.io import graph_iri
from graph.registry import Registry, get_registry
from graph.remote import RemoteStore
from graph.resolve import resolve
from graph.staging import CONTEXT, Staging, load_files
from graph.store import Store
from graph.terms import to_quads
from graph.validation import Validator as ShapesValidator

_TYPE = ox.NamedNode(str(RDF.type))
_INCIDENT = ox.NamedNode(str(model.HG.Incident))
_MODIFIED = ox.NamedNode(str(DCTERMS.modified))
_META = ox.NamedNode(str(model.META_GRAPH))
_SKIPPED = {_META, ox.NamedNode(str(model.VOCAB_GRAPH))}
_STUB = {ox.NamedNode(str(p)) for p in _INCIDENT_STUB}
_VOCAB = str(model.VOCAB)
_DESCRIBED = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_REFERENCED = f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && ?p != <{RDF.type}>) }}"
#: From this many incoming triples the gate's shapes are compiled for the staged data
#: (:class:`graph.gate_dataset.DatasetGate`): a compilation costs about a second, the
#: queries then take a fraction of the time on large data.
DATASET_GATE_MIN = 50_000
#: From this many incoming triples those queries are shared with a forked process.
GATE_FORK_MIN = 200_000
#: From this many incoming triples a first import into an on-disk store is bulk-loaded
#: into a copy and swapped in (:mod:`graph.ingest_swap`) rather than one transaction.
SWAP_MIN = 20_000


def import_files(
    store: Store,
    files: Sequence[Path],
    *,
    fmt: str | None = None,
    graph_name: str,
    source: str,
    validator: Validator,
    registry: Registry | None = None,
    bulk: bool = False,
) -> ImportSummary:
    """Import RDF ``files`` as ``harmgraph import`` does: :func:`import_graph`'s result, fast.

    Raises:
        BadRequest: no files given.
        NotFound: a file does not exist.
        InvalidRDF: a file does not parse (file, line and column say where).
        ShapeViolations: an incoming incident fails a shape at Violation level.

    >>> from graph.validation import get_validator
    >>> import_files(Store.open("memory"), [Path("no-such.ttl")], graph_name="curated",
    ...              source="no-such.ttl", validator=get_validator())
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: no-such.ttl: no such file or directory
    """
    if not files:
        raise BadRequest("no input files given")
    for f in files:
        if not f.exists():
            raise NotFound(f"{f}: no such file or directory")

    def reference() -> ImportSummary:
        from graph.sources import read_source

        data, _ = read_source("rdf", files, fmt=fmt)
        return import_graph(
            store, data, graph_name=graph_name, source=source, validator=validator,
            registry=registry,
        )  # fmt: skip

    if not _can_be_fast(store, validator):
        return reference()
    staging = load_files(list(files), fmt, graph_iri(graph_name))
    return _import(store, staging, source, validator, registry, bulk, reference)


def import_data(
    store: Store,
    data: Graph,
    *,
    graph_name: str,
    source: str,
    validator: Validator,
    registry: Registry | None = None,
    bulk: bool = False,
) -> ImportSummary:
    """:func:`import_graph` of an rdflib graph, with the fast path's gate and write.

    ``data`` is left as it is (the reference path resolves it in place).

    >>> from graph.validation import get_validator
    >>> s = import_data(Store.open("memory"), Graph(), graph_name="curated", source="x",
    ...                 validator=get_validator())
    >>> s.incidents_added, s.triples
    (0, 0)
    """

    def reference() -> ImportSummary:
        return import_graph(
            store, data, graph_name=graph_name, source=source, validator=validator,
            registry=registry,
        )  # fmt: skip

    if not _can_be_fast(store, validator):
        return reference()
    staging = Staging(graph_iri(graph_name))
    staging.store.bulk_extend(to_quads(_flatten(data), staging.graph))
    return _import(store, staging, source, validator, registry, bulk, reference)


def _can_be_fast(store: Store, validator: Validator) -> bool:
    if isinstance(store, RemoteStore) or not isinstance(validator, ShapesValidator):
        return False
    gate = gate_of(validator)
    return gate.sparql is not None and gate.fallback is None


def _import(
    store: Store,
    staging: Staging,
    source: str,
    validator: Validator,
    registry: Registry | None,
    bulk: bool,
    reference: Callable[[], ImportSummary],
) -> ImportSummary:
    started = datetime.now(UTC)
    target = URIRef(staging.graph.value)
    ill_typed = staging.normalise()
    # Resolution only looks at what the store holds outside the meta and vocabulary graphs.
    has_data = _has_data(store.ox)
    known = registry if registry is not None else get_registry()
    resolution = resolve(staging, known, store if has_data else None)
    incidents = set(staging.subjects(RDF.type, model.HG.Incident))
    stored: list[URIRef] = []
    if next(store.ox.quads_for_pattern(None, _TYPE, _INCIDENT, staging.graph), None):
        stored = sorted(
            (i for i in incidents if isinstance(i, URIRef) and _is_incident(store, i, target)),
            key=str,
        )

    gate = gate_of(validator)  # type: ignore[arg-type]
    sparql = gate.sparql
    assert sparql is not None  # noqa: S101 - checked by _can_be_fast
    triples = len(staging)
    if has_data:
        _add_context(store.ox, staging, incidents)
    _add_concepts(staging, sparql)
    ill_typed |= staging.normalise(CONTEXT)
    # The gate's queries run on one graph (a union of graphs is slower to query): what the
    # context adds to the incoming triples is put there for the gate, then taken out.
    extra = [
        ox.Quad(q.subject, q.predicate, q.object, staging.graph)
        for q in staging.store.quads_for_pattern(None, None, None, CONTEXT)
    ]
    extra = [q for q in extra if q not in staging.store]
    staging.store.remove_graph(CONTEXT)
    staging.store.extend(extra)
    staged = {lit: ox.Literal(lit.value, datatype=ox.NamedNode(ILL_TYPED)) for lit in ill_typed}
    for literal, marked in staged.items():
        staging.replace_object(literal, marked, staging.graph)
    if triples < DATASET_GATE_MIN or gate.dataset is None:
        violation = sparql.has_violation(staging.store, staging.graph)
    else:
        workers = 2 if triples >= GATE_FORK_MIN and (os.cpu_count() or 1) > 1 else 1
        violation = gate.dataset.has_violation(staging.store, staging.graph, workers=workers)
    if violation:
        return reference()  # rejects with the reference report; nothing is written
    for literal, marked in staged.items():
        staging.replace_object(marked, literal, staging.graph)
    for quad in extra:
        staging.store.remove(quad)

    key = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(4)}"
    activity = model.import_activity(key)
    added, updated = len(incidents) - len(stored), len(stored)
    comment = f"{added} incident(s) added, {updated} updated, {triples} triples"
    meta = _provenance(activity, target, source, started, triples, comment)
    _write(store, staging, stored, meta, bulk, triples)
    return ImportSummary(added, updated, triples, target, activity, tuple(resolution.merges))


def _has_data(store: ox.Store) -> bool:
    """Whether ``store`` holds anything outside the meta and vocabulary graphs."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    graphs += [g for g in store.named_graphs() if g not in _SKIPPED]
    return any(next(store.quads_for_pattern(None, None, None, g), None) for g in graphs)


def _add_context(store: ox.Store, staging: Staging, incidents: set[Node]) -> None:
    """Copy what the staged data references from ``store`` into :data:`CONTEXT`.

    The walk of :func:`graph.ingest._store_context`, on pyoxigraph terms: the same IRIs
    visited, the same triples taken (other incidents: their stub only).
    """
    described = {row[0].value for row in _select(staging, _DESCRIBED)}
    referenced = {row[0].value for row in _select(staging, _REFERENCED)}
    iris = {str(i) for i in incidents if isinstance(i, URIRef)}
    seen = set(iris)
    frontier = sorted((referenced - described) | (described - iris))
    for _ in range(MAX_CONTEXT_DEPTH):
        following: set[str] = set()
        for iri in frontier:
            if iri in seen or _is_local_part(iri, iris) or iri.startswith(_VOCAB):
                continue
            seen.add(iri)
            node = ox.NamedNode(iri)
            triples = {
                (q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(node, None, None, None)
                if q.graph_name not in _SKIPPED
            }
            if (node, _TYPE, _INCIDENT) in triples:
                triples = {t for t in triples if t[1] in _STUB}
            for s, p, o in triples:
                staging.store.add(ox.Quad(s, p, o, CONTEXT))
                if isinstance(o, ox.NamedNode) and p != _TYPE:
                    following.add(o.value)
        frontier = sorted(following - seen)
        if not frontier:
            break


def _is_local_part(iri: str, incidents: set[str]) -> bool:
    cut = iri.find("/", len(model.BASE))
    while cut != -1:
        if iri[:cut] in incidents:
            return True
        cut = iri.find("/", cut + 1)
    return False


def _add_concepts(staging: Staging, sparql: SparqlGate) -> None:
    """Stage the triples of the vocabulary concepts the staged data uses as objects."""
    concepts = sparql.concept_triples()
    used = [c for c in concepts if next(staging.store.quads_for_pattern(None, None, c), None)]
    for concept in used:
        staging.store.extend(
            ox.Quad(t.subject, t.predicate, t.object, CONTEXT) for t in concepts[concept]
        )


def _select(staging: Staging, sparql: str) -> list[list[ox.NamedNode]]:
    rows = staging.store.query(sparql, default_graph=staging.graph)
    assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - SELECT queries
    return [list(row) for row in rows]


def _write(
    store: Store, staging: Staging, stored: list[URIRef], meta: Graph, bulk: bool, triples: int
) -> None:
    """All or nothing: a first import of ``triples`` or more swapped in
    (:func:`graph.ingest_swap.swap_in`) or one ``extend``; else one SPARQL Update request."""
    target = URIRef(staging.graph.value)
    first = not stored and not next(
        store.ox.quads_for_pattern(staging.graph, _MODIFIED, None, _META), None
    )
    if first:
        provenance = list(to_quads(meta, _META))
        if bulk:
            try:
                store.ox.bulk_extend(chain(staging.quads(), provenance))
                store.ox.optimize()  # compacted, as a swapped-in import is (ingest_swap)
            except OSError as err:
                raise StoreError(f"bulk write into {store.location} failed: {err}") from err
            return
        if triples >= SWAP_MIN and swap_in(store, staging.store, staging.graph, provenance):
            return
        store.extend(chain(staging.quads(), provenance))
        return
    operations = [op for i in stored for op in _delete_description(store, i, target)]
    operations.append(_DELETE_MODIFIED.format(meta=_nt(model.META_GRAPH), graph=_nt(target)))
    body = staging.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=staging.graph) or b""
    meta_body = (
        ox.serialize((q.triple for q in to_quads(meta, _META)), format=ox.RdfFormat.N_TRIPLES)
        or b""
    )
    operations.append(
        f"INSERT DATA {{\nGRAPH {_nt(target)} {{\n{body.decode('utf-8')}}}\n"
        f"GRAPH {_nt(model.META_GRAPH)} {{\n{meta_body.decode('utf-8')}}}\n}}"
    )
    store.update(" ;\n".join(operations))
