"""Sizing and colouring of a view: degree or betweenness, and Louvain communities.

Both are seeded (:data:`SEED`), so the same view gets the same sizes and the same
community colours on every load.
"""

from __future__ import annotations

from typing import Literal

import networkx as nx

from graph.errors import BadRequest

#: Seed of every randomised algorithm here: colours and sizes are stable between loads.
SEED = 42
#: Above this many nodes betweenness is approximated from :data:`BETWEENNESS_SAMPLES` sources.
EXACT_BETWEENNESS_MAX = 100
BETWEENNESS_SAMPLES = 64

SizeBy = Literal["degree", "betweenness"]


def sizes(g: nx.Graph, by: str = "degree", *, samples: int | None = None) -> dict[str, float]:
    """A size for each node: normalised degree or betweenness centrality (0..1).

    Betweenness is exact up to :data:`EXACT_BETWEENNESS_MAX` nodes and approximated with
    ``samples`` (default :data:`BETWEENNESS_SAMPLES`) seeded source nodes above that.

    Raises:
        BadRequest: ``by`` is neither ``degree`` nor ``betweenness``.

    >>> sizes(nx.path_graph(3), "betweenness")
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    if by == "degree":
        return dict(nx.degree_centrality(g)) if len(g) > 1 else dict.fromkeys(g, 0.0)
    if by != "betweenness":
        raise BadRequest(f"size by 'degree' or 'betweenness', not {by!r}")
    n = g.number_of_nodes()
    k = None
    if n > EXACT_BETWEENNESS_MAX or samples is not None:
        k = min(samples or BETWEENNESS_SAMPLES, n)
    return dict(nx.betweenness_centrality(canonical(g), k=k, seed=SEED))


def communities(g: nx.Graph, *, weight: str | None = "weight") -> dict[str, int]:
    """Louvain community of each node (seeded), numbered largest first.

    Communities are ordered by size, then by their smallest node, so the numbering
    (and the colour a view gives it) does not depend on set iteration order.

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> communities(g)
    {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    """
    found = nx.community.louvain_communities(canonical(g), weight=weight, seed=SEED)
    ordered = sorted(found, key=lambda c: (-len(c), min(str(n) for n in c)))
    return {n: i for i, members in enumerate(ordered) for n in sorted(members, key=str)}


def canonical(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` with nodes and edges in sorted order.

    Seeded algorithms visit nodes in insertion order; sorting makes their result depend
    on the graph only, not on the order the store returned the rows in.

    >>> list(canonical(nx.Graph([(3, 1), (2, 1)])).edges)
    [(1, 2), (1, 3)]
    """
    h = nx.Graph()
    h.add_nodes_from(sorted(g, key=str))
    edges = sorted((tuple(sorted((u, v), key=str)) for u, v in g.edges), key=str)
    h.add_edges_from((u, v, g.edges[u, v]) for u, v in edges)
    return h


def annotate(g: nx.Graph, *, size_by: str = "degree") -> None:
    """Set ``size``, ``degree`` and ``community`` on every node of a view graph.

    >>> g = nx.path_graph(3)
    >>> annotate(g, size_by="betweenness")
    >>> g.nodes[1]["size"], g.nodes[1]["degree"]
    (1.0, 2)
    """
    size = sizes(g, size_by)
    community = communities(g)
    for n, attrs in g.nodes(data=True):
        attrs["size"] = size.get(n, 0.0)
        attrs["degree"] = g.degree(n)
        attrs["community"] = community.get(n, -1)
