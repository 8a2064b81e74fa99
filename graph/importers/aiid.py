"""Import an AI Incident Database snapshot (https://incidentdatabase.ai/research/snapshots/).

:func:`load_snapshot` reads the snapshot folder (``incidents.csv``, ``duplicates.csv``,
``classifications_{MIT,GMF,CSETv1}.csv``) and returns the whole import as one
:class:`rdflib.Graph`; it raises :class:`~graph.errors.InputError` (file, line, column)
before returning anything, so a bad snapshot writes nothing.

Mapping (``n`` is the AIID incident number):

* incident ``hgid:incident/aiid-{n}``: ``dcterms:identifier "AIID-{n}"``, ``hg:aiidNumber``,
  title, description, ``dcterms:date``, ``hg:sourceDataset hgv:dataset/aiid``, and
  ``prov:wasDerivedFrom`` the citation page ``https://incidentdatabase.ai/cite/{n}``.
* the ``Alleged developer / deployer / harmed or nearly harmed parties`` slug lists become
  ``hg:developer`` / ``hg:deployer`` (``hg:Actor``) and ``hg:harmedGroup``
  (``hg:HarmedGroup``, even for organisations: linking groups to actors is entity
  resolution, later). ``unknown…`` slugs become shared ``hg:Unknown`` nodes; an empty list
  becomes a per-incident ``hg:Unknown``. Actors get no ``hg:actorKind`` (AIID has none; the
  shapes warn so a curator adds it).
* AIID names no AI system: ``hg:aiSystem`` is a per-incident ``hg:Unknown``.
* duplicates: a retired number resolves (following chains, :func:`resolve_number`) to its
  true incident, which records it as ``hg:aiidDuplicate``; a retired number's own row in
  ``incidents.csv`` adds its parties to the true incident and is not an incident itself.
* what AIID does not assess is stated as unassessed rather than guessed:
  ``hg:severity hgv:severity/unassessed``; ``hg:evidenceLevel hgv:evidence/unassessed``
  (an AIID entry aggregates reports of varying quality and the snapshot does not grade
  them); ``hg:contributingFactor hgv:factor/unassessed``. ``hg:status`` is
  ``hgv:status/alleged`` because AIID itself labels the parties "Alleged".
* taxonomies: see :mod:`graph.importers.aiid_taxonomies` (``hg:classification``, MIT
  subdomain → ``hg:threatPattern hgv:pattern/MIT-x.y``, CSETv1 country →
  ``dcterms:spatial hgv:region/CC``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph import model
from graph.errors import InputError
from graph.importers.aiid_csv import Row, read_rows
from graph.importers.aiid_labels import is_unknown, slug_label, unknown_label
from graph.importers.aiid_taxonomies import TAXONOMIES, ConceptWriter, classify, read_taxonomy
from graph.model import HG, SCHEMA

log = logging.getLogger(__name__)

#: ``on_progress(done, total)``: called as records are converted.
Progress = Callable[[int, int], None]

PUBLISHER = "AI Incident Database (Responsible AI Collaborative)"
CITE_URL = "https://incidentdatabase.ai/cite/{n}"


@dataclass(frozen=True)
class Role:
    """One party column of ``incidents.csv``."""

    column: str
    prop: URIRef
    name: str  # per-incident unknown: model.part(incident, "unknown", name)
    kind: str  # entity kind for minted IRIs
    rdf_class: URIRef


ROLES = (
    Role("Alleged developer of AI system", HG.developer, "developer", "actor", HG.Actor),
    Role("Alleged deployer of AI system", HG.deployer, "deployer", "actor", HG.Actor),
    Role(
        "Alleged harmed or nearly harmed parties",
        HG.harmedGroup,
        "harmed-group",
        "group",
        HG.HarmedGroup,
    ),
)
INCIDENT_COLUMNS = ("incident_id", "date", "title", "description", *(r.column for r in ROLES))
DUPLICATE_COLUMNS = ("duplicate_incident_number", "true_incident_number")


@dataclass
class IncidentRecord:
    """An incident row of ``incidents.csv``, plus parties merged from its duplicates' rows."""

    row: Row
    number: int
    parties: dict[str, list[str]] = field(default_factory=dict)


def read_duplicates(path: Path) -> dict[int, int]:
    """Map each retired AIID number to the number it duplicates (one step, not resolved)."""
    duplicates: dict[int, int] = {}
    for row in read_rows(path, DUPLICATE_COLUMNS):
        duplicates[row.integer(DUPLICATE_COLUMNS[0])] = row.integer(DUPLICATE_COLUMNS[1])
    return duplicates


def resolve_number(n: int, duplicates: Mapping[int, int]) -> int:
    """The true incident number of ``n``, following chains of duplicates.

    >>> resolve_number(342, {342: 88, 88: 1057})
    1057
    >>> resolve_number(23, {342: 88})
    23
    """
    seen = {n}
    while n in duplicates:
        n = duplicates[n]
        if n in seen:
            raise InputError(f"duplicates form a cycle through incident {n}", file="duplicates.csv")
        seen.add(n)
    return n


def _slugs(row: Row, role: Role) -> list[str]:
    slugs = row.slug_list(role.column)
    for slug in slugs:
        if not any(ch.isalnum() for ch in slug):
            raise row.error(f"entity slug {slug!r} has no letters or digits", role.column)
    return slugs


def read_incidents(path: Path, duplicates: Mapping[int, int]) -> dict[int, IncidentRecord]:
    """Parse ``incidents.csv`` into records keyed by true incident number."""
    records: dict[int, IncidentRecord] = {}
    retired: list[tuple[int, IncidentRecord]] = []
    lines: dict[int, int] = {}
    for row in read_rows(path, INCIDENT_COLUMNS):
        number = row.integer("incident_id")
        if number in lines:
            raise row.error(
                f"incident {number} already appears on line {lines[number]}", "incident_id"
            )
        lines[number] = row.line
        row.date("date")
        row.text("title")
        row.text("description")
        record = IncidentRecord(row, number, {r.name: _slugs(row, r) for r in ROLES})
        true = resolve_number(number, duplicates)
        if true == number:
            records[number] = record
        else:
            retired.append((true, record))
    for true, record in retired:
        if true not in records:
            raise record.row.error(
                f"incident {record.number} is a duplicate of {true}, which is not in the file",
                "incident_id",
            )
        for role, slugs in record.parties.items():
            merged = records[true].parties[role]
            merged.extend(s for s in slugs if s not in merged)
    return records


#: What every AIID incident states the same way (see the module docstring for why).
_FIXED = (
    (RDF.type, HG.Incident),
    (HG.sourceDataset, model.concept("dataset", "aiid")),
    (HG.severity, model.concept("severity", "unassessed")),
    (HG.status, model.concept("status", "alleged")),
    (HG.evidenceLevel, model.concept("evidence", "unassessed")),
    (HG.contributingFactor, model.concept("factor", "unassessed")),
)
_SOURCE_FIXED = (
    (RDF.type, HG.Source),
    (HG.sourceType, model.concept("source-type", "database-entry")),
    (DCTERMS.publisher, Literal(PUBLISHER)),
)
_NO_SYSTEM = "The AIID snapshot does not name the AI system; see the incident's reports"
# rdflib namespaces build a new URIRef on every attribute access; these run per triple.
_TYPE, _LABEL, _NOTE = RDF.type, RDFS.label, SKOS.note
_IDENTIFIER, _TITLE, _DESCRIPTION, _DATE = (
    DCTERMS.identifier,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.date,
)


class _Builder:
    """Writes incidents and the parties they name into one graph, each party once."""

    def __init__(self, graph: Graph, described: Container[URIRef]) -> None:
        self.add = graph.add
        self.parties: dict[tuple[str, str], URIRef] = {}
        self.seen: set[URIRef] = set()
        self.described = described

    def party(self, role: Role, slug: str) -> URIRef:
        key = (role.kind, slug)
        if key in self.parties:
            return self.parties[key]
        iri = self.parties[key] = model.mint(role.kind, slug)
        # Another slug with the same IRI slug ("pony.ai", "pony-ai"), or described elsewhere.
        if iri in self.seen or iri in self.described:
            return iri
        self.seen.add(iri)
        if is_unknown(slug):
            self.add((iri, _TYPE, HG.Unknown))
            self.add((iri, _LABEL, Literal(unknown_label(slug), lang="en")))
            self.add((iri, _NOTE, Literal(f"AIID lists this party as '{slug}'", lang="en")))
        else:
            self.add((iri, _TYPE, role.rdf_class))
            self.add((iri, _LABEL, Literal(slug_label(slug), lang="en")))
        return iri

    def unknown(self, incident: URIRef, name: str, label: str, note: str) -> URIRef:
        iri = model.part(incident, "unknown", name)
        self.add((iri, _TYPE, HG.Unknown))
        self.add((iri, _LABEL, Literal(label, lang="en")))
        self.add((iri, _NOTE, Literal(note, lang="en")))
        return iri

    def incident(self, record: IncidentRecord, retired: list[int]) -> URIRef:
        n, row, add = record.number, record.row, self.add
        iri = model.mint("incident", f"aiid-{n}")
        title = row.text("title")
        url = CITE_URL.format(n=n)
        source = model.mint("source", url)
        for prop, value in _FIXED:
            add((iri, prop, value))
        if source not in self.described:
            for source_prop, source_value in _SOURCE_FIXED:
                add((source, source_prop, source_value))
            add((source, SCHEMA.url, URIRef(url)))
            add((source, _TITLE, Literal(f"AI Incident Database, Incident {n}: {title}")))
        add((iri, _IDENTIFIER, Literal(f"AIID-{n}")))
        add((iri, HG.aiidNumber, Literal(n)))
        add((iri, _TITLE, Literal(title)))
        add((iri, _DESCRIPTION, Literal(row.text("description"))))
        add((iri, _DATE, Literal(row.date("date"))))
        add((iri, PROV.wasDerivedFrom, source))
        for dup in retired:
            add((iri, HG.aiidDuplicate, Literal(dup)))
        for role in ROLES:
            slugs = record.parties[role.name]
            label = role.name.replace("-", " ")
            targets = [self.party(role, s) for s in slugs] or [
                self.unknown(iri, role.name, f"Unknown {label}", f"AIID lists no {label}")
            ]
            for target in targets:
                add((iri, role.prop, target))
        system = self.unknown(iri, "system", "Unknown AI system", _NO_SYSTEM)
        add((iri, HG.aiSystem, system))
        return iri


def load_snapshot(
    directory: Path | str,
    *,
    include_unpublished: bool = False,
    on_progress: Progress | None = None,
    described: Container[URIRef] = frozenset(),
) -> Graph:
    """Convert an AIID snapshot folder into one graph (see the module docstring).

    Args:
        directory: folder holding ``incidents.csv``, ``duplicates.csv`` and the
            ``classifications_*.csv`` files.
        include_unpublished: also read taxonomy rows AIID has not published.
        on_progress: called with ``(done, total)`` records while converting.
        described: actors, harmed groups and sources already described elsewhere
            (e.g. in the curated graph of the store): the import links to them but
            restates none of their triples, so its labels and titles never clash with
            curated ones.

    Raises:
        InputError: a file or column is missing, or a cell does not parse.

    >>> from graph.settings import PROJECT_ROOT
    >>> g = load_snapshot(PROJECT_ROOT / "data" / "aiid")
    >>> (model.mint("incident", "aiid-23"), HG.aiidNumber, Literal(23)) in g
    True
    """
    folder = Path(directory)
    duplicates = read_duplicates(folder / "duplicates.csv")
    records = read_incidents(folder / "incidents.csv", duplicates)
    taxonomies = [
        (t, read_taxonomy(folder, t, include_unpublished=include_unpublished)) for t in TAXONOMIES
    ]
    retired: dict[int, list[int]] = {}
    for dup in sorted(duplicates):
        retired.setdefault(resolve_number(dup, duplicates), []).append(dup)

    graph = Graph()
    for prefix, namespace in model.PREFIXES.items():
        graph.bind(prefix, namespace)
    total = len(records) + sum(len(rows) for _, rows in taxonomies)
    done = 0
    builder = _Builder(graph, described)
    incidents: dict[int, URIRef] = {}
    for number, record in records.items():
        incidents[number] = builder.incident(record, retired.get(number, []))
        done += 1
        if on_progress is not None:
            on_progress(done, total)
    writer = ConceptWriter(graph)
    for taxonomy, rows in taxonomies:
        for row in rows:
            number = resolve_number(row.integer("Incident ID"), duplicates)
            if number in incidents:
                for triple in classify(writer, incidents[number], taxonomy, row):
                    graph.add(triple)
            else:
                log.warning(
                    "%s:%d: incident %d is not in incidents.csv; row skipped",
                    row.file,
                    row.line,
                    number,
                )
            done += 1
            if on_progress is not None:
                on_progress(done, total)
    return graph
