"""What an entity page adds for journalists: incidents by role, frequent partners, next steps.

:func:`profile` reads the network (:mod:`graph.network_build`), not the store: for an
actor, AI system or harmed group, its incidents grouped by role (developed, deployed,
AI system in, harmed in, implicated in, investigated or ruled on, exposed, documented
or litigated) with dates, severity, status and sources, and the actors it most often
shares incidents with (the weights of the co-incident network,
:func:`graph.network.co_incident`, counted for this one party: only parties to an
incident share it, not the authorities or reporters outside it); for an incident,
only the links to its network.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload
from urllib.parse import urlencode

import networkx as nx

from graph.network_build import ROLES
from graph.network_coincident import shared_with
from graph.network_dates import date_rank

#: Role → heading on the entity page.
ROLE_HEADINGS = {
    "developer": "Developed",
    "deployer": "Deployed",
    "system": "AI system in",
    "harmed": "Harmed in",
    "implicated": "Implicated in",
    "oversight": "Investigated or ruled on",
    "reported": "Exposed, documented or litigated",
}
#: How many frequent partners a page lists.
TOP_PARTNERS = 10

Href = Callable[[str], str]


@dataclass(frozen=True)
class RoleIncident:
    """One incident on an entity page."""

    href: str
    identifier: str
    title: str
    date: str
    severity: str
    status: str
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Partner:
    """An actor that shares incidents with the entity."""

    label: str
    href: str
    kind: str
    shared: int


@dataclass(frozen=True)
class Profile:
    """The journalist's section of an entity page."""

    kind: str
    roles: tuple[tuple[str, str, Sequence[RoleIncident]], ...]
    partners: tuple[Partner, ...]
    network_href: str
    path_from: str
    incidents: int


def profile(g: nx.Graph, iri: str, href: Href) -> Profile | None:
    """The entity's profile, or None when it is not in the network.

    Each role's incidents are a :class:`RoleIncidents`, newest first: the rows are built
    for the part a page shows only. The partners are the party's co-incident weights
    (:func:`graph.network_coincident.shared_with`), most first, then by label and IRI.

    >>> g = nx.Graph()
    >>> g.add_node("a", kind="actor", label="A", unknown=False)
    >>> g.add_node("b", kind="actor", label="B", unknown=False)
    >>> g.add_node("i", kind="incident", label="T", identifier="X-1", date="2020",
    ...            severity="high", status="alleged", sources=())
    >>> g.add_edge("a", "i", kind="role", roles=("developer",), incident="i")
    >>> g.add_edge("b", "i", kind="role", roles=("deployer",), incident="i")
    >>> p = profile(g, "a", str)
    >>> [(role, len(items)) for role, _, items in p.roles], p.partners[0].shared
    ([('developer', 1)], 1)
    """
    if iri not in g:
        return None
    a = g.nodes[iri]
    network_href = "/network?" + urlencode({"focus": iri})
    if a.get("kind") == "incident":
        return Profile("incident", (), (), network_href, iri, 1)
    by_role: dict[str, list[str]] = {}
    incidents = 0
    for incident, edge in g.adj[iri].items():
        if edge.get("kind") != "role":
            continue
        incidents += 1
        for role in edge.get("roles", ()):
            by_role.setdefault(role, []).append(incident)
    # Newest first as sorting by (date, identifier) in reverse: equal keys keep their order.
    rank = date_rank(g).__getitem__
    roles = tuple(
        (
            role,
            ROLE_HEADINGS[role],
            RoleIncidents(g, sorted(by_role[role], key=rank, reverse=True), href),
        )
        for role in ROLES
        if role in by_role
    )
    nodes = g.nodes
    top = heapq.nsmallest(
        TOP_PARTNERS,
        shared_with(g, iri).items(),
        key=lambda kv: (-kv[1], str(nodes[kv[0]]["label"]), kv[0]),
    )
    return Profile(
        kind=str(a.get("kind", "")),
        roles=roles,
        partners=tuple(Partner(str(nodes[p]["label"]), href(p), "actor", n) for p, n in top),
        network_href=network_href,
        path_from=iri,
        incidents=incidents,
    )


class RoleIncidents(Sequence[RoleIncident]):
    """A role's incidents in order, each row built when it is first looked at.

    Equal to any sequence of the same rows.

    >>> g = nx.Graph()
    >>> g.add_node("i", identifier="X-1", label="T", date="2020", sources=(("ftp://x", "", ""),))
    >>> rows = RoleIncidents(g, ["i"], str)
    >>> len(rows), rows[0].identifier, rows[:1] == (rows[0],), rows[0].sources
    (1, 'X-1', True, ())
    """

    def __init__(self, g: nx.Graph, incidents: list[str], href: Href) -> None:
        self._nodes = g.nodes
        self._incidents = incidents
        self._href = href

    def __len__(self) -> int:
        return len(self._incidents)

    @overload
    def __getitem__(self, index: int) -> RoleIncident: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[RoleIncident, ...]: ...

    def __getitem__(self, index: int | slice) -> RoleIncident | tuple[RoleIncident, ...]:
        if isinstance(index, slice):
            return tuple(map(self._row, self._incidents[index]))
        return self._row(self._incidents[index])

    def __iter__(self) -> Iterator[RoleIncident]:
        return map(self._row, self._incidents)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RoleIncidents({len(self)} incidents)"

    def _row(self, incident: str) -> RoleIncident:
        info = self._nodes[incident]
        return RoleIncident(
            href=self._href(incident),
            identifier=str(info.get("identifier", "")),
            title=str(info.get("label", "")),
            date=str(info.get("date", "")),
            severity=str(info.get("severity", "")),
            status=str(info.get("status", "")),
            sources=tuple(
                (url, publisher or title)
                for url, title, publisher in info.get("sources", ())
                if url.startswith(("http://", "https://"))
            ),
        )
