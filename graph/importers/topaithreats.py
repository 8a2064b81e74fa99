"""TopAIThreats incident pages → harmgraph RDF.

:func:`import_pages` reads every page first (:mod:`.topaithreats_page`) and only
then builds one :class:`rdflib.Graph`, so a page that does not parse produces
nothing at all. The graph holds the incidents with their actors, systems, harmed
groups, timeline events, outcomes and sources; vocabulary concepts are referred to
by IRI only (they live in ``data/vocab``). Writing it to the store is
:mod:`graph.ingest`'s job.

Mapping choices that are not obvious from the page:

* developers, deployers, systems and groups get IRIs from their names
  (``model.mint``); an acronym becomes ``skos:altLabel``. A developer or deployer
  the sentence calls unknown is a per-incident ``hg:Unknown``.
* every system gets every developer as ``hg:developer`` (the sentence does not
  say which developer built which system).
* the first pattern ID of "Use in Retrieval" is the primary threat pattern.
* outcome labels map by their first word (Regulatory, Legal, Financial,
  Operational; anything else is ``other``); source types map by slug, with a
  few aliases, and unknown types become ``other``.
* texts from the page are ``@en`` literals, as in the curated data, so that the
  same source or incident described by both reads the same.
* timeline events cite sources through their ``[n]`` markers; key facts are
  plain literals, so their markers are dropped.

>>> import pathlib
>>> page = pathlib.Path(__file__).parents[2] / "data/topaithreats/INC-26-0068.txt"
>>> g = import_pages([page])
>>> str(g.value(model.mint("incident", "INC-26-0068"), HG.severity))
'https://w3id.org/harmgraph/vocab/severity/high'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph import model
from graph.errors import InputError
from graph.importers.attribution import Party
from graph.importers.topaithreats_page import Page, SourceRef, parse_page
from graph.model import HG, SCHEMA

SOURCE_TYPES = {
    "news",
    "analysis",
    "legal-filing",
    "official-report",
    "academic-paper",
    "press-release",
    "database-entry",
    "other",
}
SOURCE_TYPE_ALIASES = {
    "legal": "legal-filing",
    "court-filing": "legal-filing",
    "report": "official-report",
    "government-report": "official-report",
    "academic": "academic-paper",
    "research": "academic-paper",
    "paper": "academic-paper",
    "press": "press-release",
    "database": "database-entry",
}
OUTCOME_TYPES = ("regulatory", "legal", "financial", "operational")
DATASET = "topaithreats"


def read_page(path: str | Path) -> Page:
    """Read and parse one page file (UTF-8); raise :class:`InputError` if it does not fit.

    >>> import pathlib
    >>> here = pathlib.Path(__file__).parents[2]
    >>> read_page(here / "data/topaithreats/INC-26-0068.txt").identifier
    'INC-26-0068'
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", file=str(path)) from None
    return parse_page(text, file=str(path))


def import_pages(paths: Iterable[str | Path]) -> Graph:
    """Parse every page, then build one graph of all their incidents.

    Raises :class:`InputError` (and builds nothing) if any page does not parse or
    two pages describe the same incident.

    >>> import pathlib
    >>> page = pathlib.Path(__file__).parents[2] / "data/topaithreats/INC-26-0068.txt"
    >>> len(import_pages([page]))
    73
    """
    pages: dict[str, Page] = {}
    for path in paths:
        page = read_page(path)
        if page.identifier in pages:
            raise InputError(
                f"{page.identifier} is also described by {pages[page.identifier].file}",
                file=page.file,
                field="Header",
            )
        pages[page.identifier] = page
    graph = Graph()
    for prefix, namespace in model.PREFIXES.items():
        graph.bind(prefix, namespace)
    for page in pages.values():
        add_page(graph, page)
    return graph


def add_page(graph: Graph, page: Page) -> URIRef:
    """Add the RDF of one parsed page to ``graph``; return the incident IRI.

    >>> from graph.importers.topaithreats_page import _EXAMPLE
    >>> add_page(Graph(), parse_page(_EXAMPLE, file="p.txt"))
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/incident/inc-26-0001')
    """
    add = graph.add
    incident = model.mint("incident", page.identifier)
    attribution = page.attribution
    for triple in (
        (incident, RDF.type, HG.Incident),
        (incident, DCTERMS.identifier, Literal(page.identifier)),
        (incident, DCTERMS.title, Literal(page.title, lang="en")),
        (incident, DCTERMS.description, Literal(page.summary, lang="en")),
        (incident, DCTERMS.date, date_literal(page.year)),
        (incident, HG.severity, model.concept("severity", page.severity)),
        (incident, HG.status, model.concept("status", page.status)),
        (incident, HG.evidenceLevel, model.concept("evidence", page.evidence)),
        (incident, HG.domain, model.concept("domain", model.slugify(page.domain))),
        (incident, DCTERMS.spatial, model.concept("region", model.slugify(page.region))),
        (incident, HG.sourceDataset, model.concept("dataset", DATASET)),
    ):
        add(triple)
    if page.last_updated:
        add((incident, DCTERMS.modified, Literal(page.last_updated, datatype=XSD.date)))
    developers = _parties(graph, incident, "developer", attribution.developers)
    deployers = _parties(graph, incident, "deployer", attribution.deployers)
    for developer in developers:
        add((incident, HG.developer, developer))
    for deployer in deployers:
        add((incident, HG.deployer, deployer))
    for name in attribution.systems:
        system = _named(graph, "system", HG.AISystem, name)
        add((incident, HG.aiSystem, system))
        for developer in developers:
            add((system, HG.developer, developer))
    for name in attribution.harmed_groups:
        add((incident, HG.harmedGroup, _named(graph, "group", HG.HarmedGroup, name)))
    for slug in attribution.factor_slugs:
        add((incident, HG.contributingFactor, model.concept("factor", slug)))
    for i, pattern_id in enumerate(page.patterns):
        pattern = model.concept("pattern", pattern_id)
        add((incident, HG.threatPattern, pattern))
        if i == 0:
            add((incident, HG.primaryThreatPattern, pattern))
    for fact in page.key_facts:
        add((incident, HG.keyFact, Literal(fact, lang="en")))
    sources = [_source(graph, incident, ref) for ref in page.sources]
    for n, event in enumerate(page.timeline, start=1):
        node = model.part(incident, "event", n)
        add((incident, HG.timelineEvent, node))
        add((node, RDF.type, HG.TimelineEvent))
        add((node, DCTERMS.description, Literal(event.description, lang="en")))
        add((node, HG.order, Literal(n)))
        if event.date:
            add((node, DCTERMS.date, date_literal(event.date)))
        for cited in event.cites:
            add((node, PROV.wasDerivedFrom, sources[cited - 1]))
    for n, outcome in enumerate(page.outcomes, start=1):
        node = model.part(incident, "outcome", n)
        add((incident, HG.outcome, node))
        add((node, RDF.type, HG.Outcome))
        add((node, HG.outcomeType, model.concept("outcome-type", outcome_type(outcome.label))))
        add((node, DCTERMS.description, Literal(outcome.description, lang="en")))
    return incident


def _parties(graph: Graph, incident: URIRef, role: str, parties: tuple[Party, ...]) -> list[URIRef]:
    if not parties:
        unknown = model.part(incident, "unknown", role)
        graph.add((unknown, RDF.type, HG.Unknown))
        graph.add((unknown, RDFS.label, Literal(f"Unknown {role}", lang="en")))
        note = f"The TopAIThreats attribution sentence does not name the {role}."
        graph.add((unknown, SKOS.note, Literal(note, lang="en")))
        return [unknown]
    nodes = []
    for party in parties:
        actor = _named(graph, "actor", HG.Actor, party.name)
        if party.acronym:
            graph.add((actor, SKOS.altLabel, Literal(party.acronym, lang="en")))
        nodes.append(actor)
    return nodes


def _named(graph: Graph, kind: str, cls: URIRef, name: str) -> URIRef:
    """The IRI :func:`graph.model.mint` gives ``name``, typed ``cls`` and labelled ``name``."""
    node = model.mint(kind, name)
    graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(name, lang="en")))
    return node


def _source(graph: Graph, incident: URIRef, ref: SourceRef) -> URIRef:
    source = model.mint("source", ref.url)
    graph.add((incident, PROV.wasDerivedFrom, source))
    graph.add((source, RDF.type, HG.Source))
    graph.add((source, SCHEMA.url, URIRef(ref.url)))
    graph.add((source, DCTERMS.title, Literal(ref.title, lang="en")))
    graph.add((source, HG.sourceType, model.concept("source-type", source_type(ref.type))))
    if ref.issued:
        graph.add((source, DCTERMS.issued, date_literal(ref.issued)))
    return source


def source_type(text: str) -> str:
    """The ``hgv:source-type`` notation for a type as printed on the page.

    >>> source_type("news"), source_type("Press release"), source_type("blog")
    ('news', 'press-release', 'other')
    """
    slug = model.slugify(text)
    return slug if slug in SOURCE_TYPES else SOURCE_TYPE_ALIASES.get(slug, "other")


def outcome_type(label: str) -> str:
    """The ``hgv:outcome-type`` notation for an outcome label such as ``Legal Action``.

    >>> outcome_type("Regulatory Action"), outcome_type("Financial Impact"), outcome_type("Other")
    ('regulatory', 'financial', 'other')
    """
    first = label.split()[0].lower()
    return first if first in OUTCOME_TYPES else "other"


def date_literal(text: str) -> Literal:
    """An ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date`` literal for ISO text.

    >>> date_literal("2026").datatype == XSD.gYear, date_literal("2026-03").datatype
    (True, rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
    """
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return Literal(text, datatype=datatype)
