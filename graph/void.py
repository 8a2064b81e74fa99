"""The dataset description: VoID and DCAT for the whole graph, its named graphs and dumps.

:func:`describe` says what the store holds (triples, per named graph too), under
which licence (CC BY-SA 4.0 as soon as AI Incident Database data is included,
CC BY 4.0 otherwise), where it came from, when it last changed, and where to get
it: the SPARQL endpoint and one dump per format, each a ``dcat:Distribution``
with its media type. The dataset's IRI identifies it; the access URLs are where
the caller serves it (the HTTP layer passes its own base URL).

>>> from graph.store import Store
>>> ds = "https://w3id.org/harmgraph/.well-known/void#dataset"
>>> g = describe(Store.open("memory"), dataset=ds, base_url="http://127.0.0.1:8000/")
>>> g.value(URIRef(ds), DCTERMS.license)
rdflib.term.URIRef('https://creativecommons.org/licenses/by/4.0/')
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD
from rdflib.term import Node

from graph import model, queries
from graph.io import FORMATS
from graph.store import Store
from graph.versions import store_version

#: harmgraph's own data and vocabularies.
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: The AI Incident Database's licence (share-alike), inherited by any dump that includes it.
CC_BY_SA = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
AIID_GRAPH = model.named_graph("aiid")
#: Where the imported data comes from, by named graph.
SOURCES = {
    AIID_GRAPH: URIRef("https://incidentdatabase.ai/"),
    model.named_graph("topaithreats"): URIRef("https://topaithreats.com/"),
}
#: The vocabularies the data uses (namespace IRIs, as void:vocabulary expects).
VOCABULARIES = ("hg", "airo", "dpv", "risk", "prov", "skos", "dcterms", "schema")
#: Dump file extension per format name (``/dump.{ext}``).
DUMPS = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig", "jsonld": "jsonld"}
_FORMAT_IRIS = {
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "jsonld": "JSON-LD",
}
_IANA = "https://www.iana.org/assignments/media-types/"
_Triple = tuple[Node, Node, Node]


def includes_aiid(store: Store) -> bool:
    """Whether AI Incident Database data (CC BY-SA 4.0) is in the store.

    >>> includes_aiid(Store.open("memory"))
    False
    """
    return next(store.quads(graph=str(AIID_GRAPH)), None) is not None


def licence(store: Store) -> URIRef:
    """The licence of the whole graph: CC BY-SA 4.0 with AIID data, else CC BY 4.0.

    >>> licence(Store.open("memory"))
    rdflib.term.URIRef('https://creativecommons.org/licenses/by/4.0/')
    """
    return CC_BY_SA if includes_aiid(store) else CC_BY


def describe(store: Store, *, dataset: str, base_url: str) -> Graph:
    """The VoID/DCAT description of the store.

    Args:
        store: the store described.
        dataset: the dataset's IRI.
        base_url: where the SPARQL endpoint and dumps are served (ends with ``/``).
    """
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS)):
        g.bind(prefix, ns)
    ds = URIRef(dataset)
    version = store_version(store)
    sizes = _graph_sizes(store)
    aiid = sizes.get(AIID_GRAPH, 0) > 0
    data_licence = CC_BY_SA if aiid else CC_BY
    for t in (
        (ds, RDF.type, VOID.Dataset),
        (ds, RDF.type, DCAT.Dataset),
        (ds, DCTERMS.title, Literal("harmgraph: a knowledge graph of AI incidents", lang="en")),
        (ds, DCTERMS.description, Literal(_DESCRIPTION, lang="en")),
        (ds, DCTERMS.license, data_licence),
        (ds, VOID.triples, Literal(version.quads)),
        (ds, VOID.sparqlEndpoint, URIRef(base_url + "sparql")),
        (ds, VOID.uriSpace, Literal(str(model.ID))),
        (ds, DCTERMS.conformsTo, model.SHAPES_IRI),
    ):
        g.add(t)
    if version.last_import is not None:
        g.add(
            (ds, DCTERMS.modified, Literal(version.last_import.isoformat(), datatype=XSD.dateTime))
        )
    for graph, source in SOURCES.items():
        if sizes.get(graph, 0):
            g.add((ds, DCTERMS.source, source))
    for prefix in VOCABULARIES:
        g.add((ds, VOID.vocabulary, URIRef(model.PREFIXES[prefix])))
    for triple in _distributions(ds, base_url, data_licence):
        g.add(triple)
    modified = _graph_modified(store)
    for graph, n in sizes.items():
        g.add((ds, VOID.subset, graph))
        g.add((graph, RDF.type, VOID.Dataset))
        g.add((graph, VOID.triples, Literal(n)))
        g.add((graph, DCTERMS.license, CC_BY_SA if graph == AIID_GRAPH else CC_BY))
        if graph in SOURCES:
            g.add((graph, DCTERMS.source, SOURCES[graph]))
        if graph in modified:
            g.add((graph, DCTERMS.modified, modified[graph]))
    return g


_DESCRIPTION = (
    "An open RDF knowledge graph of AI incidents: who developed and deployed which AI "
    "system, who was harmed, the contributing factors, outcomes and sources. Curated "
    "incidents, the AI Incident Database and TopAIThreats, one named graph per source."
)


def _distributions(ds: URIRef, base_url: str, data_licence: URIRef) -> Iterator[_Triple]:
    for ext, name in DUMPS.items():
        fmt = FORMATS[name]
        url = URIRef(f"{base_url}dump.{ext}")
        dist = BNode(f"dump-{ext}")
        union = "" if fmt.dataset else " (the union of all named graphs)"
        yield ds, VOID.dataDump, url
        yield ds, DCAT.distribution, dist
        yield dist, RDF.type, DCAT.Distribution
        yield dist, DCTERMS.title, Literal(f"{fmt.label} dump{union}", lang="en")
        yield dist, DCAT.downloadURL, url
        yield dist, DCAT.accessURL, url
        yield dist, DCAT.mediaType, URIRef(_IANA + fmt.media_type)
        yield dist, DCTERMS.format, URIRef(f"http://www.w3.org/ns/formats/{_FORMAT_IRIS[name]}")
        yield dist, DCTERMS.license, data_licence
    endpoint = URIRef(base_url + "sparql")
    service, access = BNode("sparql"), BNode("sparql-access")
    yield ds, DCAT.distribution, access
    yield access, RDF.type, DCAT.Distribution
    yield access, DCAT.accessURL, endpoint
    yield access, DCAT.accessService, service
    yield service, RDF.type, DCAT.DataService
    yield service, DCAT.endpointURL, endpoint
    yield service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")
    yield service, DCAT.servesDataset, ds


def _graph_sizes(store: Store) -> dict[URIRef, int]:
    rows = store.select(queries.GRAPH_SIZES, prefixes=None)
    out = {}
    for row in rows:
        g, n = row["g"], row["n"]
        if isinstance(g, ox.NamedNode) and isinstance(n, ox.Literal):
            out[URIRef(g.value)] = int(n.value)
    return out


def _graph_modified(store: Store) -> dict[URIRef, Literal]:
    rows = store.select(queries.GRAPH_MODIFIED, named_graphs=[str(model.META_GRAPH)])
    out = {}
    for row in rows:
        g, m = row["g"], row["modified"]
        if isinstance(g, ox.NamedNode) and isinstance(m, ox.Literal):
            out[URIRef(g.value)] = Literal(m.value, datatype=XSD.dateTime)
    return out
