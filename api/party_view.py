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

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import networkx as nx

from graph.network_build import ROLES, outside_only

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
    roles: tuple[tuple[str, str, tuple[RoleIncident, ...]], ...]
    partners: tuple[Partner, ...]
    network_href: str
    path_from: str
    incidents: int


def profile(g: nx.Graph, iri: str, href: Href) -> Profile | None:
    """The entity's profile, or None when it is not in the network.

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
    by_role: dict[str, list[tuple[str, RoleIncident]]] = {}
    partners: Counter[str] = Counter()
    incidents = 0
    for incident, edge in g.adj[iri].items():
        if edge.get("kind") != "role":
            continue
        incidents += 1
        info = g.nodes[incident]
        item = RoleIncident(
            href=href(incident),
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
        for role in edge.get("roles", ()):
            by_role.setdefault(role, []).append((incident, item))
        if outside_only(edge):
            continue
        for other, e in g.adj[incident].items():
            o = g.nodes[other]
            if (
                other != iri
                and e.get("kind") == "role"
                and not outside_only(e)
                and o["kind"] == "actor"
                and not o["unknown"]
            ):
                partners[other] += 1
    roles = tuple(
        (
            role,
            ROLE_HEADINGS[role],
            tuple(
                item
                for _, item in sorted(
                    by_role[role], key=lambda x: (x[1].date, x[1].identifier), reverse=True
                )
            ),
        )
        for role in ROLES
        if role in by_role
    )
    top = sorted(partners.items(), key=lambda kv: (-kv[1], str(g.nodes[kv[0]]["label"])))
    return Profile(
        kind=str(a.get("kind", "")),
        roles=roles,
        partners=tuple(
            Partner(str(g.nodes[p]["label"]), href(p), "actor", n) for p, n in top[:TOP_PARTNERS]
        ),
        network_href=network_href,
        path_from=iri,
        incidents=incidents,
    )
