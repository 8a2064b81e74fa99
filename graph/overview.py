"""What the graph holds, in numbers: for the home page and the dataset description.

>>> from graph.store import Store
>>> o = overview(Store.open("memory"))
>>> o.counts["incidents"], o.triples, o.licence
(0, 0, 'https://creativecommons.org/licenses/by/4.0/')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from graph import model, queries
from graph.store import Store

#: harmgraph's own data and vocabularies.
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
#: The AI Incident Database's licence, inherited by any graph that includes it.
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
#: Kinds of resources counted, in display order.
KINDS = ("incidents", "actors", "systems", "groups", "sources")


@dataclass(frozen=True)
class Overview:
    """Counts, last update and licence of the whole graph."""

    counts: dict[str, int]
    #: Incidents per source dataset concept IRI (``hgv:dataset/…``).
    datasets: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    #: ISO date-time of the latest import, if any import is recorded.
    modified: str | None = None
    #: Whether AIID data (CC BY-SA 4.0) is in the store.
    includes_aiid: bool = False

    @property
    def licence(self) -> str:
        """CC BY-SA 4.0 when AIID data is included, else CC BY 4.0."""
        return CC_BY_SA if self.includes_aiid else CC_BY


def overview(store: Store) -> Overview:
    """Count incidents, actors, systems, harmed groups, sources and triples (two cheap queries)."""
    counts = dict.fromkeys(KINDS, 0)
    datasets: dict[str, int] = {}
    for row in store.select(queries.OVERVIEW):
        kind, n = _value(row["kind"]), int(_value(row["n"]))
        if kind in counts:
            counts[kind] = n
        else:
            datasets[kind] = n
    modified = None
    meta = {"meta": ox.NamedNode(str(model.META_GRAPH))}
    for row in store.select(queries.LAST_MODIFIED, substitutions=meta):
        modified = _value(row["last"])
    aiid = {"g": ox.NamedNode(str(model.named_graph("aiid")))}
    return Overview(
        counts=counts,
        datasets=dict(sorted(datasets.items())),
        triples=store.count(),
        modified=modified,
        includes_aiid=bool(store.query(queries.GRAPH_NONEMPTY, substitutions=aiid)),
    )


def _value(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    raise TypeError(f"expected an IRI or a literal, got {term!r}")
