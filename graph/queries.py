"""Named SPARQL queries: the only SPARQL text in :mod:`graph`.

Queries are constants; values reach them through substitutions (pyoxigraph)
or ``initBindings`` (rdflib), never through string building.
"""

from __future__ import annotations

from graph.model import META_GRAPH, PREFIXES, VOCAB_GRAPH

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

#: Each incident with the named graph it lives in, its identifier and its title (one of
#: each, for lists such as the data-quality report).
INCIDENT_NAMES = (
    PROLOGUE
    + """
SELECT ?i ?g (SAMPLE(?id0) AS ?id) (SAMPLE(?title0) AS ?title) WHERE {
  GRAPH ?g { ?i a hg:Incident }
  OPTIONAL { ?i dcterms:identifier ?id0 }
  OPTIONAL { ?i dcterms:title ?title0 }
} GROUP BY ?i ?g
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

# ---------------------------------------------------------------- network (graph.network_build)
# One row per fact, streamed; graph.network_build folds them into a networkx graph.

#: Max ``prov:endedAtTime`` of the imports recorded in the meta graph (with the quad
#: count, the store's "generation": see :func:`graph.network_build.store_generation`).
LAST_IMPORT = (
    PROLOGUE
    + """
SELECT (MAX(STR(?t)) AS ?last) WHERE { GRAPH ?meta { ?a a prov:Activity ; prov:endedAtTime ?t } }
"""
)

#: The store's state for validators (:func:`graph.versions.store_version`): the latest
#: ``prov:endedAtTime`` of any recorded activity (imports and SPARQL Updates) and the
#: count of SPARQL Updates (``schema:version`` of the update activity).
STORE_STATE = (
    PROLOGUE
    + """
SELECT ?last ?revision WHERE {
  { SELECT (MAX(STR(?t)) AS ?last)
    WHERE { GRAPH ?meta { ?a a prov:Activity ; prov:endedAtTime ?t } } }
  { SELECT (MAX(?n) AS ?revision) WHERE { GRAPH ?meta { ?u schema:version ?n } } }
}
"""
)

#: Appended to every SPARQL Update request (same transaction) by the endpoint: the update
#: activity's end time becomes ``%(when)s`` (an xsd:dateTime literal the caller renders)
#: and its ``schema:version`` counts one more update. Full IRIs only: a request's own
#: PREFIX declarations stay in force after ``;``. See :func:`graph.versions.change_record`.
#: Two operations, the version read by an aggregate sub-select: Virtuoso 7.2 drops the
#: solution when a DELETE template holds a variable that an OPTIONAL left unbound, or
#: when ``BIND(COALESCE(?n + 1, 1) …)`` follows an OPTIONAL that left ``?n`` unbound.
RECORD_CHANGE = """
DELETE { GRAPH %(meta)s { %(activity)s <http://www.w3.org/ns/prov#endedAtTime> ?old } }
WHERE { GRAPH %(meta)s { %(activity)s <http://www.w3.org/ns/prov#endedAtTime> ?old } } ;
DELETE { GRAPH %(meta)s { %(activity)s <https://schema.org/version> ?n } }
INSERT { GRAPH %(meta)s {
  %(activity)s a <http://www.w3.org/ns/prov#Activity> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "SPARQL Updates through the endpoint" ;
    <http://www.w3.org/ns/prov#endedAtTime> %(when)s ;
    <https://schema.org/version> ?next } }
WHERE {
  { SELECT (MAX(?v) AS ?n)
    WHERE { OPTIONAL { GRAPH %(meta)s { %(activity)s <https://schema.org/version> ?v } } } }
  BIND(COALESCE(?n + 1, 1) AS ?next)
}
"""

#: Incidents: the named graph each is typed in, identifier, title, dates and assessments.
NETWORK_INCIDENTS = (
    PROLOGUE
    + """
SELECT ?i ?g ?id ?title ?date ?severity ?status ?evidence WHERE {
  GRAPH ?g { ?i a hg:Incident }
  OPTIONAL { GRAPH ?g { ?i dcterms:identifier ?id } }
  OPTIONAL { GRAPH ?g { ?i dcterms:title ?title } }
  OPTIONAL { GRAPH ?g { ?i dcterms:date ?date } }
  OPTIONAL { GRAPH ?g { ?i hg:severity ?severity } }
  OPTIONAL { GRAPH ?g { ?i hg:status ?status } }
  OPTIONAL { GRAPH ?g { ?i hg:evidenceLevel ?evidence } }
}
"""
)

#: Multi-valued incident facets used by the network filters; threat patterns and regions
#: are widened to their broader concepts (an incident in ``US`` is in ``north-america``).
NETWORK_FACETS = (
    PROLOGUE
    + """
SELECT ?i ?facet ?v WHERE {
  { ?i a hg:Incident ; hg:threatPattern/skos:broader* ?v . BIND("pattern" AS ?facet) }
  UNION { ?i a hg:Incident ; hg:domain ?v . BIND("domain" AS ?facet) }
  UNION { ?i a hg:Incident ; dcterms:spatial/skos:broader* ?v . BIND("region" AS ?facet) }
}
"""
)

#: Every incident--party link with its role. ``?i`` is not type-checked (that triples the
#: cost); AI systems also carry ``hg:developer``, so callers keep only known incidents.
NETWORK_ROLES = (
    PROLOGUE
    + """
SELECT DISTINCT ?i ?role ?e WHERE {
  VALUES (?p ?role) {
    (hg:developer "developer") (hg:deployer "deployer") (hg:aiSystem "system")
    (hg:harmedGroup "harmed") (hg:implicated "implicated") (hg:oversight "oversight")
    (hg:reportedBy "reported")
  }
  ?i ?p ?e .
}
"""
)

#: Actors, AI systems, harmed groups and explicit unknowns, with their label in each graph.
NETWORK_ENTITIES = (
    PROLOGUE
    + """
SELECT ?e ?class ?g ?label WHERE {
  VALUES ?class { hg:Actor hg:AISystem hg:HarmedGroup hg:Unknown }
  GRAPH ?g { ?e a ?class }
  OPTIONAL { GRAPH ?g { ?e rdfs:label ?label } }
}
"""
)

#: Aliases and acronyms (``skos:altLabel``) of parties.
NETWORK_ALIASES = (
    PROLOGUE
    + """
SELECT DISTINCT ?e ?alias WHERE {
  VALUES ?class { hg:Actor hg:AISystem hg:HarmedGroup }
  ?e a ?class ; skos:altLabel ?alias .
}
"""
)

#: Links between parties outside incidents: who developed a system, parent organisations.
NETWORK_LINKS = (
    PROLOGUE
    + """
SELECT DISTINCT ?a ?link ?b WHERE {
  { ?a a hg:AISystem ; hg:developer ?b . BIND("system-developer" AS ?link) }
  UNION { ?a a hg:Actor ; schema:parentOrganization ?b . BIND("parent" AS ?link) }
}
"""
)

#: The sources behind each incident (URL, title, publisher), for path sentences.
NETWORK_SOURCES = (
    PROLOGUE
    + """
SELECT DISTINCT ?i ?url ?title ?publisher WHERE {
  ?i a hg:Incident ; prov:wasDerivedFrom ?s .
  ?s schema:url ?url .
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s dcterms:publisher ?publisher }
}
"""
)

#: The description of one resource (``?s`` substituted), for Turtle exports of a view.
DESCRIBE_RESOURCE = (
    PROLOGUE
    + """
CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }
"""
)

#: The sources of one incident (``?s`` substituted) and their descriptions.
DESCRIBE_SOURCES = (
    PROLOGUE
    + """
CONSTRUCT { ?src ?p ?o } WHERE { ?s prov:wasDerivedFrom ?src . ?src ?p ?o }
"""
)

#: Triples per named graph, for the dataset description (void:subset).
GRAPH_SIZES = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""

#: When each named graph was last written, as recorded by imports in the meta graph
#: (pass the meta graph as ``named_graphs``).
GRAPH_MODIFIED = (
    PROLOGUE
    + """
SELECT ?g ?modified WHERE { GRAPH ?meta { ?g a prov:Entity ; dcterms:modified ?modified } }
"""
)

#: Candidate ``(?a, ?l)`` actor labels for one name key (graph.resolve): labels outside the
#: meta and vocabulary graphs that contain ``?p1``, ``?p2`` and ``?p3`` (substituted; "" matches
#: anything) once lower-cased without apostrophes and dots, or that hold a character outside
#: printable ASCII (accents and ligatures fold in :func:`graph.names.name_key`, not here).
#: A superset: the caller keeps the labels whose name key is the one it looks for.
ACTOR_LABEL_CANDIDATES = (
    PROLOGUE
    + """
SELECT DISTINCT ?a ?l ?p1 ?p2 ?p3 WHERE {
  GRAPH ?tg { ?a a hg:Actor }
  GRAPH ?lg { ?a rdfs:label ?l }
  FILTER(?lg NOT IN (<"""
    + str(META_GRAPH)
    + ">, <"
    + str(VOCAB_GRAPH)
    + """>))
  BIND(REPLACE(LCASE(STR(?l)), "['`.]", "") AS ?folded)
  FILTER((CONTAINS(?folded, ?p1) && CONTAINS(?folded, ?p2) && CONTAINS(?folded, ?p3))
         || REGEX(STR(?l), "[^ -~]"))
  FILTER(isIRI(?a))
}
"""
)
