"""The curated actor registry and harmed-group table (``data/registry/*.ttl``).

:class:`Registry` indexes the registry's actors by IRI, by AIID slug
(``hg:aiidSlug``), by normalised name (``rdfs:label`` and ``skos:altLabel``, see
:mod:`graph.names`) and by acronym, and its harmed groups' ``skos:broader`` links.
A key shared by two registry actors is ambiguous and resolves to nothing.
:mod:`graph.resolve` uses it; :mod:`graph.bundled` loads its triples into the
named graph ``registry`` (:data:`REGISTRY_GRAPH`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph import model
from graph.model import HG
from graph.names import acronym_key, name_key, secondary_key
from graph.settings import Settings, get_settings

REGISTRY_GRAPH = model.named_graph("registry")
"""Named graph holding the registry (actors and harmed-group table)."""


@dataclass(frozen=True)
class Match:
    """A registry actor found for a name or slug, and why."""

    iri: URIRef
    #: ``aiid-slug``, ``name``, ``acronym`` or ``secondary-name``.
    rule: str
    #: The slug or name that matched.
    key: str


@dataclass
class Registry:
    """Indexes over the registry graph (build with :meth:`from_graph` or :func:`get_registry`)."""

    graph: Graph = field(default_factory=Graph)
    labels: dict[URIRef, Literal] = field(default_factory=dict)
    by_slug: dict[str, URIRef] = field(default_factory=dict)
    by_name: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    by_secondary: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    by_acronym: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    #: Harmed group -> its broader groups.
    broader: dict[URIRef, list[URIRef]] = field(default_factory=dict)
    #: Labels of the harmed groups the registry describes (the broad groups).
    group_labels: dict[URIRef, Literal] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> Registry:
        """Index a registry graph.

        >>> g = Graph().parse(data='''
        ...   @prefix hg: <https://w3id.org/harmgraph/ontology#> .
        ...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ...   <https://w3id.org/harmgraph/id/actor/dhs> a hg:Actor ;
        ...       rdfs:label "U.S. Department of Homeland Security"@en ; skos:altLabel "DHS"@en ;
        ...       hg:aiidSlug "united-states-department-of-homeland-security" .
        ... ''', format="turtle")
        >>> r = Registry.from_graph(g)
        >>> r.match_name("US Department of Homeland Security").iri.endswith("/dhs")
        True
        >>> r.match_slug("united-states-department-of-homeland-security").rule
        'aiid-slug'
        """
        registry = cls(graph=graph)
        for actor in graph.subjects(RDF.type, HG.Actor):
            if not isinstance(actor, URIRef):
                continue
            label = graph.value(actor, RDFS.label)
            if isinstance(label, Literal):
                registry.labels[actor] = label
            for slug in graph.objects(actor, HG.aiidSlug):
                registry.by_slug[model.slugify(str(slug))] = actor
            aliases = [str(a) for a in graph.objects(actor, SKOS.altLabel)]
            names = [str(label)] if isinstance(label, Literal) else []
            # An alias that is an acronym or a word of three letters or fewer is no name key.
            names += [a for a in aliases if not acronym_key(a) and len(name_key(a)) > 3]
            for name in names:
                if name_key(name):
                    registry.by_name[name_key(name)].add(actor)
                    registry.by_secondary[secondary_key(name)].add(actor)
            for acronym in filter(None, map(acronym_key, aliases)):
                registry.by_acronym[acronym].add(actor)
        for group in graph.subjects(RDF.type, HG.HarmedGroup):
            label = graph.value(group, RDFS.label)
            if isinstance(group, URIRef) and isinstance(label, Literal):
                registry.group_labels[group] = label
        for narrow, broad in graph.subject_objects(SKOS.broader):
            if isinstance(narrow, URIRef) and isinstance(broad, URIRef):
                registry.broader.setdefault(narrow, []).append(broad)
        return registry

    @classmethod
    def load(cls, files: Iterable[Path]) -> Registry:
        """Parse Turtle ``files`` and index them."""
        graph = Graph()
        for f in files:
            graph.parse(f, format="turtle")
        return cls.from_graph(graph)

    def match_slug(self, slug: str) -> Match | None:
        """The actor an AIID slug (or the slug of a minted IRI) names, if the registry lists it."""
        iri = self.by_slug.get(model.slugify(slug)) if any(c.isalnum() for c in slug) else None
        return Match(iri, "aiid-slug", slug) if iri is not None else None

    def match_name(self, name: str) -> Match | None:
        """The one actor whose label or alias has ``name``'s key, else its secondary key.

        Ambiguous keys (shared by two registry actors) match nothing, and neither does
        an acronym alone (``by_acronym`` serves the candidates list, not merges).
        """
        for index, key, rule in (
            (self.by_name, name_key(name), "name"),
            (self.by_secondary, secondary_key(name), "secondary-name"),
        ):
            found = index.get(key, set()) if key else set()
            if len(found) == 1:
                return Match(next(iter(found)), rule, name)
        return None


def registry_files(settings: Settings) -> list[Path]:
    """The registry's Turtle files under ``{data_dir}/registry``."""
    return sorted((settings.data_dir / "registry").glob("*.ttl"))


@lru_cache(maxsize=4)
def _cached(files: tuple[Path, ...]) -> Registry:
    return Registry.load(files)


def get_registry(settings: Settings | None = None) -> Registry:
    """The registry of the configured data directory, parsed once per process.

    >>> len(get_registry().labels) >= 150
    True
    """
    return _cached(tuple(registry_files(settings or get_settings())))
