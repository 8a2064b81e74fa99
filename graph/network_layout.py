"""Server-side positions for a view: rings around the focus, or paths laid left to right.

The explorer draws large views with physics off, so the server decides where each
node goes. Both layouts are deterministic (no randomness at all: the same view is
drawn the same way on every load) and linear in the size of the view, so they cost
nothing next to the query (networkx's force layouts would need numpy, which
harmgraph does not depend on).

- :func:`radial_layout`: the focus in the middle, each further hop on a wider ring;
  a node sits near the angle of the nodes that led to it, so branches stay together.
  Without a focus each connected component is centred on its best-linked node, and
  the components are packed side by side, largest first.
- :func:`path_layout`: the start on the left, the end on the right, each path on its
  own row, the shortest in the middle.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence

import networkx as nx

Position = tuple[float, float]

#: Distance between two rings, and the least arc between two nodes on a ring (pixels).
RING_STEP = 160.0
NODE_SPACING = 46.0
#: Horizontal length of a path drawing and the distance between two path rows.
PATH_WIDTH = 900.0
ROW_STEP = 120.0


def radial_layout(g: nx.Graph, focus: Iterable[Hashable] = ()) -> dict[Hashable, Position]:
    """Positions on rings around ``focus`` (or each component's best-linked node).

    >>> pos = radial_layout(nx.star_graph(4), [0])
    >>> pos[0], round(math.hypot(*pos[1]))
    ((0.0, 0.0), 160)
    """
    roots = [n for n in focus if n in g]
    blocks: list[dict[Hashable, Position]] = []
    if roots:
        reached = _bfs_nodes(g, roots)
        blocks.append(_rings(g, roots, reached))
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(str(n) for n in c)))
    placed = set(blocks[0]) if blocks else set()
    for component in components:
        rest = [n for n in component if n not in placed]
        if not rest:
            continue
        root = max(rest, key=lambda n: (g.degree(n), _neg_key(n)))
        blocks.append(_rings(g, [root], set(rest)))
        placed.update(rest)
    return _pack(blocks)


def _neg_key(n: Hashable) -> tuple[int, ...]:
    """A key that makes :func:`max` prefer the smallest node name on ties."""
    return tuple(-ord(c) for c in str(n))


def _bfs_nodes(g: nx.Graph, roots: Sequence[Hashable]) -> set[Hashable]:
    seen = set(roots)
    frontier = list(roots)
    while frontier:
        nxt = []
        for n in frontier:
            for m in g.adj[n]:
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    return seen


def _rings(
    g: nx.Graph, roots: Sequence[Hashable], members: set[Hashable]
) -> dict[Hashable, Position]:
    """Lay ``members`` (all reachable from ``roots``) on rings by hop distance."""
    angle: dict[Hashable, float] = {}
    pos: dict[Hashable, Position] = {}
    ring = sorted(roots, key=str)
    radius = 0.0 if len(ring) == 1 else _radius(len(ring), 0.0)
    _place(ring, radius, {n: i / len(ring) for i, n in enumerate(ring)}, angle, pos)
    seen = set(ring)
    while ring:
        nxt: dict[Hashable, list[float]] = {}
        for n in ring:
            for m in g.adj[n]:
                if m in members and m not in seen:
                    nxt.setdefault(m, []).append(angle[n])
        if not nxt:
            break
        wanted = {m: _mean_angle(angles) for m, angles in nxt.items()}
        ring = sorted(nxt, key=lambda m: (wanted[m], str(m)))
        radius = _radius(len(ring), radius)
        _place(ring, radius, wanted, angle, pos)
        seen.update(ring)
    return pos


def _radius(count: int, inner: float) -> float:
    """A ring radius wide enough for ``count`` nodes, at least one step past ``inner``."""
    return max(inner + RING_STEP, count * NODE_SPACING / (2 * math.pi))


def _place(
    ring: list[Hashable],
    radius: float,
    wanted: dict[Hashable, float],
    angle: dict[Hashable, float],
    pos: dict[Hashable, Position],
) -> None:
    """Spread ``ring`` evenly, rotated so its nodes sit near the angles they want."""
    n = len(ring)
    if n == 1 and radius == 0.0:
        angle[ring[0]] = 0.0
        pos[ring[0]] = (0.0, 0.0)
        return
    # Even spacing in the wanted order, offset by the mean difference to the wanted angles.
    offset = _mean_angle([(wanted[m] - i / n) % 1.0 for i, m in enumerate(ring)])
    for i, m in enumerate(ring):
        a = (i / n + offset) % 1.0
        angle[m] = a
        theta = 2 * math.pi * a
        pos[m] = (round(radius * math.cos(theta), 1), round(radius * math.sin(theta), 1))


def _mean_angle(turns: Sequence[float]) -> float:
    """The circular mean of angles given in turns (0..1).

    >>> round(_mean_angle([0.95, 0.05]), 6) % 1.0
    0.0
    """
    x = sum(math.cos(2 * math.pi * t) for t in turns)
    y = sum(math.sin(2 * math.pi * t) for t in turns)
    if abs(x) < 1e-12 and abs(y) < 1e-12:
        return turns[0] if turns else 0.0
    return (math.atan2(y, x) / (2 * math.pi)) % 1.0


def _pack(blocks: list[dict[Hashable, Position]]) -> dict[Hashable, Position]:
    """Place blocks left to right in rows about as wide as the first (largest) block."""
    out: dict[Hashable, Position] = {}
    if not blocks:
        return out
    extents = [_extent(b) for b in blocks]
    row_width = max(2 * extents[0], 1200.0)
    x = y = row_height = 0.0
    for i, (block, r) in enumerate(zip(blocks, extents, strict=True)):
        size = 2 * r + NODE_SPACING
        if i and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        if i == 0:
            cx = cy = 0.0
            x, row_height = size / 2, size / 2
        else:
            x += size
            row_height = max(row_height, size)
        for n, (px, py) in block.items():
            out[n] = (round(px + cx, 1), round(py + cy, 1))
    return out


def _extent(block: dict[Hashable, Position]) -> float:
    return max((math.hypot(x, y) for x, y in block.values()), default=0.0)


def path_layout(paths: Sequence[Sequence[Hashable]]) -> dict[Hashable, Position]:
    """Positions for node paths sharing their ends: start left, end right, a row per path.

    A node on several paths keeps the place of the first (shortest) one.

    >>> pos = path_layout([["a", "i", "b"], ["a", "j", "c", "k", "b"]])
    >>> pos["a"], pos["b"], pos["i"], pos["c"]
    ((0.0, 0.0), (900.0, 0.0), (450.0, 0.0), (450.0, 120.0))
    """
    pos: dict[Hashable, Position] = {}
    for row, nodes in enumerate(paths):
        # Rows alternate below and above the shortest path: 0, +1, -1, +2, -2, ...
        away = (row + 1) // 2
        y = ROW_STEP * away * (1 if row % 2 else -1) if away else 0.0
        last = max(len(nodes) - 1, 1)
        for i, n in enumerate(nodes):
            if n not in pos:
                pos[n] = (round(PATH_WIDTH * i / last, 1), float(y) if 0 < i < last else 0.0)
    return pos
