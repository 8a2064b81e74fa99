"""What a resource page shows, built from :func:`graph.describe.describe` and its links.

:func:`build` turns a description graph and the incoming links into a
:class:`ResourceView`: a title, types, aliases, the resource's properties with
each value labelled, an incident's parts (timeline, outcomes, unknowns) and
sources, and incoming links grouped by property. The HTML template and the
``.json`` view both read it; neither looks at the graph again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from api.party_view import Profile
from graph import model
from graph.citation import Citation, cite
from graph.describe import Link
from graph.model import HG, SCHEMA

#: Incidents an entity page lists per role (the newest; the rest are paged).
ROLE_PAGE = 50

_LABELS = (DCTERMS.title, RDFS.label, SKOS.prefLabel)
#: Properties whose IRI values are web pages or other datasets, shown as such.
_EXTERNAL = {SCHEMA.url, OWL.sameAs}
#: Readable names of the reused (non-hg:) terms; hg: terms take their ontology labels.
REUSED_LABELS = {
    str(k): v
    for k, v in {
        DCTERMS.identifier: "identifier",
        DCTERMS.title: "title",
        DCTERMS.description: "description",
        DCTERMS.date: "date",
        DCTERMS.modified: "last updated",
        DCTERMS.spatial: "place",
        DCTERMS.issued: "issued",
        DCTERMS.publisher: "publisher",
        PROV.wasDerivedFrom: "source",
        RDFS.label: "name",
        SKOS.prefLabel: "name",
        SKOS.altLabel: "also known as",
        SKOS.definition: "definition",
        SKOS.note: "note",
        SKOS.editorialNote: "editorial note",
        SKOS.inScheme: "in scheme",
        SKOS.broader: "broader",
        SKOS.notation: "notation",
        SKOS.topConceptOf: "top concept of",
        SKOS.hasTopConcept: "top concept",
        SCHEMA.url: "web site",
        SCHEMA.parentOrganization: "parent organisation",
        OWL.sameAs: "same as",
    }.items()
}


@dataclass(frozen=True)
class Value:
    """One value of a property: a link (with a label) or a literal (with its tag)."""

    text: str
    iri: str | None = None
    tag: str = ""
    #: The IRI of a blank node's inner description, rendered in line.
    inner: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> Any:
        """An IRI as ``{"iri", "label"}``, a literal as its text."""
        return {"iri": self.iri, "label": self.text} if self.iri else self.text


@dataclass(frozen=True)
class Property:
    """One property of the resource and its values."""

    iri: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Part:
    """A timeline event, outcome or explicit unknown of an incident."""

    iri: str
    kind: str
    text: str
    date: str = ""
    detail: str = ""
    sources: tuple[Value, ...] = ()


@dataclass(frozen=True)
class Source:
    """A source the resource is derived from."""

    iri: str
    title: str
    url: str | None
    publisher: str


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list is: ``?{param}={value}&page={page}`` of ``total``.

    >>> p = Pager("role", "developer", page=2, size=50, total=120)
    >>> p.first, p.last, p.href("/id/actor/a", p.page + 1)
    (51, 100, '/id/actor/a?role=developer&page=3#role-developer')
    """

    param: str
    value: str
    page: int
    size: int
    total: int

    @classmethod
    def of(cls, param: str, value: str, page: int, size: int, total: int) -> Pager:
        """The pager of ``page``, moved back to the last page when past it.

        >>> Pager.of("role", "harmed", 9, 10, 25).page
        3
        """
        size = max(size, 1)
        return cls(param, value, max(min(page, -(-total // size)), 1), size, total)

    @property
    def first(self) -> int:
        """The position of the page's first item (1-based)."""
        return min((self.page - 1) * self.size + 1, self.total)

    @property
    def last(self) -> int:
        """The position of the page's last item."""
        return min(self.page * self.size, self.total)

    @property
    def has_newer(self) -> bool:
        """Whether a page comes before this one."""
        return self.page > 1

    @property
    def has_older(self) -> bool:
        """Whether a page comes after this one."""
        return self.page * self.size < self.total

    @property
    def anchor(self) -> str:
        """The id of the list on the page (a role, or a property's CURIE)."""
        return f"{self.param}-{model.curie(self.value) if self.param == 'linked' else self.value}"

    def href(self, path: str, page: int) -> str:
        """The link to ``page`` of this list."""
        query = urlencode({self.param: self.value, "page": page})
        return f"{path}?{query}#{self.anchor}"


def page_number(text: str | None) -> int:
    """A ``page`` query parameter as a page number (1 when missing or not a number >= 1).

    >>> page_number("3"), page_number("-1"), page_number("x"), page_number(None)
    (3, 1, 1, 1)
    """
    try:
        return max(int(text or 1), 1)
    except ValueError:
        return 1


@dataclass(frozen=True)
class IncomingGroup:
    """Resources linking here through one property (``count`` may exceed ``links``)."""

    iri: str
    label: str
    count: int
    links: tuple[Link, ...]
    pager: Pager | None = None


@dataclass(frozen=True)
class ResourceView:
    """Everything a resource page shows."""

    iri: str
    title: str
    types: tuple[Value, ...]
    aliases: tuple[str, ...]
    summary: str
    properties: tuple[Property, ...]
    parts: tuple[Part, ...] = ()
    sources: tuple[Source, ...] = ()
    incoming: tuple[IncomingGroup, ...] = ()
    citation: Citation | None = None
    is_incident: bool = False

    def to_json(self) -> dict[str, Any]:
        """The simple JSON view: iri, types, label, properties and incoming links."""
        return {
            "iri": self.iri,
            "types": [t.iri for t in self.types],
            "label": self.title,
            "properties": {
                model.curie(p.iri): [v.to_json() for v in p.values] for p in self.properties
            },
            "incoming": {
                model.curie(g.iri): {
                    "count": g.count,
                    "resources": [
                        {"iri": str(link.subject), "label": link.label} for link in g.links
                    ],
                }
                for g in self.incoming
            },
        }


def build(
    iri: str,
    graph: Graph,
    links: Sequence[Link],
    counts: Mapping[URIRef, int],
    term_labels: Mapping[str, str],
    pagers: Mapping[URIRef, Pager] | None = None,
) -> ResourceView:
    """The view of ``iri`` from its description, incoming links and their counts
    (``links`` may be one page of each property's: ``pagers`` says which)."""
    node = URIRef(iri)
    term_labels = {**REUSED_LABELS, **term_labels}
    types = tuple(
        _value(graph, t, term_labels) for t in sorted(graph.objects(node, RDF.type), key=str)
    )
    is_incident = (node, RDF.type, HG.Incident) in graph
    properties = tuple(
        Property(
            iri=str(p),
            label=term_labels.get(str(p), model.curie(str(p))),
            values=tuple(_value(graph, o, term_labels, p) for o in _sorted(graph.objects(node, p))),
        )
        for p in sorted(set(graph.predicates(node)) - {RDF.type}, key=str)
    )
    sources = tuple(
        Source(
            iri=str(s),
            title=_label(graph, s) or model.curie(str(s)),
            url=str(url) if (url := graph.value(s, SCHEMA.url)) is not None else None,
            publisher=str(graph.value(s, DCTERMS.publisher) or ""),
        )
        for s in sorted(graph.objects(node, PROV.wasDerivedFrom), key=str)
    )
    by_property: dict[URIRef, list[Link]] = {}
    for link in links:
        by_property.setdefault(link.predicate, []).append(link)
    incoming = tuple(
        IncomingGroup(
            iri=str(p),
            label=term_labels.get(str(p), model.curie(str(p))),
            count=n,
            links=tuple(by_property.get(p, ())),
            pager=(pagers or {}).get(p),
        )
        for p, n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    )
    return ResourceView(
        iri=iri,
        title=_label(graph, node) or model.curie(iri),
        types=types,
        aliases=tuple(sorted(str(a) for a in graph.objects(node, SKOS.altLabel))),
        summary=_first(graph, node, DCTERMS.description, SKOS.definition),
        properties=properties,
        parts=_parts(graph, node, term_labels) if is_incident else (),
        sources=sources,
        incoming=incoming,
        citation=cite(graph, iri) if is_incident else None,
        is_incident=is_incident,
    )


def page_roles(
    party: Profile, role: str | None, page: int, size: int = ROLE_PAGE
) -> tuple[Profile, dict[str, Pager]]:
    """``party`` with each role's incidents cut to one page (``page`` of ``role``, the
    newest of the others), and each role's pager (with its full count).

    >>> from api.party_view import RoleIncident
    >>> item = RoleIncident("/i", "X-1", "T", "2020", "high", "alleged", ())
    >>> cut, pagers = page_roles(
    ...     Profile("actor", (("developer", "Developed", (item,) * 3),), (), "/n", "a", 3),
    ...     "developer", 2, size=2)
    >>> len(cut.roles[0][2]), pagers["developer"].total, pagers["developer"].first
    (1, 3, 3)
    """
    pagers = {
        name: Pager.of("role", name, page if name == role else 1, size, len(items))
        for name, _, items in party.roles
    }
    roles = tuple(
        (name, heading, items[pagers[name].first - 1 : pagers[name].last])
        for name, heading, items in party.roles
    )
    return replace(party, roles=roles), pagers


def _parts(graph: Graph, node: URIRef, term_labels: Mapping[str, str]) -> tuple[Part, ...]:
    events = sorted(
        graph.objects(node, HG.timelineEvent),
        key=lambda e: (_int(graph.value(e, HG.order)), str(e)),
    )
    parts = [
        Part(
            iri=str(e),
            kind="event",
            text=_first(graph, e, DCTERMS.description),
            date=_first(graph, e, DCTERMS.date),
            sources=tuple(
                _value(graph, s, term_labels) for s in graph.objects(e, PROV.wasDerivedFrom)
            ),
        )
        for e in events
    ]
    for outcome in sorted(graph.objects(node, HG.outcome), key=str):
        kind = graph.value(outcome, HG.outcomeType)
        parts.append(
            Part(
                iri=str(outcome),
                kind="outcome",
                text=_first(graph, outcome, DCTERMS.description),
                detail=_value(graph, kind, term_labels).text if kind is not None else "",
            )
        )
    prefix = str(node) + "/unknown/"
    for unknown in sorted(
        {o for o in graph.objects(node, None) if str(o).startswith(prefix)}, key=str
    ):
        parts.append(
            Part(
                iri=str(unknown),
                kind="unknown",
                text=_label(graph, unknown) or "Unknown",
                detail=_first(graph, unknown, SKOS.note),
            )
        )
    return tuple(parts)


def _value(
    graph: Graph, node: Node, term_labels: Mapping[str, str], prop: Node | None = None
) -> Value:
    if isinstance(node, Literal):
        tag = f"@{node.language}" if node.language else ""
        if node.datatype is not None and not tag:
            tag = model.curie(str(node.datatype))
        return Value(text=str(node), tag=tag)
    if isinstance(node, URIRef):
        if prop in _EXTERNAL:
            return Value(text=str(node), iri=str(node))
        label = _label(graph, node) or term_labels.get(str(node)) or model.curie(str(node))
        return Value(text=label, iri=str(node))
    inner = tuple(
        (model.curie(str(p)), _value(graph, o, term_labels).text)
        for p, o in sorted(graph.predicate_objects(node), key=str)
    )
    return Value(text="(blank node)", inner=inner)


def _label(graph: Graph, node: Node) -> str:
    return _first(graph, node, *_LABELS)


def _first(graph: Graph, node: Node, *props: URIRef) -> str:
    """The first value of the first property that has one, English preferred."""
    for prop in props:
        values = list(graph.objects(node, prop))
        if values:
            return str(
                min(
                    values, key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v))
                )
            )
    return ""


def _sorted(values: Any) -> list[Node]:
    return sorted(values, key=lambda v: (not isinstance(v, URIRef), str(v)))


def _int(value: Node | None) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
