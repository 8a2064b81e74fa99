"""How is A connected to B? Shortest and alternative paths, with the evidence for each hop.

:func:`find_paths` walks the network of :mod:`graph.network_build` with
:func:`networkx.shortest_simple_paths` (shortest first, then alternatives), never
through an explicit unknown (``hg:Unknown`` says nothing about who is connected),
by default never through an actor that only oversaw or reported the incidents it
links (a regulator that fined two unrelated companies does not connect them:
:data:`graph.network_build.OUTSIDE_ROLES`; a path may still start or end at it) and,
optionally, never through hubs. Each path is cut into :class:`Hop` s, one per step
from a party to the next: through an incident (with the two parties' roles, the
incident's identifier, date, status and sources) or along a direct link (a system's
developer, a parent organisation). Each hop is written out as a sentence by
:mod:`graph.path_sentences`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice

import networkx as nx

from graph.errors import BadRequest, NotFound
from graph.network import Filters, View, allowed
from graph.network_build import outside_only
from graph.path_sentences import Hop, Source, hops

__all__ = ["Hop", "Path", "Source", "find_paths", "path_view", "steps"]

#: Default number of paths (the shortest plus alternatives).
MAX_PATHS = 5
#: Default and largest hop limit (party-to-party steps).
MAX_HOPS = 4
HOP_LIMIT = 6


@dataclass(frozen=True)
class Path:
    """A path from A to B: its nodes and its hops."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def sentence(self) -> str:
        """The hops' sentences, in order."""
        return " ".join(h.sentence for h in self.hops)

    @property
    def alleged(self) -> bool:
        """Whether any hop rests on an incident that is not confirmed."""
        return any(h.link == "incident" and h.status != "confirmed" for h in self.hops)


def find_paths(
    g: nx.Graph,
    source: str,
    target: str,
    *,
    limit: int = MAX_PATHS,
    max_hops: int = MAX_HOPS,
    hub_degree: int | None = None,
    filters: Filters | None = None,
    through_outside: bool = False,
) -> list[Path]:
    """The shortest paths from ``source`` to ``target``, shortest first, at most ``limit``.

    Args:
        g: the network.
        source: IRI of the start (a party or an incident).
        target: IRI of the end.
        limit: how many paths, the shortest and then alternatives.
        max_hops: longest path, in party-to-party steps (1..:data:`HOP_LIMIT`).
        hub_degree: if set, paths avoid parties with more links than this (other than
            the two ends): "connected through Google" says little.
        filters: incidents and party kinds a path may go through.
        through_outside: also go through oversight and reporting links (an authority
            that acted on an incident, an organisation that exposed or litigated it);
            without it they are used only by a path that starts or ends at that actor.

    Raises:
        NotFound: an end is not in the network.
        BadRequest: the ends are the same, or ``max_hops``/``limit`` are out of range.

    >>> g = nx.Graph()
    >>> g.add_node("a", kind="actor", unknown=False, label="A")
    >>> g.add_node("b", kind="actor", unknown=False, label="B")
    >>> g.add_node("i", kind="incident", unknown=False, label="T", identifier="X-1",
    ...            date="2020", status="confirmed", sources=(("https://e.org/", "T", "E"),))
    >>> g.add_edge("a", "i", kind="role", roles=("developer",), incident="i")
    >>> g.add_edge("b", "i", kind="role", roles=("deployer",), incident="i")
    >>> find_paths(g, "a", "b")[0].sentence
    'A developed an AI system, deployed by B (X-1, confirmed, 2020, sources: E).'
    """
    for end in (source, target):
        if end not in g:
            raise NotFound(f"{end} is not in the network")
    if source == target:
        raise BadRequest("a path needs two different ends")
    if not 1 <= max_hops <= HOP_LIMIT:
        raise BadRequest(f"max_hops must be between 1 and {HOP_LIMIT}, not {max_hops}")
    if not 1 <= limit <= 20:
        raise BadRequest(f"limit must be between 1 and 20, not {limit}")
    paths = _walk(g, source, target, max_hops, hub_degree, filters or Filters(), through_outside)
    return [Path(tuple(nodes), tuple(hops(g, nodes))) for nodes in islice(paths, limit)]


def _walk(
    g: nx.Graph,
    source: str,
    target: str,
    max_hops: int,
    hub_degree: int | None,
    filters: Filters,
    through_outside: bool,
) -> Iterator[list[str]]:
    ends = (source, target)
    # Unknowns are never a connection, whatever the filters say about showing them.
    ok = allowed(g, replace(filters, include_unknown=False))
    if hub_degree is not None:
        hubs = {n for n, d in g.degree if d > hub_degree and g.nodes[n]["kind"] != "incident"}
        ok = ok - hubs
    edges = g.edges
    view = nx.subgraph_view(
        g,
        filter_node=lambda n: n in ok or n in ends,
        filter_edge=lambda u, v: (
            through_outside or u in ends or v in ends or not outside_only(edges[u, v])
        ),
    )
    try:
        for nodes in nx.shortest_simple_paths(view, source, target):
            if len(nodes) - 1 > 2 * max_hops:
                return
            if steps(g, nodes) <= max_hops:
                yield nodes
    except nx.NetworkXNoPath:
        return


def steps(g: nx.Graph, nodes: list[str]) -> int:
    """Party-to-party steps of a node path (an incident in the middle is half of one).

    >>> g = nx.Graph()
    >>> g.add_nodes_from(["a", "b"], kind="actor")
    >>> g.add_node("i", kind="incident")
    >>> steps(g, ["a", "i", "b"])
    1
    """
    inner = sum(1 for n in nodes[1:-1] if g.nodes[n]["kind"] == "incident")
    return len(nodes) - 1 - inner


def path_view(g: nx.Graph, paths: list[Path], ends: tuple[str, str]) -> View:
    """The paths as a view: their nodes and only the edges they use.

    >>> v = path_view(nx.path_graph(3), [Path((0, 1, 2), ())], (0, 2))
    >>> sorted(v.graph.edges)
    [(0, 1), (1, 2)]
    """
    sub = nx.Graph()
    for path in paths:
        for n in path.nodes:
            sub.add_node(n, **g.nodes[n])
        for u, v in zip(path.nodes, path.nodes[1:], strict=False):
            sub.add_edge(u, v, **g.edges[u, v])
    for end in ends:
        if end in g and end not in sub:
            sub.add_node(end, **g.nodes[end])
    return View(sub, focus=ends, total_nodes=sub.number_of_nodes(), meta={"paths": paths})
