"""Named SPARQL queries: the only SPARQL text in :mod:`graph`.

Queries are constants; values reach them through substitutions (pyoxigraph)
or ``initBindings`` (rdflib), never through string building.
"""

from __future__ import annotations

from graph.model import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

#: Number of resources of each main class, across all graphs.
STATS = (
    PROLOGUE
    + """
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES (?class ?kind) {
    (hg:Incident "incidents") (hg:Actor "actors") (hg:AISystem "AI systems")
    (hg:HarmedGroup "harmed groups") (hg:Source "sources") (hg:Unknown "explicit unknowns")
  }
  GRAPH ?g { ?s a ?class }
} GROUP BY ?kind ORDER BY ?kind
"""
)

#: Incidents per named graph (import source).
INCIDENTS_PER_GRAPH = (
    PROLOGUE
    + """
SELECT ?g (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH ?g { ?i a hg:Incident } }
GROUP BY ?g ORDER BY ?g
"""
)

#: Every incident IRI in the store.
ALL_INCIDENTS = (
    PROLOGUE
    + """
SELECT DISTINCT ?i WHERE { GRAPH ?g { ?i a hg:Incident } } ORDER BY ?i
"""
)

#: Each incident with the named graph (import source) it lives in.
INCIDENT_GRAPHS = (
    PROLOGUE
    + """
SELECT ?i ?g WHERE { GRAPH ?g { ?i a hg:Incident } }
"""
)

#: What the home page says the graph holds: resources per class and incidents
#: per source dataset (``?kind`` is the dataset concept's IRI for the latter).
OVERVIEW = (
    PROLOGUE
    + """
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {
  {
    VALUES (?class ?kind) {
      (hg:Incident "incidents") (hg:Actor "actors") (hg:AISystem "systems")
      (hg:HarmedGroup "groups") (hg:Source "sources")
    }
    ?s a ?class
  } UNION {
    ?s a hg:Incident ; hg:sourceDataset ?dataset .
    BIND(STR(?dataset) AS ?kind)
  }
} GROUP BY ?kind
"""
)

#: The latest ``dcterms:modified`` of any named graph, as recorded by imports in
#: the meta graph ``?meta`` (the variable is projected: substitutions need it).
LAST_MODIFIED = (
    PROLOGUE
    + """
SELECT ?meta (MAX(?modified) AS ?last) WHERE { GRAPH ?meta { ?g dcterms:modified ?modified } }
GROUP BY ?meta
"""
)

#: Whether the named graph ``?g`` holds any triple.
GRAPH_NONEMPTY = "ASK { GRAPH ?g { ?s ?p ?o } }"

#: The parts of ``?iri`` described with it: an incident's timeline events,
#: outcomes and own unknowns (IRIs under the incident's).
PARTS = (
    PROLOGUE
    + """
SELECT ?iri ?part WHERE {
  { ?iri hg:timelineEvent|hg:outcome ?part }
  UNION {
    ?iri hg:developer|hg:deployer|hg:aiSystem|hg:harmedGroup ?part .
    ?part a hg:Unknown .
    FILTER(STRSTARTS(STR(?part), CONCAT(STR(?iri), "/")))
  }
}
"""
)

#: The triples of ``?s``, one level of blank nodes, and the types, labels, URLs and
#: publishers of everything ``?s`` points to. (``?s`` must be in the template:
#: pyoxigraph substitutes only variables the query returns.)
DESCRIBE = (
    PROLOGUE
    + """
CONSTRUCT { ?s ?p ?o . ?o a ?type . ?o ?lp ?label . ?o ?bp ?bo . }
WHERE {
  ?s ?p ?o .
  OPTIONAL { ?o a ?type }
  OPTIONAL {
    VALUES ?lp { rdfs:label skos:prefLabel dcterms:title schema:url dcterms:publisher }
    ?o ?lp ?label
  }
  OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo }
}
"""
)

#: Whether ``?iri`` is the subject of any triple.
EXISTS = "ASK { ?iri ?p ?o }"

#: How many resources link to ``?iri``, per property (``?iri`` is projected, as
#: pyoxigraph substitutions into a grouped SELECT require).
INCOMING_COUNTS = """
SELECT ?iri ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?iri FILTER(!isBlank(?s)) }
GROUP BY ?iri ?p
"""

#: Resources that link to ``?iri`` (at most 1000), with a label, a type, a date and
#: the severity, newest first within each property.
INCOMING = (
    PROLOGUE
    + """
SELECT ?iri ?s ?p (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (MAX(?d) AS ?date)
       (SAMPLE(?sevLabel) AS ?severity)
WHERE {
  ?s ?p ?iri .
  FILTER(!isBlank(?s))
  OPTIONAL { ?s dcterms:title|rdfs:label|skos:prefLabel ?l }
  OPTIONAL { ?s a ?t }
  OPTIONAL { ?s dcterms:date ?d }
  OPTIONAL { ?s hg:severity/skos:prefLabel ?sevLabel }
}
GROUP BY ?iri ?s ?p ORDER BY ?p DESC(?date) ?label LIMIT 1000
"""
)
