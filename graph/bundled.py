"""Load the bundled data into an empty store on first start.

The bundle is: the ontology, the SKOS vocabularies and the shapes (into
:data:`graph.model.VOCAB_GRAPH`), the actor registry and harmed-group table
(``data/registry``, into :data:`graph.registry.REGISTRY_GRAPH`, first: every import
is resolved against it, see :mod:`graph.resolve`), the curated incidents (``data/incidents``),
the AI Incident Database snapshot (``data/aiid``) and the TopAIThreats pages
(``data/topaithreats``), each into its own named graph. A store that already
holds data is never re-imported over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rich.console import Console

from graph.ingest import ImportSummary, import_graph
from graph.model import VOCAB_GRAPH
from graph.registry import REGISTRY_GRAPH, get_registry
from graph.settings import Settings
from graph.sources import read_source
from graph.store import Store
from graph.terms import to_ox
from graph.validation import get_validator


@dataclass
class BundleReport:
    """What :func:`load_bundled` did."""

    loaded: bool
    imports: list[ImportSummary] = field(default_factory=list)
    vocabulary_triples: int = 0
    registry_triples: int = 0


def vocabulary_graph(settings: Settings) -> Graph:
    """The ontology, shapes and every vocabulary file as one graph."""
    g = Graph()
    files = (
        sorted(settings.ontology_dir.glob("*.ttl"))
        + sorted(settings.shapes_dir.glob("*.ttl"))
        + sorted((settings.data_dir / "vocab").glob("*.ttl"))
    )
    for f in files:
        g.parse(f, format="turtle")
    return g


def _steps(data_dir: Path) -> list[tuple[str, list[Path]]]:
    steps: list[tuple[str, list[Path]]] = []
    curated = sorted((data_dir / "incidents").glob("*.ttl"))
    if curated:
        steps.append(("rdf", curated))
    if (data_dir / "aiid" / "incidents.csv").is_file():
        steps.append(("aiid", [data_dir / "aiid"]))
    pages = sorted((data_dir / "topaithreats").glob("*.txt"))
    if pages:
        steps.append(("topaithreats", pages))
    return steps


def load_bundled(
    store: Store,
    settings: Settings,
    *,
    console: Console | None = None,
    force: bool = False,
    on_step: Callable[[str], None] | None = None,
) -> BundleReport:
    """Load the bundle into ``store`` if it is empty (or ``force``).

    >>> from graph.settings import get_settings
    >>> with Store.open("memory") as st:
    ...     _ = st.ox.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    ...     load_bundled(st, get_settings()).loaded
    False
    """
    if store.count() and not force:
        return BundleReport(loaded=False)
    vocab = vocabulary_graph(settings)
    graph_node = to_ox(VOCAB_GRAPH)
    store.extend(
        pyoxigraph.Quad(to_ox(s), to_ox(p), to_ox(o), graph_node)  # type: ignore[arg-type]
        for s, p, o in vocab
    )
    registry = get_registry(settings)
    registry_node = to_ox(REGISTRY_GRAPH)
    store.extend(
        pyoxigraph.Quad(to_ox(s), to_ox(p), to_ox(o), registry_node)  # type: ignore[arg-type]
        for s, p, o in registry.graph
    )
    report = BundleReport(
        loaded=True, vocabulary_triples=len(vocab), registry_triples=len(registry.graph)
    )
    validator = get_validator(settings)
    for kind, files in _steps(settings.data_dir):
        if on_step:
            on_step(kind)
        data, graph_name = read_source(kind, files, console=console)
        report.imports.append(
            import_graph(
                store,
                data,
                graph_name=graph_name,
                source=kind,
                validator=validator,
                registry=registry,
            )
        )
    return report
