"""A suggested citation and a BibTeX entry for an incident, from its description.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix dcterms: <http://purl.org/dc/terms/> .
... @prefix prov: <http://www.w3.org/ns/prov#> .
... <https://w3id.org/harmgraph/id/incident/x> dcterms:identifier "X-1" ;
...     dcterms:title "Costs $30M & more" ; dcterms:modified "2026-03-29" ;
...     prov:wasDerivedFrom <https://w3id.org/harmgraph/id/source/a> .
... <https://w3id.org/harmgraph/id/source/a> dcterms:publisher "ACLU" .
... ''', format="turtle")
>>> c = cite(g, "https://w3id.org/harmgraph/id/incident/x")
>>> c.text
'harmgraph contributors (2026). “Costs $30M & more” (X-1). harmgraph, derived from ACLU. https://w3id.org/harmgraph/id/incident/x'
>>> print(c.bibtex)
@misc{harmgraph-x-1,
  title = {Costs \\$30M \\& more},
  author = {{harmgraph contributors}},
  howpublished = {\\url{https://w3id.org/harmgraph/id/incident/x}},
  year = {2026},
  note = {harmgraph, derived from ACLU}
}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from graph.model import SCHEMA

_BIBTEX_SPECIAL = re.compile(r"[\\{}$&%#_^~]")
_BIBTEX_WORDS = {"\\": "\\textbackslash{}", "^": "\\textasciicircum{}", "~": "\\textasciitilde{}"}
_YEAR = re.compile(r"^(\d{4})")


@dataclass(frozen=True)
class Citation:
    """How to cite one incident: plain text and BibTeX."""

    text: str
    bibtex: str


def cite(graph: Graph, iri: str) -> Citation:
    """Cite the incident ``iri`` described in ``graph`` (see :func:`graph.describe.describe`).

    The year is that of the last update, else of the incident; the sources are
    named by publisher, else title, else URL.
    """
    node = URIRef(iri)
    identifier = str(graph.value(node, DCTERMS.identifier) or iri.rsplit("/", 1)[-1])
    title = str(graph.value(node, DCTERMS.title) or identifier)
    year = _year(graph, node)
    sources = sorted({_source_name(graph, s) for s in graph.objects(node, PROV.wasDerivedFrom)})
    note = "harmgraph, derived from " + ", ".join(sources) if sources else "harmgraph"
    when = f" ({year})" if year else ""
    text = f"harmgraph contributors{when}. “{title}” ({identifier}). {note}. {iri}"
    fields = [
        ("title", _escape(title)),
        ("author", "{harmgraph contributors}"),
        ("howpublished", "\\url{" + iri + "}"),
        *([("year", year)] if year else []),
        ("note", _escape(note)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = "harmgraph-" + re.sub(r"[^a-z0-9]+", "-", identifier.lower()).strip("-")
    return Citation(text=text, bibtex=f"@misc{{{key},\n{body}\n}}")


def _year(graph: Graph, node: URIRef) -> str | None:
    for prop in (DCTERMS.modified, DCTERMS.date):
        years = sorted(m.group(1) for v in graph.objects(node, prop) if (m := _YEAR.match(str(v))))
        if years:
            return years[-1]
    return None


def _source_name(graph: Graph, source: Node) -> str:
    for prop in (DCTERMS.publisher, DCTERMS.title, SCHEMA.url):
        value = graph.value(source, prop)
        if value is not None:
            return str(value)
    return str(source)


def _escape(text: str) -> str:
    """Escape BibTeX's special characters so any title is a valid field value."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_WORDS.get(m.group(0), "\\" + m.group(0)), text)
