"""Cut a node path into hops and write each hop as a sentence a reader can check.

"Palantir Technologies developed Palantir ImmigrationOS, deployed by U.S. Immigration
and Customs Enforcement (INC-26-0068, confirmed, 2026, sources: ACLU, American
Immigration Council, Rolling Stone)." A hop through an incident names the AI
systems of that incident (those the first party developed, when the network says
so), the incident's identifier, status, date and the publishers of its sources, so
an alleged link always reads as alleged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx


@dataclass(frozen=True)
class Source:
    """A public source behind a hop."""

    url: str
    title: str
    publisher: str


@dataclass(frozen=True)
class Hop:
    """One step of a path: from one party to the next, through an incident or a link."""

    source: str
    target: str
    source_label: str
    target_label: str
    #: ``incident``, ``system-developer`` or ``parent``.
    link: str
    source_roles: tuple[str, ...] = ()
    target_roles: tuple[str, ...] = ()
    incident: str = ""
    identifier: str = ""
    title: str = ""
    date: str = ""
    status: str = ""
    sources: tuple[Source, ...] = ()
    sentence: str = ""


_DID = {"developer": "developed", "deployer": "deployed"}
_ACTING = ("developer", "deployer")
#: What an actor outside the incident did (hg:oversight, hg:reportedBy).
_OUTSIDE = {"oversight": "acted on (oversight)", "reported": "reported"}


def hops(g: nx.Graph, nodes: Sequence[str]) -> Iterator[Hop]:
    """The hops of a node path (party, incident, party, … or party, party for links).

    >>> g = nx.Graph()
    >>> g.add_node("s", kind="system", label="S")
    >>> g.add_node("a", kind="actor", label="A")
    >>> g.add_edge("s", "a", kind="system-developer", roles=("system-developer",), subject="s")
    >>> [h.sentence for h in hops(g, ["a", "s"])]
    ['A developed S.']
    """
    i = 0
    while i < len(nodes) - 1:
        a = nodes[i]
        if g.nodes[a]["kind"] == "incident":  # a path that starts at an incident
            yield _incident_hop(g, None, a, nodes[i + 1])
            i += 1
        elif g.nodes[nodes[i + 1]]["kind"] == "incident":
            end = nodes[i + 2] if i + 2 < len(nodes) else None
            yield _incident_hop(g, a, nodes[i + 1], end)
            i += 2
        else:
            yield _link_hop(g, a, nodes[i + 1])
            i += 1


def _label(g: nx.Graph, n: str | None) -> str:
    return str(g.nodes[n].get("label", n)) if n is not None else ""


def _roles(g: nx.Graph, party: str | None, incident: str) -> tuple[str, ...]:
    if party is None or not g.has_edge(party, incident):
        return ()
    return tuple(g.edges[party, incident].get("roles", ()))


def _link_hop(g: nx.Graph, a: str, b: str) -> Hop:
    edge = g.edges[a, b]
    link = str(edge.get("kind", ""))
    forward = edge.get("subject", a) == a
    la, lb = _label(g, a), _label(g, b)
    if link == "system-developer":
        text = f"{la} was developed by {lb}" if forward else f"{la} developed {lb}"
    elif link == "parent":
        text = f"{la} is part of {lb}" if forward else f"{la} is the parent organisation of {lb}"
    else:
        text = f"{la} is linked to {lb}"
    return Hop(a, b, la, lb, link=link, sentence=text + ".")


def _incident_hop(g: nx.Graph, a: str | None, incident: str, b: str | None) -> Hop:
    info = g.nodes[incident]
    ra, rb = _roles(g, a, incident), _roles(g, b, incident)
    if a is None:  # the path starts at the incident itself
        a, ra, b, rb = b, rb, None, ()
    la, lb = _label(g, a), _label(g, b)
    clause = _clause(g, incident, a, la, ra, b, lb, rb)
    sources = tuple(Source(*s) for s in info.get("sources", ()))
    evidence = [str(info.get("identifier", "")), str(info.get("status", "")), info.get("date", "")]
    names = sorted({s.publisher or s.title or s.url for s in sources})
    if names:
        evidence.append("sources: " + ", ".join(names))
    return Hop(
        source=a or incident,
        target=b or incident,
        source_label=la,
        target_label=lb or str(info.get("label", "")),
        link="incident",
        source_roles=ra,
        target_roles=rb,
        incident=incident,
        identifier=str(info.get("identifier", "")),
        title=str(info.get("label", "")),
        date=str(info.get("date", "")),
        status=str(info.get("status", "")),
        sources=sources,
        sentence=f"{clause} ({', '.join(e for e in evidence if e)}).",
    )


def _systems(g: nx.Graph, incident: str, developer: str | None) -> str:
    """The AI systems of an incident, preferring those ``developer`` developed."""
    systems = [
        n
        for n in g.adj[incident]
        if g.nodes[n].get("kind") == "system" and not g.nodes[n].get("unknown")
    ]
    if developer is not None:
        own = [s for s in systems if g.has_edge(s, developer)]
        systems = own or systems
    labels = sorted(_label(g, s) for s in systems)
    return " and ".join(labels) if labels else "an AI system"


def _verbs(roles: Sequence[str], passive: bool = False) -> str:
    done = [_DID[r] for r in roles if r in _DID]
    text = " and ".join(done)
    return f"{text} by" if passive and text else text


def _clause(
    g: nx.Graph,
    incident: str,
    a: str | None,
    la: str,
    ra: tuple[str, ...],
    b: str | None,
    lb: str,
    rb: tuple[str, ...],
) -> str:
    info: dict[str, Any] = g.nodes[incident]
    acts_a, acts_b = [r for r in ra if r in _ACTING], [r for r in rb if r in _ACTING]
    named = f"{info.get('identifier', '')} “{info.get('label', '')}”"
    if b is None:
        if _outside(ra):
            return f"{la} {_outside_verbs(ra)} {named}"
        return f"{la} is a {', '.join(ra) or 'party'} in {named}"
    if a is not None and (_outside(ra) or _outside(rb)):
        return _outside_clause(g, incident, (a, la, ra), (b, lb, rb))
    kind_a, kind_b = g.nodes[a].get("kind"), g.nodes[b].get("kind")
    if acts_a and acts_b:
        if acts_a == acts_b:
            return f"{la} and {lb} both {_verbs(acts_a)} {_systems(g, incident, None)}"
        return f"{la} {_verbs(acts_a)} {_systems(g, incident, a)}, {_verbs(acts_b, True)} {lb}"
    if acts_a and kind_b == "system":
        return f"{la} {_verbs(acts_a)} {lb}"
    if kind_a == "system" and acts_b:
        return f"{la} was {_verbs(acts_b, True)} {lb}"
    if acts_a and "harmed" in rb:
        return f"{la} {_verbs(acts_a)} {_systems(g, incident, a)}, which harmed {lb}"
    if "harmed" in ra and acts_b:
        return f"{la} was harmed by {_systems(g, incident, b)}, {_verbs(acts_b, True)} {lb}"
    if kind_a == "system" and "harmed" in rb:
        return f"{la} harmed {lb}"
    if "harmed" in ra and kind_b == "system":
        return f"{la} was harmed by {lb}"
    if "harmed" in ra and "harmed" in rb:
        return f"{la} and {lb} were both harmed by {_systems(g, incident, None)}"
    if "implicated" in ra:
        return f"{la} is implicated in an incident in which {lb} is {_role_phrase(rb)}"
    if "implicated" in rb:
        return f"{la} is {_role_phrase(ra)} in an incident in which {lb} is implicated"
    return f"{la} ({_role_phrase(ra)}) and {lb} ({_role_phrase(rb)}) share an incident"


def _role_phrase(roles: Sequence[str]) -> str:
    names = {
        "system": "the AI system",
        "harmed": "a harmed party",
        "implicated": "an implicated party",
        "oversight": "the overseeing authority",
        "reported": "a reporter",
    }
    return " and ".join(names.get(r, f"a {r}") for r in roles) or "a party"


def _outside(roles: Sequence[str]) -> bool:
    """Whether the roles are only oversight or reporting (the actor is not a party)."""
    return bool(roles) and all(r in _OUTSIDE for r in roles)


def _outside_verbs(roles: Sequence[str]) -> str:
    return " and ".join(_OUTSIDE[r] for r in roles)


Party = tuple[str, str, tuple[str, ...]]


def _outside_clause(g: nx.Graph, incident: str, a: Party, b: Party) -> str:
    """A hop in which one or both parties only oversaw or reported the incident.

    "Rite Aid deployed …; US Federal Trade Commission acted on it (oversight)",
    "Northpointe developed COMPAS, reported by ProPublica".
    """
    (na, la, ra), (nb, lb, rb) = a, b
    if _outside(ra) and _outside(rb):
        return f"{la} {_outside_verbs(ra)} and {lb} {_outside_verbs(rb)} the same incident"
    if _outside(ra):
        verb = "acted on (oversight)" if "oversight" in ra else "reported"
        return f"{la} {verb} an incident in which {_part(g, incident, nb, lb, rb)}"
    part = _part(g, incident, na, la, ra)
    if "oversight" in rb:
        return f"{part}; {lb} acted on it (oversight)"
    return f"{part}, reported by {lb}"


def _part(g: nx.Graph, incident: str, n: str, label: str, roles: Sequence[str]) -> str:
    """What a party did or suffered in the incident, as a clause."""
    acting = [r for r in roles if r in _ACTING]
    if acting:
        return f"{label} {_verbs(acting)} {_systems(g, incident, n)}"
    if "harmed" in roles:
        return f"{label} was harmed by {_systems(g, incident, None)}"
    if g.nodes[n].get("kind") == "system":
        return f"{label} was the AI system"
    return f"{label} was {_role_phrase(roles)}"
