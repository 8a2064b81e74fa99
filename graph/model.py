"""Namespaces, vocabulary terms and IRI minting: the one place IRIs are made.

Every resource harmgraph creates lives under :data:`BASE` (overridable for a
deployment through ``HARMGRAPH_BASE_IRI`` only at the HTTP layer: the data
itself always uses the stable ``https://w3id.org/harmgraph/`` IRIs). IRI paths:

==================  =============================================  ==========================
kind                IRI                                            slug rule
==================  =============================================  ==========================
incident            ``{BASE}id/incident/{slug}``                   source identifier, e.g.
                                                                   ``inc-26-0068``, ``aiid-23``
actor               ``{BASE}id/actor/{slug}``                      canonical name
AI system           ``{BASE}id/system/{slug}``                     system name
harmed group        ``{BASE}id/group/{slug}``                      group label
source              ``{BASE}id/source/{sha1(url)[:16]}``           URL, normalised
timeline event      ``{BASE}id/incident/{slug}/event/{n}``         1-based order
outcome             ``{BASE}id/incident/{slug}/outcome/{n}``       1-based order
per-incident unknown ``{BASE}id/incident/{slug}/unknown/{role}``   role name
concept             ``{BASE}vocab/{scheme}/{notation}``            scheme-specific notation
AIID taxonomy       ``{BASE}vocab/aiid/{taxonomy}/{field}/{value}`` slugs of field and value
named graph         ``{BASE}graph/{name}``                         dataset name
import activity     ``{BASE}id/import/{key}``                      UTC time + random suffix
==================  =============================================  ==========================

Slugs are lower-case ASCII letters, digits and single hyphens (see :func:`slugify`);
they never change once published.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/harmgraph/"

HG = Namespace("https://w3id.org/harmgraph/ontology#")
"""The harmgraph ontology (``hg:``)."""
AIRO = Namespace("https://w3id.org/airo#")
DPV = Namespace("https://w3id.org/dpv#")
RISK = Namespace("https://w3id.org/dpv/risk#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOCAB = Namespace(BASE + "vocab/")
ID = Namespace(BASE + "id/")
GRAPHS = Namespace(BASE + "graph/")

ONTOLOGY_IRI = URIRef("https://w3id.org/harmgraph/ontology")
SHAPES_IRI = URIRef("https://w3id.org/harmgraph/shapes")

#: Prefixes bound in every serialisation and pre-declared in the query editor.
PREFIXES: dict[str, str] = {
    "hg": str(HG),
    "hgid": str(ID),
    "hgv": str(VOCAB),
    "airo": str(AIRO),
    "dpv": str(DPV),
    "risk": str(RISK),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
    "sh": str(SH),
}

#: Concept schemes (``{BASE}vocab/{name}``) shipped in ``data/vocab/``.
SCHEMES = (
    "severity",
    "status",
    "evidence",
    "source-type",
    "outcome-type",
    "actor-kind",
    "factor",
    "pattern",
    "domain",
    "harm-type",
    "region",
    "dataset",
)

#: Entity kinds that have their own IRI path segment.
KINDS = ("incident", "actor", "system", "group", "source")

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Turn a name into a stable IRI slug.

    Accents are folded to ASCII, everything but letters and digits becomes a
    single hyphen, and the result is lower case.

    >>> slugify("US Immigration and Customs Enforcement (ICE)")
    'us-immigration-and-customs-enforcement-ice'
    >>> slugify("  Palantir  Technologies ")
    'palantir-technologies'
    >>> slugify("Gesichtserkennung Zürich")
    'gesichtserkennung-zurich'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_STRIP.sub("-", folded.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot make a slug from {text!r}")
    return slug


def mint(kind: str, name: str) -> URIRef:
    """Mint the IRI of an entity of ``kind`` (one of :data:`KINDS`).

    ``name`` is slugified, except for sources, whose IRI is a hash of the URL.

    >>> mint("actor", "Palantir")
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/actor/palantir')
    >>> mint("incident", "INC-26-0068")
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/incident/inc-26-0068')
    >>> mint("source", "https://aclu.org/")
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/source/065388d1bc61d49b')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind == "source":
        return ID[f"source/{source_key(name)}"]
    return ID[f"{kind}/{slugify(name)}"]


def source_key(url: str) -> str:
    """The stable key of a source URL: the first 16 hex digits of its SHA-1.

    Trailing slashes and the scheme's case do not change the key.

    >>> source_key("https://aclu.org") == source_key("HTTPS://aclu.org/")
    True
    """
    normalised = url.strip()
    scheme, sep, rest = normalised.partition("://")
    normalised = (scheme.lower() + sep + rest).rstrip("/") + "/"
    return hashlib.sha1(normalised.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def part(incident: URIRef, kind: str, n: int | str) -> URIRef:
    """Mint the IRI of a part of an incident: ``event``, ``outcome`` or ``unknown``.

    >>> part(mint("incident", "INC-26-0068"), "event", 1)
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/incident/inc-26-0068/event/1')
    >>> part(mint("incident", "aiid-5"), "unknown", "developer")
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/incident/aiid-5/unknown/developer')
    """
    if kind not in ("event", "outcome", "unknown"):
        raise ValueError(f"unknown incident part {kind!r}")
    return URIRef(f"{incident}/{kind}/{n}")


def concept(scheme: str, notation: str) -> URIRef:
    """The IRI of a concept in one of the shipped :data:`SCHEMES`.

    >>> concept("severity", "high")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/severity/high')
    >>> concept("pattern", "PAT-PRI-003")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/pattern/PAT-PRI-003')
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown concept scheme {scheme!r}")
    return VOCAB[f"{scheme}/{notation}"]


def scheme(name: str) -> URIRef:
    """The IRI of a concept scheme.

    >>> scheme("status")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/status')
    """
    if name not in SCHEMES:
        raise ValueError(f"unknown concept scheme {name!r}")
    return VOCAB[name]


def named_graph(name: str) -> URIRef:
    """The IRI of the named graph that holds one import source's data.

    >>> named_graph("curated")
    rdflib.term.URIRef('https://w3id.org/harmgraph/graph/curated')
    """
    return GRAPHS[slugify(name)]


META_GRAPH = GRAPHS["meta"]
"""Named graph holding provenance of imports (one ``prov:Activity`` per import)."""
VOCAB_GRAPH = GRAPHS["vocab"]
"""Named graph holding the SKOS vocabularies and the ontology."""


def import_activity(key: str) -> URIRef:
    """The IRI of one import (a ``prov:Activity`` in :data:`META_GRAPH`).

    ``key`` is made by :mod:`graph.ingest` from the UTC start time and a random suffix.

    >>> import_activity("20260101T120000Z-1a2b3c4d")
    rdflib.term.URIRef('https://w3id.org/harmgraph/id/import/20260101t120000z-1a2b3c4d')
    """
    return ID[f"import/{slugify(key)}"]


def taxonomy_scheme(taxonomy: str, field: str) -> URIRef:
    """The concept scheme of one field of an AIID taxonomy (MIT, GMF, CSETv1).

    ``{BASE}vocab/aiid/{taxonomy-slug}/{field-slug}``.

    >>> taxonomy_scheme("CSETv1", "Harm Domain")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/aiid/csetv1/harm-domain')
    """
    return VOCAB[f"aiid/{slugify(taxonomy)}/{slugify(field)}"]


def taxonomy_concept(taxonomy: str, field: str, value: str) -> URIRef:
    """The concept for one value of one field of an AIID taxonomy.

    ``{BASE}vocab/aiid/{taxonomy-slug}/{field-slug}/{value-slug}``.

    >>> taxonomy_concept("GMF", "Known AI Technology", "Transformer")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/aiid/gmf/known-ai-technology/transformer')
    """
    return URIRef(f"{taxonomy_scheme(taxonomy, field)}/{slugify(value)}")


def curie(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """A compact name ``prefix:local`` for ``iri``, or the IRI itself when no prefix fits.

    >>> curie("https://w3id.org/harmgraph/ontology#developer")
    'hg:developer'
    >>> curie("https://w3id.org/harmgraph/id/actor/palantir")
    'hgid:actor/palantir'
    >>> curie("http://example.org/x")
    'http://example.org/x'
    """
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri
