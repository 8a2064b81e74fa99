"""Media types the SPARQL endpoint answers with, mapped to pyoxigraph formats.

Each table lists offers in order of preference (the first is the default when
the client sends no Accept header); aliases that clients commonly send map to
the same serialiser but are answered with the canonical media type.

>>> results_format("application/json").name
'SPARQL Results in JSON'
>>> canonical("application/x-turtle")
'text/turtle'
"""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat

#: SELECT and ASK results: offered media type -> (canonical type, format).
RESULTS: dict[str, tuple[str, QueryResultsFormat]] = {
    "application/sparql-results+json": ("application/sparql-results+json", QueryResultsFormat.JSON),
    "application/sparql-results+xml": ("application/sparql-results+xml", QueryResultsFormat.XML),
    "text/csv": ("text/csv", QueryResultsFormat.CSV),
    "text/tab-separated-values": ("text/tab-separated-values", QueryResultsFormat.TSV),
    "application/json": ("application/sparql-results+json", QueryResultsFormat.JSON),
    "application/xml": ("application/sparql-results+xml", QueryResultsFormat.XML),
    "text/xml": ("application/sparql-results+xml", QueryResultsFormat.XML),
}

#: CONSTRUCT and DESCRIBE results (and the service description).
GRAPHS: dict[str, tuple[str, RdfFormat]] = {
    "text/turtle": ("text/turtle", RdfFormat.TURTLE),
    "application/n-triples": ("application/n-triples", RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("application/rdf+xml", RdfFormat.RDF_XML),
    "application/ld+json": ("application/ld+json", RdfFormat.JSON_LD),
    "application/trig": ("application/trig", RdfFormat.TRIG),
    "application/n-quads": ("application/n-quads", RdfFormat.N_QUADS),
    "application/turtle": ("text/turtle", RdfFormat.TURTLE),
    "application/x-turtle": ("text/turtle", RdfFormat.TURTLE),
    "text/n3": ("text/turtle", RdfFormat.TURTLE),
    "text/rdf+n3": ("text/turtle", RdfFormat.TURTLE),
    "application/x-json+ld": ("application/ld+json", RdfFormat.JSON_LD),
}


def offers(form: str) -> list[str]:
    """The media types offered for a query form, in order of preference.

    >>> offers("ASK")[0]
    'application/sparql-results+json'
    """
    return list(GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else RESULTS)


def canonical(media_type: str) -> str:
    """The media type a response carries for a negotiated offer."""
    return (RESULTS.get(media_type) or GRAPHS[media_type])[0]


def results_format(media_type: str) -> QueryResultsFormat:
    """The pyoxigraph results format for an offered SELECT/ASK media type."""
    return RESULTS[media_type][1]


def graph_format(media_type: str) -> RdfFormat:
    """The pyoxigraph RDF format for an offered CONSTRUCT/DESCRIBE media type."""
    return GRAPHS[media_type][1]
