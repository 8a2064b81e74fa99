"""The SPARQL 1.1 Service Description of the endpoint (answered on GET without a query).

See https://www.w3.org/TR/sparql11-service-description/.

>>> b"sd:UnionDefaultGraph" in describe("http://localhost/sparql", writable=False)
True
"""

from __future__ import annotations

import pyoxigraph as ox

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "TriG",
    "N-Quads",
)
_PREFIXES = {"sd": _SD, "formats": _FORMATS, "dcterms": "http://purl.org/dc/terms/"}


def describe(endpoint: str, *, writable: bool, format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """Serialise the service description of the endpoint at ``endpoint``."""
    service = ox.NamedNode(endpoint)

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(_SD + name)

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/title"),
            ox.Literal("harmgraph SPARQL endpoint", language="en"),
        ),
        ox.Triple(
            service,
            sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
    ]
    if writable:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    triples += [
        ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS + name))
        for name in _RESULT_FORMATS
    ]
    return ox.serialize(triples, format=format, prefixes=_PREFIXES) or b""
