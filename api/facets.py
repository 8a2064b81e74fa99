"""The choices of the explorer's filter form: the values the network holds, with their labels.

Each filter lists the concept notations found on the network's incidents (how many
incidents carry each), labelled with the concept's ``skos:prefLabel`` from the
vocabulary files (``data/vocab/{scheme}.ttl``, parsed once).
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from functools import lru_cache
from pathlib import Path

from rdflib import SKOS, Graph, Literal

from graph.network_build import Network, notation

#: Filter key → (incident attribute, vocabulary scheme).
FACETS = {
    "severity": ("severity", "severity"),
    "status": ("status", "status"),
    "dataset": ("datasets", "dataset"),
    "pattern": ("patterns", "pattern"),
    "domain": ("domains", "domain"),
    "region": ("regions", "region"),
}
Option = tuple[str, str, int]

_MEMO: weakref.WeakKeyDictionary[Network, dict[str, list[Option]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@lru_cache(maxsize=32)
def concept_labels(vocab_dir: Path, scheme: str) -> dict[str, str]:
    """Notation → English preferred label of a scheme's concepts.

    >>> from graph.settings import PROJECT_ROOT
    >>> concept_labels(PROJECT_ROOT / "data" / "vocab", "severity")["high"]
    'High'
    """
    path = vocab_dir / f"{scheme}.ttl"
    if not path.is_file():
        return {}
    g = Graph().parse(path, format="turtle")
    labels: dict[str, str] = {}
    for concept, label in g.subject_objects(SKOS.prefLabel):
        if isinstance(label, Literal) and label.language in (None, "en"):
            labels.setdefault(notation(str(concept)), str(label))
    return labels


def facet_options(network: Network, vocab_dir: Path) -> dict[str, list[Option]]:
    """For each filter, ``(value, label, incidents)`` sorted by label."""
    with _LOCK:
        found = _MEMO.get(network)
    if found is not None:
        return found
    counts: dict[str, Counter[str]] = {key: Counter() for key in FACETS}
    for _, a in network.graph.nodes(data=True):
        if a.get("kind") != "incident":
            continue
        for key, (attr, _) in FACETS.items():
            value = a.get(attr, "")
            counts[key].update([value] if isinstance(value, str) else value)
    found = {}
    for key, (_, scheme) in FACETS.items():
        labels = concept_labels(vocab_dir, scheme)
        found[key] = sorted(
            ((v, labels.get(v, v), n) for v, n in counts[key].items() if v),
            key=lambda o: (o[1].casefold(), o[0]),
        )
    with _LOCK:
        _MEMO[network] = found
    return found
