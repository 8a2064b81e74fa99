"""Entity resolution: one node per real-world actor, whichever source names it.

:func:`resolve` rewrites an incoming graph (an import, before it is validated: see
:func:`graph.ingest.import_graph`) so that each actor gets its canonical IRI. For each
``hg:Actor`` of the incoming data, the first rule that finds exactly one actor wins:

1. ``registry-iri``: the IRI is a registry actor's: it is canonical already.
2. ``aiid-slug``: the IRI's slug is an AIID slug the registry lists (``hg:aiidSlug``):
   ``united-states-department-of-homeland-security`` → DHS.
3. ``name`` / ``secondary-name``: a label or alias has the normalised key of a
   registry label or alias (:func:`graph.names.name_key`: case, accents, punctuation,
   "US"/"U.S."/"United States" and a parenthesised acronym do not matter); else the
   keys agree once corporate suffixes (Inc, Ltd, LLC, Corp, Technologies) are dropped.
   An acronym alone never merges (DPD, the parcel carrier, is not the Detroit Police
   Department's DPD): registry acronyms are for ``harmgraph entities candidates``.
4. ``store-iri``: the IRI already names an actor in the store: kept.
5. ``store-label``: one actor in the store has a label with the same key.
6. ``incoming-name``: several incoming actors share a key: the most referenced wins.

A merge rewrites the old IRI to the canonical one everywhere in the incoming graph
and records why: ``<canonical> hg:resolvedFrom <old>``, ``<old> hg:resolutionRule
"aiid-slug"`` and an ``rdfs:comment`` on ``<old>``. Then every actor, harmed group,
AI system and unknown keeps exactly one ``rdfs:label``: the registry's, else the
store's, else its own; other incoming labels become ``skos:altLabel``. A source
already in the store keeps the store's title and URL. Harmed groups get their
``skos:broader`` links from the registry's group table, and a group whose slug or name
is a registry actor (AIID lists organisations as harmed parties) gets
``hg:denotesActor`` that actor. Nothing fuzzy is merged: near matches are for
``harmgraph entities candidates``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from graph import model, queries
from graph.model import HG, SCHEMA
from graph.names import name_key
from graph.registry import Match, Registry
from graph.store import Store
from graph.terms import from_ox

ACTOR_PREFIX = str(model.ID["actor/"])
_SKIPPED_GRAPHS = (model.META_GRAPH, model.VOCAB_GRAPH)
#: Words :func:`graph.names.tokens` makes from other spellings ("U.S.", "Dept", "&"):
#: a label need not contain them.
_MADE_WORDS = frozenset({"us", "uk", "department", "government", "international", "and"})
#: Classes whose nodes keep exactly one rdfs:label (other labels become altLabels).
_LABELLED = (HG.Actor, HG.HarmedGroup, HG.AISystem, HG.Unknown)


class Triples(Protocol):
    """What resolution needs of the graph it rewrites: an rdflib :class:`~rdflib.Graph`, or
    the staging store of the fast import (:class:`graph.staging.Staging`)."""

    def subjects(self, predicate: URIRef, object: Node, /) -> Iterator[Node]: ...

    def objects(self, subject: Node, predicate: URIRef, /) -> Iterator[Node]: ...

    def triples(
        self, pattern: tuple[Node | None, Node | None, Node | None], /
    ) -> Iterator[tuple[Node, Node, Node]]: ...

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...

    def remove(self, triple: tuple[Node, Node, Node], /) -> object: ...

    def __contains__(self, triple: tuple[Node, Node, Node], /) -> bool: ...


@dataclass(frozen=True)
class Merge:
    """One incoming IRI rewritten to a canonical one."""

    old: URIRef
    new: URIRef
    rule: str
    key: str

    def explain(self) -> str:
        """One sentence saying why.

        >>> Merge(model.mint("actor", "a"), model.mint("actor", "b"), "name", "B Inc").explain()
        "hgid:actor/a is hgid:actor/b: rule 'name' matched 'B Inc'"
        """
        old, new = model.curie(self.old), model.curie(self.new)
        return f"{old} is {new}: rule {self.rule!r} matched {self.key!r}"


@dataclass
class Resolution:
    """What :func:`resolve` did to a graph."""

    graph: Triples
    merges: list[Merge] = field(default_factory=list)
    #: Labels moved to skos:altLabel (or titles/URLs replaced) to keep one canonical value.
    relabelled: int = 0
    #: skos:broader and hg:denotesActor links added to harmed groups.
    group_links: int = 0


def resolve(data: Triples, registry: Registry, store: Store | None = None) -> Resolution:
    """Resolve the actors of ``data`` in place (see the module docstring); return what changed.

    >>> from rdflib import Graph
    >>> from rdflib.namespace import RDFS
    >>> reg = Registry.from_graph(Graph().parse(format="turtle", data='''
    ...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   <https://w3id.org/harmgraph/id/actor/ice> a <https://w3id.org/harmgraph/ontology#Actor> ;
    ...     rdfs:label "U.S. Immigration and Customs Enforcement"@en .
    ... '''))
    >>> g = Graph()
    >>> old = model.mint("actor", "US Immigration and Customs Enforcement (ICE)")
    >>> _ = g.add((old, RDF.type, HG.Actor)).add(
    ...     (old, RDFS.label, Literal("US Immigration and Customs Enforcement (ICE)")))
    >>> [m.explain() for m in resolve(g, reg).merges]  # doctest: +NORMALIZE_WHITESPACE
    ["hgid:actor/us-immigration-and-customs-enforcement-ice is hgid:actor/ice:
      rule 'name' matched 'US Immigration and Customs Enforcement (ICE)'"]
    >>> sorted(str(o) for o in g.objects(model.mint("actor", "ice"), RDFS.label))
    ['U.S. Immigration and Customs Enforcement']
    """
    stored = _StoreView(store)
    merges = _find_merges(data, registry, stored)
    _rewrite(data, merges)
    result = Resolution(data, merges)
    several = _several_values(data, RDFS.label) if store is None else None
    for node_class in _LABELLED:
        for node in sorted(set(data.subjects(RDF.type, node_class)), key=str):
            if isinstance(node, URIRef):
                known = registry.labels.get(node) or registry.group_labels.get(node)
                if known is None and several is not None and node not in several:
                    continue  # one label or none, nothing to replace it: _one_value keeps it
                result.relabelled += _one_value(
                    data, node, RDFS.label, known, stored, SKOS.altLabel
                )
    for prop in (DCTERMS.title, SCHEMA.url):
        several = _several_values(data, prop) if store is None else None
        for source in sorted(set(data.subjects(RDF.type, HG.Source)), key=str):
            if isinstance(source, URIRef) and (several is None or source in several):
                result.relabelled += _one_value(data, source, prop, None, stored, None)
    result.group_links = _link_groups(data, registry)
    return result


def _several_values(data: Triples, prop: URIRef) -> set[Node] | None:
    """The subjects with several values of ``prop``, when ``data`` finds them in one query
    (:meth:`graph.staging.Staging.several_values`); None for an rdflib graph."""
    finder = getattr(data, "several_values", None)
    return None if finder is None else set(finder(prop))


class _StoreView:
    """The few store lookups resolution needs (none when there is no store)."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._named: dict[str, set[URIRef]] = {}

    def values(self, node: URIRef, prop: URIRef) -> list[Node]:
        if self.store is None:
            return []
        found = {o for _, _, o, g in self.store.quads(node, prop) if g not in _SKIPPED_GRAPHS}
        return sorted(found, key=str)

    def is_actor(self, node: URIRef) -> bool:
        return self.store is not None and any(
            g not in _SKIPPED_GRAPHS for *_, g in self.store.quads(node, RDF.type, HG.Actor)
        )

    def actors_named(self, key: str) -> set[URIRef]:
        """The stored actors with a label whose :func:`~graph.names.name_key` is ``key``.

        One query per key (:data:`graph.queries.ACTOR_LABEL_CANDIDATES`, probed with
        :func:`probe_tokens`) finds a superset of their labels; ``name_key`` picks the exact
        ones, so the result is the same as keying every stored label, without doing that.
        """
        if self.store is None:
            return set()
        if key not in self._named:
            probes = [*probe_tokens(key), "", "", ""][:3]
            subs = {f"p{n}": Literal(probe) for n, probe in enumerate(probes, 1)}
            rows = self.store.select(queries.ACTOR_LABEL_CANDIDATES, substitutions=subs)
            found = set()
            for row in rows:
                actor, label = from_ox(row["a"]), from_ox(row["l"])
                if isinstance(actor, URIRef) and name_key(str(label)) == key:
                    found.add(actor)
            self._named[key] = found
        return self._named[key]


def probe_tokens(key: str) -> list[str]:
    """Words every label with name key ``key`` contains, lower-cased without apostrophes
    and dots, unless it holds a character outside printable ASCII: the key's three longest
    words that :func:`graph.names.tokens` cannot have made from other text ("U.S.", "Dept",
    "&"). With none, :data:`graph.queries.ACTOR_LABEL_CANDIDATES` returns every actor label.

    >>> probe_tokens("us department of homeland security")
    ['homeland', 'security', 'of']
    >>> probe_tokens("us department")
    []
    """
    words = sorted({w for w in key.split() if w not in _MADE_WORDS}, key=lambda w: (-len(w), w))
    return words[:3]


def _names(data: Triples, node: URIRef) -> list[str]:
    labels = sorted(str(o) for o in data.objects(node, RDFS.label))
    return labels + sorted(str(o) for o in data.objects(node, SKOS.altLabel))


def _registry_match(data: Triples, actor: URIRef, registry: Registry) -> Match | None:
    if actor in registry.labels:
        return None
    if actor.startswith(ACTOR_PREFIX):
        match = registry.match_slug(actor[len(ACTOR_PREFIX) :])
        if match is not None:
            return match
    for name in _names(data, actor):
        match = registry.match_name(name)
        if match is not None:
            return match
    return None


def _find_merges(data: Triples, registry: Registry, stored: _StoreView) -> list[Merge]:
    actors = sorted({a for a in data.subjects(RDF.type, HG.Actor) if isinstance(a, URIRef)})
    merges: list[Merge] = []
    unresolved: list[URIRef] = []
    for actor in actors:
        match = _registry_match(data, actor, registry)
        if match is not None and match.iri != actor:
            merges.append(Merge(actor, match.iri, match.rule, match.key))
        elif match is None and actor not in registry.labels and not stored.is_actor(actor):
            unresolved.append(actor)
    by_key: dict[str, list[URIRef]] = {}
    for actor in unresolved:
        label = next(iter(sorted(str(o) for o in data.objects(actor, RDFS.label))), "")
        key = name_key(label) if label else ""
        in_store = stored.actors_named(key) if key else set()
        if len(in_store) == 1:
            merges.append(Merge(actor, next(iter(in_store)), "store-label", label))
        elif key and not in_store:
            by_key.setdefault(key, []).append(actor)
    for key, same in sorted(by_key.items()):
        if len(same) > 1:
            references = {a: sum(1 for _ in data.triples((None, None, a))) for a in same}
            target = max(same, key=lambda a: (references[a], -len(a), str(a)))
            merges += [Merge(a, target, "incoming-name", key) for a in same if a != target]
    return merges


def _rewrite(data: Triples, merges: Iterable[Merge]) -> None:
    for m in merges:
        for s, p, o in list(data.triples((m.old, None, None))):
            data.remove((s, p, o))
            data.add((m.new, p, o))
        for s, p, o in list(data.triples((None, None, m.old))):
            data.remove((s, p, o))
            data.add((s, p, m.new))
        data.add((m.new, HG.resolvedFrom, m.old))
        data.add((m.old, HG.resolutionRule, Literal(m.rule)))
        data.add((m.old, RDFS.comment, Literal(m.explain(), lang="en")))


def _one_value(
    data: Triples,
    node: URIRef,
    prop: URIRef,
    known: Node | None,
    stored: _StoreView,
    alt: URIRef | None,
) -> int:
    """Keep one value of ``prop`` on ``node`` (registry's, store's, else its own).

    Returns how many incoming values were moved to ``alt`` (or dropped when ``alt`` is None).
    """
    incoming = sorted(data.objects(node, prop), key=str)
    canonical = known
    if canonical is None:
        in_store = stored.values(node, prop)
        canonical = in_store[0] if in_store else None
    if canonical is None:
        if len(incoming) < 2:
            return 0
        canonical = _best_label(node, incoming)
    moved = 0
    for value in incoming:
        if str(value) == str(canonical):
            continue
        data.remove((node, prop, value))
        moved += 1
        if alt is not None and name_key(str(value)) != name_key(str(canonical)):
            data.add((node, alt, value))
    data.add((node, prop, canonical))
    return moved


def _best_label(node: URIRef, labels: list[Node]) -> Node:
    """Of several incoming labels, the one the node's IRI was minted from, else the first."""
    slug = node.rsplit("/", 1)[-1]
    for label in labels:
        if any(c.isalnum() for c in str(label)) and model.slugify(str(label)) == slug:
            return label
    return labels[0]


def _link_groups(data: Triples, registry: Registry) -> int:
    added = 0
    groups = sorted({g for g in data.subjects(RDF.type, HG.HarmedGroup) if isinstance(g, URIRef)})
    for group in groups:
        todo, seen = [group], {group}
        while todo:
            narrow = todo.pop()
            for broad in registry.broader.get(narrow, []):
                added += (narrow, SKOS.broader, broad) not in data
                data.add((narrow, SKOS.broader, broad))
                data.add((broad, RDF.type, HG.HarmedGroup))
                if broad in registry.group_labels:
                    data.add((broad, RDFS.label, registry.group_labels[broad]))
                if broad not in seen:
                    seen.add(broad)
                    todo.append(broad)
        actor = _group_actor(data, group, registry)
        if actor is not None:
            added += 1
            data.add((group, HG.denotesActor, actor))
            data.add((actor, RDF.type, HG.Actor))
            data.add((actor, RDFS.label, registry.labels[actor]))
    return added


def _group_actor(data: Triples, group: URIRef, registry: Registry) -> URIRef | None:
    """The registry actor a harmed group names: by its slug, else by exact name key."""
    match = registry.match_slug(group.rsplit("/", 1)[-1])
    if match is None:
        for label in data.objects(group, RDFS.label):
            found = registry.by_name.get(name_key(str(label)), set())
            if len(found) == 1:
                return next(iter(found))
    return match.iri if match is not None else None
