"""The AIID taxonomy classifications (MIT, GMF, CSETv1) as SKOS concepts.

Each classified field becomes a ``skos:ConceptScheme`` (:func:`graph.model.taxonomy_scheme`)
and each value a ``skos:Concept`` in it (:func:`graph.model.taxonomy_concept`), linked from
the incident by the one property ``hg:classification``, so a single SPARQL query can join,
say, a CSETv1 harm field with a GMF technology.

Only rows whose ``Published`` column is ``True`` are read by default: AIID shows only
published classifications on its incident pages; the others are drafts awaiting review
(in the February 2026 snapshot 285 of 326 GMF rows and 6 of 214 CSETv1 rows).

Free-text CSETv1 fields (notes, entities, AI task, data inputs, physical system) are left
out: their values are prose, not categories anyone joins on.

>>> split_values("Arts, entertainment and recreation, Education", CSET_SECTORS)
['Arts, entertainment and recreation', 'Education']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from graph import model
from graph.importers.aiid_csv import Row, read_rows
from graph.model import HG

#: Where the classifications come from (the snapshot page; each taxonomy is browsable there).
SNAPSHOTS_URL = URIRef("https://incidentdatabase.ai/research/snapshots/")

#: CSETv1 sector values that contain a comma themselves (ISIC section names).
CSET_SECTORS = (
    "Arts, entertainment and recreation",
    "professional, scientific and technical activities",
)
#: CSETv1 harm-distribution values that contain a comma themselves.
CSET_BASES = (
    "nation of origin, citizenship, immigrant status",
    "familial status (e.g., having or not having children) or pregnancy",
)

#: Cell values that mean "not annotated".
_BLANK = frozenset({"", "--", "-"})
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.\s")


@dataclass(frozen=True)
class Field:
    """One classified column: split into several values when ``multi``."""

    column: str
    multi: bool = False
    #: Values that contain the separator and must not be split.
    compounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """One AIID taxonomy file and the columns harmgraph reads from it."""

    name: str
    file: str
    fields: tuple[Field, ...]


TAXONOMIES = (
    Taxonomy(
        "MIT",
        "classifications_MIT.csv",
        tuple(Field(c) for c in ("Risk Domain", "Risk Subdomain", "Entity", "Intent", "Timing")),
    ),
    Taxonomy(
        "GMF",
        "classifications_GMF.csv",
        tuple(
            Field(f"{kind} AI {what}", multi=True)
            for what in ("Goal", "Technology", "Technical Failure")
            for kind in ("Known", "Potential")
        ),
    ),
    Taxonomy(
        "CSETv1",
        "classifications_CSETv1.csv",
        (
            Field("Harm Domain"),
            Field("Tangible Harm"),
            Field("AI Harm Level"),
            Field("Impact on Critical Services"),
            Field("Rights Violation"),
            Field("Involving Minor"),
            Field("Detrimental Content"),
            Field("Protected Characteristic"),
            Field("Harm Distribution Basis", multi=True, compounds=CSET_BASES),
            Field("Special Interest Intangible Harm"),
            Field("Location Region"),
            Field("Infrastructure Sectors", multi=True),
            Field("Sector of Deployment", multi=True, compounds=CSET_SECTORS),
            Field("Public Sector Deployment"),
            Field("Autonomy Level"),
            Field("Intentional Harm"),
            Field("Multiple AI Interaction"),
            Field("Embedded"),
        ),
    ),
)

#: CSETv1 column holding the ISO 3166-1 alpha-2 country, mapped to ``dcterms:spatial``.
COUNTRY_COLUMN = "Location Country (two letters)"
#: Country names seen instead of codes in that column.
_COUNTRY_NAMES = {"united states": "US"}
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def split_values(cell: str, compounds: Iterable[str] = ()) -> list[str]:
    """Split a comma-separated cell into distinct values, keeping ``compounds`` whole.

    >>> split_values("Face Detection, Visual Object Detection, Face Detection")
    ['Face Detection', 'Visual Object Detection']
    >>> split_values("race, nation of origin, citizenship, immigrant status", CSET_BASES)
    ['race', 'nation of origin, citizenship, immigrant status']
    """
    kept = list(compounds)
    protected = cell
    for i, compound in enumerate(kept):
        protected = re.sub(re.escape(compound), f"\x00{i}\x00", protected, flags=re.IGNORECASE)
    values: list[str] = []
    for raw in protected.split(","):
        value = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], raw).strip()
        if value not in _BLANK and value not in values:
            values.append(value)
    return values


def cell_values(spec: Field, cell: str) -> list[str]:
    """The values of one cell of ``spec``: one, several, or none for a blank cell.

    >>> cell_values(Field("Risk Domain"), "7. AI system safety, failures, and limitations")
    ['7. AI system safety, failures, and limitations']
    >>> cell_values(Field("Harm Domain"), "--")
    []
    """
    if spec.multi:
        return split_values(cell, spec.compounds)
    value = cell.strip()
    return [] if value in _BLANK else [value]


def mit_pattern(subdomain: str) -> tuple[URIRef, str, str] | None:
    """The threat-pattern concept, notation and label for a numbered MIT risk subdomain.

    >>> mit_pattern("4.3. Fraud, scams, and targeted manipulation")[1:]
    ('MIT-4.3', 'Fraud, scams, and targeted manipulation')
    >>> mit_pattern("Other") is None
    True
    """
    match = _NUMBERED.match(subdomain)
    if match is None:
        return None
    notation = f"MIT-{match[1]}"
    return model.concept("pattern", notation), notation, subdomain[match.end() :].strip()


def country(cell: str) -> URIRef | None:
    """The ``hgv:region`` concept for a CSETv1 country cell (ISO 3166-1 alpha-2), if any.

    >>> country("GB")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/region/GB')
    >>> country("United States")
    rdflib.term.URIRef('https://w3id.org/harmgraph/vocab/region/US')
    >>> country(" ") is None
    True
    """
    value = cell.strip()
    code = _COUNTRY_NAMES.get(value.lower(), value.upper())
    return model.concept("region", code) if _COUNTRY_CODE.match(code) else None


def read_taxonomy(
    directory: Path, taxonomy: Taxonomy, *, include_unpublished: bool = False
) -> list[Row]:
    """The (published) rows of one taxonomy file; raises InputError on a missing column."""
    columns = ["Incident ID", "Published", *(f.column for f in taxonomy.fields)]
    if taxonomy.name == "CSETv1":
        columns.append(COUNTRY_COLUMN)
    rows = read_rows(directory / taxonomy.file, columns)
    return [r for r in rows if include_unpublished or r["Published"].strip().lower() == "true"]


@dataclass
class ConceptWriter:
    """Adds taxonomy schemes and concepts to a graph, each once.

    Two raw values with the same slug (``Education`` / ``education``) share a concept;
    the first one read gives its ``skos:prefLabel``.
    """

    graph: Graph
    _seen: set[URIRef] = field(default_factory=set)
    _matched: set[tuple[URIRef, URIRef]] = field(default_factory=set)

    def concept(self, taxonomy: str, column: str, value: str) -> URIRef:
        """The concept for ``value``, written (with its scheme) on first use."""
        iri = model.taxonomy_concept(taxonomy, column, value)
        if iri in self._seen:
            return iri
        scheme = model.taxonomy_scheme(taxonomy, column)
        if scheme not in self._seen:
            self._seen.add(scheme)
            self.graph.add((scheme, RDF.type, SKOS.ConceptScheme))
            self.graph.add((scheme, DCTERMS.title, Literal(f"{taxonomy}: {column}", lang="en")))
            self.graph.add((scheme, DCTERMS.source, SNAPSHOTS_URL))
        self._seen.add(iri)
        numbered = _NUMBERED.match(value) if taxonomy == "MIT" else None
        notation = numbered[1] if numbered else model.slugify(value)
        for triple in (
            (iri, RDF.type, SKOS.Concept),
            (iri, SKOS.prefLabel, Literal(value, lang="en")),
            (iri, SKOS.inScheme, scheme),
            (iri, SKOS.topConceptOf, scheme),
            (iri, SKOS.notation, Literal(notation)),
        ):
            self.graph.add(triple)
        return iri

    def pattern(self, subdomain: str, classification: URIRef) -> URIRef | None:
        """The ``hgv:pattern`` concept for an MIT subdomain concept, linked by skos:exactMatch.

        The pattern concepts themselves (``MIT-n.m``) live in ``data/vocab/pattern.ttl``.
        """
        found = mit_pattern(subdomain)
        if found is None:
            return None
        iri = found[0]
        if (classification, iri) not in self._matched:
            self._matched.add((classification, iri))
            self.graph.add((classification, SKOS.exactMatch, iri))
        return iri


def classify(
    writer: ConceptWriter, incident: URIRef, taxonomy: Taxonomy, row: Row
) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
    """The incident's triples for one classification row (concepts go through ``writer``)."""
    for spec in taxonomy.fields:
        for value in cell_values(spec, row[spec.column]):
            if not any(ch.isalnum() for ch in value):
                continue
            concept = writer.concept(taxonomy.name, spec.column, value)
            yield incident, HG.classification, concept
            if taxonomy.name == "MIT" and spec.column == "Risk Subdomain":
                pattern = writer.pattern(value, concept)
                if pattern is not None:
                    yield incident, HG.threatPattern, pattern
    if taxonomy.name == "CSETv1":
        region = country(row[COUNTRY_COLUMN])
        if region is not None:
            yield incident, DCTERMS.spatial, region
