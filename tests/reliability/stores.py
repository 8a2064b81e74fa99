"""Helpers of the reliability tests: synthetic imports and store snapshots.

A *snapshot* sums up an on-disk store by what a reader would see: the number of
quads in the data graphs, a SHA-256 of their sorted N-Quads (the synthetic data
has no blank nodes, so the text is canonical) and the number of provenance quads
in :data:`graph.model.META_GRAPH` (whose timestamps differ per run, so only
counted). Two stores with equal snapshots hold the same incidents.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.generate import Generator
from graph import model

_INCIDENT_TITLE = re.compile(
    r"^(<https://w3id\.org/harmgraph/id/incident/[^/>]+> "
    r'<http://purl\.org/dc/terms/title> ".*)"@en \.$',
    re.MULTILINE,
)


@dataclass(frozen=True)
class Snapshot:
    """What a reader sees of a store (see the module docstring)."""

    data_quads: int
    data_hash: str
    meta_quads: int


def snapshot(location: Path) -> Snapshot:
    """Open the store at ``location`` as a server would (no repair step) and sum it up."""
    store = ox.Store(str(location))
    try:
        meta = ox.NamedNode(str(model.META_GRAPH))
        lines, meta_quads = [], 0
        for quad in store:
            if quad.graph_name == meta:
                meta_quads += 1
            else:
                lines.append(str(quad))
    finally:
        del store  # releases the lock
    digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
    return Snapshot(len(lines), digest, meta_quads)


def revise(ntriples: str, label: str) -> str:
    """Append `` (label)`` to every incident title (sources keep theirs: they are shared).

    >>> title = "<http://purl.org/dc/terms/title>"
    >>> line = f'<https://w3id.org/harmgraph/id/incident/x> {title} "T"@en .'
    >>> revise(line, "r1")[-12:]
    'T (r1)"@en .'
    """
    return _INCIDENT_TITLE.sub(lambda m: f'{m.group(1)} ({label})"@en .', ntriples)


def synthetic_files(folder: Path, *, total: int, base: int, seed: int = 2) -> tuple[Path, Path]:
    """Write ``base.nt`` (incidents 1..base) and ``import.nt`` (1..total, titles revised).

    Both come from one seeded :class:`bench.generate.Generator`, so the import
    re-describes the first ``base`` incidents (an update: delete then insert)
    and adds the rest; revising titles makes the update change something.
    """
    incidents = ["\n".join(lines) + "\n" for lines in Generator(total, seed).incidents()]
    base_path, import_path = folder / "base.nt", folder / "import.nt"
    base_path.write_text("".join(incidents[:base]), encoding="utf-8")
    import_path.write_text(revise("".join(incidents), "revised"), encoding="utf-8")
    return base_path, import_path
