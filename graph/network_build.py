"""Build the incident network (a :class:`networkx.Graph`) from the store, and cache it.

Nodes are IRIs (strings). Incidents are nodes, never edges: a multi-party
incident links each of its parties, so the graph is bipartite-ish (incidents on
one side, actors, AI systems, harmed groups and explicit unknowns on the other),
plus two kinds of direct party links that path sentences need: an AI system to
its developer and an actor to its parent organisation.

Node attributes (every node): ``kind`` (``incident``, ``actor``, ``system``,
``group`` or ``unknown``), ``label``, ``unknown`` (``True`` for ``hg:Unknown``
nodes, which views hide and paths avoid), ``datasets`` (names of the named
graphs it is typed in: ``curated``, ``aiid``, ``topaithreats``); parties also
``aliases`` (other labels and ``skos:altLabel``s); incidents also ``identifier``,
``date`` and ``date_end`` (earliest and latest ``dcterms:date``, ISO text),
``severity``, ``status``, ``evidence`` (concept notations such as ``high``),
``patterns``, ``domains``, ``regions`` (notations, widened to broader concepts)
and ``sources`` (``(url, title, publisher)`` triples). Edge attributes: ``kind``
(``role``, ``system-developer`` or ``parent``), ``roles`` (a tuple from
:data:`ROLES`, or the link kind), ``incident`` (the incident IRI of a role
edge, else ``""``) and, on links, ``subject`` (the system or the child organisation:
links are directed, the graph is not).

The network is computed with the named queries of :mod:`graph.queries` and cached
per store by :class:`NetworkCache` until the store's :func:`store_generation`
changes: the latest ``prov:endedAtTime`` of the imports recorded in
:data:`graph.model.META_GRAPH` together with the quad count. An import always moves
the first; a raw SPARQL update that adds or removes triples moves the second. An
update that replaces triples one for one outside :mod:`graph.ingest` is not seen
until the next import. Counting quads reads the whole store, so for a store
directory the cache counts only when the directory's files changed
(:func:`store_files`).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox

from graph import model, queries
from graph.store import Store

if TYPE_CHECKING:
    from graph.search import SearchIndex

#: Roles of a party in an incident, in the order they are listed.
ROLES = ("developer", "deployer", "system", "harmed", "implicated", "oversight", "reported")
#: Roles of actors outside the incident: an authority acted on it (``hg:oversight``), or
#: someone exposed or litigated it (``hg:reportedBy``). Views show them; paths and
#: co-incident links do not go through them by default (one regulator links many
#: unrelated incidents).
OUTSIDE_ROLES = frozenset({"oversight", "reported"})
#: The kinds of party nodes.
PARTY_KINDS = ("actor", "system", "group", "unknown")

_KIND_OF_CLASS = {
    str(model.HG.Actor): "actor",
    str(model.HG.AISystem): "system",
    str(model.HG.HarmedGroup): "group",
    str(model.HG.Unknown): "unknown",
}
_KIND_OF_PATH = {"actor": "actor", "system": "system", "group": "group"}
#: Named graphs whose labels win over other graphs' (curated data is hand-checked).
_LABEL_PRIORITY = ("curated", "topaithreats")
_GRAPHS = str(model.GRAPHS)
_ID = str(model.ID)


@dataclass(frozen=True)
class Generation:
    """What identifies one state of the store for the cache."""

    last_import: str
    quads: int


def store_generation(store: Store) -> Generation:
    """The store's generation: latest import end time and quad count.

    >>> store_generation(Store.open("memory"))
    Generation(last_import='', quads=0)
    """
    rows = _rows(store, queries.LAST_IMPORT, default_graph=[str(model.META_GRAPH)])
    last = next((row[0] for row in rows), "")
    return Generation(last, store.count())


#: What a store directory's files are: (name, size, modification time in ns), sorted.
Files = tuple[tuple[str, int, int], ...]


def store_files(store: Store) -> Files | None:
    """The names, sizes and modification times of an on-disk store's files, or None.

    None for a store in memory or on a server. RocksDB's own information logs
    (``LOG``, ``LOG.old.*``) are left out: they change without the data changing.

    >>> store_files(Store.open("memory")) is None
    True
    """
    if type(store) is not Store or store.location == "memory":
        return None
    try:
        with os.scandir(store.location) as entries:
            found = [(e.name, e.stat()) for e in entries if not e.name.startswith("LOG")]
    except OSError:
        return None
    return tuple(sorted((name, st.st_size, st.st_mtime_ns) for name, st in found))


class Network:
    """The incident network of one store generation, with its search index built on demand."""

    def __init__(self, graph: nx.Graph, generation: Generation) -> None:
        self.graph = graph
        self.generation = generation

    @cached_property
    def index(self) -> SearchIndex:
        """The type-ahead index over the network's names (built on first use)."""
        from graph.search import SearchIndex

        return SearchIndex.build(self.graph)

    def __repr__(self) -> str:
        g = self.graph
        return f"Network({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)"


def build_network(store: Store, generation: Generation | None = None) -> Network:
    """Compute the network from the store (uncached; see :func:`get_network`).

    ``generation`` is the store's :func:`store_generation`, if the caller has it.

    >>> build_network(Store.open("memory"))
    Network(0 nodes, 0 edges)
    """
    generation = generation or store_generation(store)
    g = nx.Graph()
    _add_incidents(g, store)
    _add_parties(g, store)
    _add_roles(g, store)
    _add_links(g, store)
    return Network(g, generation)


class NetworkCache:
    """Networks per store, rebuilt when the store's generation changes. Thread-safe.

    The generation counts the store's quads, which reads the whole store (seconds at
    100,000 incidents). For a store directory it is read only when the directory's
    files changed since the last look (:func:`store_files`): every write appends to
    RocksDB's write-ahead log, so an unchanged directory is an unchanged store.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._networks: weakref.WeakKeyDictionary[Store, Network] = weakref.WeakKeyDictionary()
        self._files: weakref.WeakKeyDictionary[Store, Files] = weakref.WeakKeyDictionary()

    def get(self, store: Store) -> Network:
        """The store's network, from the cache unless the store changed.

        >>> cache, store = NetworkCache(), Store.open("memory")
        >>> cache.get(store) is cache.get(store)
        True
        """
        with self._lock:
            network = self._networks.get(store)
            # Files first: a write after this look makes the next one see a change.
            files = store_files(store)
            if network is not None and files is not None and self._files.get(store) == files:
                return network
            generation = store_generation(store)
            if network is None or network.generation != generation:
                network = self._networks[store] = build_network(store, generation)
            if files is not None:
                self._files[store] = files
            return network


_CACHE = NetworkCache()


def get_network(store: Store) -> Network:
    """The store's network from the process-wide cache.

    >>> get_network(Store.open("memory")).graph.number_of_nodes()
    0
    """
    return _CACHE.get(store)


def outside_only(edge: Mapping[str, Any]) -> bool:
    """Whether an edge is a role edge whose roles are all :data:`OUTSIDE_ROLES`.

    >>> outside_only({"kind": "role", "roles": ("oversight",)})
    True
    >>> outside_only({"kind": "role", "roles": ("implicated", "reported")})
    False
    """
    roles = edge.get("roles", ())
    return edge.get("kind") == "role" and bool(roles) and OUTSIDE_ROLES.issuperset(roles)


def notation(iri: str) -> str:
    """The last path segment of a concept IRI (its notation).

    >>> notation("https://w3id.org/harmgraph/vocab/region/US")
    'US'
    """
    return iri.rsplit("/", 1)[-1]


def _rows(store: Store, sparql: str, **kwargs: Any) -> Iterator[tuple[str, ...]]:
    """The solutions of a SELECT query as tuples of term values (``""`` when unbound)."""
    result = store.query(sparql, **kwargs)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query gives solutions")
    width = range(len(result.variables))
    for row in result:
        yield tuple("" if row[k] is None else row[k].value for k in width)


def _graph_name(iri: str) -> str:
    return iri[len(_GRAPHS) :] if iri.startswith(_GRAPHS) else iri


def _add_incidents(g: nx.Graph, store: Store) -> None:
    nodes: dict[str, dict[str, Any]] = {}
    # ?i ?g ?id ?title ?date ?severity ?status ?evidence
    for iri, graph, identifier, title, date, *assessed in _rows(store, queries.NETWORK_INCIDENTS):
        a = nodes.setdefault(iri, {"kind": "incident", "unknown": False, "datasets": set()})
        a["datasets"].add(_graph_name(graph))
        if identifier:
            a.setdefault("identifier", identifier)
        if title:
            a.setdefault("label", title)
        if date:
            a["date"] = min(a.get("date", date), date)
            a["date_end"] = max(a.get("date_end", date), date)
        for key, value in zip(("severity", "status", "evidence"), assessed, strict=True):
            if value:
                a[key] = notation(value)
    facets: dict[str, dict[str, set[str]]] = {}
    wider = _broader_closure(store)
    for iri, facet, value in _rows(store, _FACETS):
        widened = wider.get(value, (value,))
        facets.setdefault(iri, {}).setdefault(facet + "s", set()).update(map(notation, widened))
    sources: dict[str, set[tuple[str, str, str]]] = {}
    for iri, url, title, publisher in _rows(store, queries.NETWORK_SOURCES):
        sources.setdefault(iri, set()).add((url, title, publisher))
    for iri, a in nodes.items():
        identifier = a.setdefault("identifier", iri.rsplit("/", 1)[-1].upper())
        a.setdefault("label", identifier)
        for key in ("date", "date_end", "severity", "status", "evidence"):
            a.setdefault(key, "")
        a["datasets"] = tuple(sorted(a["datasets"]))
        per = facets.get(iri, {})
        for key in ("patterns", "domains", "regions"):
            a[key] = tuple(sorted(per.get(key, ())))
        a["sources"] = tuple(sorted(sources.get(iri, ())))
        g.add_node(iri, **a)


#: Incident facets as stated (:data:`graph.queries.NETWORK_FACETS` without its
#: ``skos:broader*``: walking the path once per incident was most of the network's build;
#: :func:`_broader_closure` widens the values instead).
_FACETS = (
    queries.PROLOGUE
    + """
SELECT ?i ?facet ?v WHERE {
  { ?i a hg:Incident ; hg:threatPattern ?v . BIND("pattern" AS ?facet) }
  UNION { ?i a hg:Incident ; hg:domain ?v . BIND("domain" AS ?facet) }
  UNION { ?i a hg:Incident ; dcterms:spatial ?v . BIND("region" AS ?facet) }
}
"""
)
_BROADER = queries.PROLOGUE + "SELECT DISTINCT ?c ?b WHERE { ?c skos:broader ?b }"


def _broader_closure(store: Store) -> dict[str, tuple[str, ...]]:
    """Each concept with a broader one → itself and every concept above it (``skos:broader*``)."""
    up: dict[str, set[str]] = {}
    for narrower, broader in _rows(store, _BROADER):
        up.setdefault(narrower, set()).add(broader)
    closure: dict[str, tuple[str, ...]] = {}
    for concept in up:
        seen = {concept}
        todo = [concept]
        while todo:
            for b in up.get(todo.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    todo.append(b)
        closure[concept] = tuple(seen)
    return closure


def _add_parties(g: nx.Graph, store: Store) -> None:
    labels: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    for iri, rdf_class, graph, label in _rows(store, queries.NETWORK_ENTITIES):
        if kinds.get(iri) != "unknown":
            kinds[iri] = _KIND_OF_CLASS[rdf_class]
        per_graph = labels.setdefault(iri, {})
        if label:
            per_graph.setdefault(_graph_name(graph), label)
    aliases: dict[str, set[str]] = {}
    for iri, alias in _rows(store, queries.NETWORK_ALIASES):
        aliases.setdefault(iri, set()).add(alias)
    for iri, kind in kinds.items():
        per_graph = labels[iri]
        order = [n for n in _LABEL_PRIORITY if n in per_graph] + sorted(per_graph)
        label = per_graph[order[0]] if order else iri.rsplit("/", 1)[-1]
        names = (set(per_graph.values()) | aliases.get(iri, set())) - {label}
        g.add_node(
            iri,
            kind=kind,
            label=label,
            unknown=kind == "unknown",
            aliases=tuple(sorted(names)),
            datasets=tuple(sorted(per_graph)),
        )


def _ensure_party(g: nx.Graph, iri: str) -> None:
    """Add an untyped party (referenced but never described) with a kind from its IRI."""
    if iri in g:
        return
    path = iri[len(_ID) :].split("/", 1)[0] if iri.startswith(_ID) else ""
    kind = _KIND_OF_PATH.get(path, "unknown" if "/unknown/" in iri else "actor")
    g.add_node(
        iri,
        kind=kind,
        label=iri.rsplit("/", 1)[-1],
        unknown=kind == "unknown",
        aliases=(),
        datasets=(),
    )


def _add_roles(g: nx.Graph, store: Store) -> None:
    roles: dict[tuple[str, str], set[str]] = {}
    nodes = g.nodes
    for incident, role, party in _rows(store, queries.NETWORK_ROLES):
        # The query does not type-check ?i (it is much faster without): skip AI systems.
        if incident in nodes and nodes[incident]["kind"] == "incident":
            roles.setdefault((incident, party), set()).add(role)
    for (incident, party), names in roles.items():
        _ensure_party(g, party)
        ordered = tuple(r for r in ROLES if r in names)
        g.add_edge(incident, party, kind="role", roles=ordered, incident=incident)


def _add_links(g: nx.Graph, store: Store) -> None:
    for a, link, b in _rows(store, queries.NETWORK_LINKS):
        if a == b or g.has_edge(a, b):
            continue
        _ensure_party(g, a)
        _ensure_party(g, b)
        g.add_edge(a, b, kind=link, roles=(link,), incident="", subject=a)
