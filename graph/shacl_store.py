"""What compiling the shapes for one whole store needs to know of it (:mod:`graph.quality_sparql`).

Full-store validation checks the store's data graphs (every named graph but provenance
and vocabularies) together with the validator's vocabularies, as pyshacl over their
union would. Its queries run over the read-only store itself, with the data graphs and
the store's vocabulary graph (if any) as the default graph: :func:`store_dataset` says
whether that gives pyshacl's results exactly — what the vocabulary graph holds beyond the
validator's vocabularies (the ontology, the shapes) is never read by a query (no focus
node or value has a triple there) — and gathers the :class:`~graph.shacl_facts.Facts`
the compiler relies on: the vocabulary triples those graphs lack (all of them in a store
filled only by ``harmgraph import``), which the queries then supply themselves; the
subclasses of every class the shapes name (from the data and the vocabularies, not the
ontology); and the literals pyshacl holds ill-typed among the values the shapes check
with ``sh:datatype``.

>>> from graph.store import Store
>>> from graph.validation import get_validator
>>> dataset = store_dataset(Store.open("memory"), get_validator())
>>> sum(map(len, dataset.facts.extra.values()))  # an empty store lacks every vocabulary triple
1415
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from graph.gate_sparql import well_typed
from graph.model import META_GRAPH, VOCAB_GRAPH
from graph.shacl_facts import Facts
from graph.store import Store
from graph.terms import from_ox, to_ox
from graph.validation import Validator

__all__ = ["StoreDataset", "store_dataset"]

#: Datatypes whose literals are never ill-typed for pyshacl (any text is a string).
_ALWAYS_WELL_TYPED = {XSD.string, RDF.langString}
#: Shape parameters through which a shape checks the same value nodes as its parent.
_SAME_VALUES = (SH.node, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["or"], SH["and"], SH.xone)
#: Terms per VALUES block (one query per chunk).
_CHUNK = 500


@dataclass(frozen=True)
class StoreDataset:
    """The graphs the compiled queries read, and the facts they are compiled with."""

    #: Named graphs forming the default graph: the data graphs and the vocabulary graph.
    graphs: tuple[str, ...]
    #: The data graphs alone (where incidents and their references live).
    data_graphs: tuple[str, ...]
    facts: Facts


def store_dataset(store: Store, validator: Validator) -> StoreDataset | None:
    """The dataset and facts for compiled full-store validation, or None when the store
    cannot give pyshacl's results that way (then pyshacl must run)."""
    names = {str(g) for g in store.graphs()}
    data = tuple(sorted(names - {str(META_GRAPH), str(VOCAB_GRAPH)}))
    graphs = (*data, str(VOCAB_GRAPH)) if str(VOCAB_GRAPH) in names else data
    vocab = validator.vocab
    if any(isinstance(t, BNode) for triple in vocab for t in triple):
        return None  # a blank node of the vocabularies is never the store's
    shapes = validator.shapes
    if str(VOCAB_GRAPH) in names and _extra_is_read(store, graphs, vocab, shapes):
        return None
    lacking = _lacking(store, graphs, vocab)
    extra: dict[str, list[tuple[str, str]]] = {}
    for s, p, o in lacking:
        extra.setdefault(str(to_ox(p)), []).append((str(to_ox(s)), str(to_ox(o))))
    facts = Facts(
        subclasses=_subclasses(store, data, vocab, _classes(shapes)),
        ill_typed=_ill_typed(store, graphs, shapes, lacking),
        extra={p: tuple(sorted(pairs)) for p, pairs in sorted(extra.items())},
    )
    return StoreDataset(graphs, data, facts)


def _select(store: Store, sparql: str, graphs: Iterable[str]) -> ox.QuerySolutions:
    return store.select(sparql, default_graph=list(graphs), prefixes=None)


def _chunks(items: list[str]) -> Iterator[str]:
    for start in range(0, len(items), _CHUNK):
        yield " ".join(items[start : start + _CHUNK])


def _lacking(store: Store, graphs: tuple[str, ...], vocab: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples of ``vocab`` that are not in ``graphs``."""
    rows = {f"({to_ox(s)} {to_ox(p)} {to_ox(o)})": (s, p, o) for s, p, o in vocab}
    for chunk in _chunks(sorted(rows)):
        sparql = f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {chunk} }} ?s ?p ?o }}"
        for row in _select(store, sparql, graphs):
            rows.pop(f"({row['s']} {row['p']} {row['o']})", None)
    return set(rows.values())


def _extra_is_read(store: Store, graphs: tuple[str, ...], vocab: Graph, shapes: Graph) -> bool:
    """Whether a query could read a triple of the vocabulary graph that is not in ``vocab``.

    Queries read a node's triples only once it is a focus node or a value: such a
    node must have none there. Conservatively: no subject of such a triple is the object
    of a path or target predicate, a target node, the subject of a targeted predicate,
    or typed with a class that the shapes name.
    """
    extra: set[str] = set()
    for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(VOCAB_GRAPH))):
        s, p, o = from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)
        if (s, p, o) not in vocab and isinstance(s, URIRef):
            extra.add(str(to_ox(s)))
    if not extra:
        return False
    paths = {o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}
    objects_of = {*paths, *shapes.objects(None, SH.targetObjectsOf)}
    subjects_of = set(shapes.objects(None, SH.targetSubjectsOf))
    nodes = {str(to_ox(n)) for n in shapes.objects(None, SH.targetNode)}
    if extra & nodes:
        return True
    preds = " ".join(str(to_ox(p)) for p in objects_of if isinstance(p, URIRef)) or "<urn:x-none>"
    subs = " ".join(str(to_ox(p)) for p in subjects_of if isinstance(p, URIRef)) or "<urn:x-none>"
    classes = " ".join(str(to_ox(c)) for c in _classes(shapes)) or "<urn:x-none>"
    for chunk in _chunks(sorted(extra)):
        sparql = (
            f"SELECT ?s WHERE {{ VALUES ?s {{ {chunk} }} "
            f"{{ VALUES ?p {{ {preds} }} ?x ?p ?s }} UNION "
            f"{{ VALUES ?p {{ {subs} }} ?s ?p ?x }} UNION "
            f"{{ VALUES ?c {{ {classes} }} ?s <{RDF.type}> ?c }} }} LIMIT 1"
        )
        if any(True for _ in _select(store, sparql, graphs)):
            return True
    return False


def _classes(shapes: Graph) -> set[Node]:
    """Every class the shapes name (targets and ``sh:class``)."""
    return {
        c
        for p in (SH.targetClass, SH["class"])
        for c in shapes.objects(None, p)
        if isinstance(c, URIRef)
    }


def _subclasses(
    store: Store, data: tuple[str, ...], vocab: Graph, classes: set[Node]
) -> dict[Node, frozenset[Node]]:
    """Per class, itself and its subclasses by ``rdfs:subClassOf*`` in the data and vocab."""
    below: dict[Node, set[Node]] = {}
    sparql = f"SELECT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}"
    edges = [(from_ox(r["sub"]), from_ox(r["sup"])) for r in _select(store, sparql, data)]
    edges += list(vocab.subject_objects(RDFS.subClassOf))
    for sub, sup in edges:
        below.setdefault(sup, set()).add(sub)
    out: dict[Node, frozenset[Node]] = {}
    for cls in classes:
        seen, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        out[cls] = frozenset(seen)
    return out


def _ill_typed(
    store: Store, graphs: tuple[str, ...], shapes: Graph, lacking: set[tuple[Node, Node, Node]]
) -> dict[Node, frozenset[Literal]]:
    """Literals pyshacl holds ill-typed among the values of paths checked by ``sh:datatype``
    (in ``graphs`` or ``lacking``, the triples the queries supply)."""
    datatypes = {d for d in shapes.objects(None, SH.datatype) if isinstance(d, URIRef)}
    datatypes -= _ALWAYS_WELL_TYPED
    if not datatypes:
        return {}
    paths, nodes = _datatype_paths(shapes)
    listed = " ".join(str(to_ox(d)) for d in sorted(datatypes))
    found: set[Literal] = {n for n in nodes if isinstance(n, Literal)}
    found.update(o for _, p, o in lacking if p in paths and isinstance(o, Literal))
    for path in sorted(paths):
        sparql = (
            f"SELECT DISTINCT ?v WHERE {{ ?s {to_ox(path)} ?v "
            f"FILTER(isLiteral(?v) && datatype(?v) IN ({listed.replace(' ', ', ')})) }}"
        )
        for row in _select(store, sparql, graphs):
            value = from_ox(row["v"])
            if isinstance(value, Literal):
                found.add(value)
    bad: dict[Node, set[Literal]] = {}
    for literal in found:
        if literal.datatype in datatypes and not well_typed(literal):
            bad.setdefault(literal.datatype, set()).add(literal)
    return {d: frozenset(ls) for d, ls in bad.items()}


def _datatype_paths(shapes: Graph) -> tuple[set[URIRef], set[Node]]:
    """Paths whose values some ``sh:datatype`` checks, and target nodes it checks.

    Conservative: a shape with a path checks its values with every ``sh:datatype``
    reachable through ``sh:node``, ``sh:not``, ``sh:or``... (not ``sh:property``, which has
    a path of its own); a targeted shape without a path checks its focus nodes.
    """
    paths: set[URIRef] = set()
    nodes: set[Node] = set()
    for shape in set(shapes.subjects()):
        if not _reaches_datatype(shapes, shape):
            continue
        path = shapes.value(shape, SH.path)
        if isinstance(path, URIRef):
            paths.add(path)
        elif path is None:
            paths.update(
                o for o in shapes.objects(shape, SH.targetObjectsOf) if isinstance(o, URIRef)
            )
            nodes.update(shapes.objects(shape, SH.targetNode))
    return paths, nodes


def _reaches_datatype(shapes: Graph, shape: Node) -> bool:
    seen, todo = {shape}, [shape]
    while todo:
        node = todo.pop()
        if (node, SH.datatype, None) in shapes:
            return True
        nxt = [o for p in _SAME_VALUES for o in shapes.objects(node, p)]
        for p in _LISTS:
            for head in shapes.objects(node, p):
                nxt.extend(Collection(shapes, head))
        for n in nxt:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return False
