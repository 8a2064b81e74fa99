"""Likely duplicate actors in the store, for a curator to confirm into the registry.

Resolution (:mod:`graph.resolve`) merges only on exact keys. :func:`find_candidates`
lists the near misses it left: pairs of actors whose names score at least
``min_score`` under :func:`graph.names.similarity` (same name once suffixes are
dropped, an acronym that spells the other's initials, one name's words inside the
other's, or similar words such as a misspelling). Nothing here changes the store.

Pairs are only compared when they share a blocking key (a rare word, the first four
letters of a word, or initials/acronym), so the cost grows with the number of actors,
not its square. Pairs a curator already decided are skipped: both actors in the
registry, or one the parent organisation of the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.model import HG, META_GRAPH, SCHEMA, VOCAB_GRAPH
from graph.names import CORPORATE_SUFFIXES, STOPWORDS, acronym_key, initials, similarity, tokens
from graph.registry import REGISTRY_GRAPH
from graph.store import Store

#: A blocking key shared by more actors than this says nothing (e.g. "police").
MAX_BLOCK = 40


@dataclass(frozen=True)
class Candidate:
    """Two actors that may be one."""

    a: URIRef
    b: URIRef
    label_a: str
    label_b: str
    score: float
    reason: str

    def as_row(self) -> dict[str, str | float]:
        """The candidate as a flat record (CSV row, JSON object)."""
        return {
            "score": self.score,
            "a": str(self.a),
            "label_a": self.label_a,
            "b": str(self.b),
            "label_b": self.label_b,
            "reason": self.reason,
        }


@dataclass
class _Actor:
    iri: URIRef
    label: str
    names: list[str]
    in_registry: bool


def _actors(store: Store) -> list[_Actor]:
    skipped = (META_GRAPH, VOCAB_GRAPH)
    iris = sorted(
        {s for s, _, _, g in store.quads(None, RDF.type, HG.Actor) if g not in skipped}, key=str
    )
    actors = []
    for iri in iris:
        if not isinstance(iri, URIRef):
            continue
        labels = sorted({str(o) for *_, o, g in store.quads(iri, RDFS.label) if g not in skipped})
        aliases = sorted(
            {
                str(o)
                for *_, o, g in store.quads(iri, SKOS.altLabel)
                if g not in skipped and isinstance(o, Literal)
            }
        )
        if labels:
            in_registry = any(True for _ in store.quads(iri, RDF.type, HG.Actor, REGISTRY_GRAPH))
            actors.append(_Actor(iri, labels[0], labels + aliases, in_registry))
    return actors


def _keys(actor: _Actor) -> set[str]:
    keys = set()
    for name in actor.names:
        words = [w for w in tokens(name) if w not in STOPWORDS and w not in CORPORATE_SUFFIXES]
        keys |= {f"w:{w}" for w in words if len(w) >= 3}
        keys |= {f"p:{w[:4]}" for w in words if len(w) >= 5}
        acronym = acronym_key(name) or (initials(name) if len(words) > 1 else None)
        if acronym and len(acronym) >= 2:
            keys.add(f"a:{acronym}")
    return keys


def _related(store: Store, a: URIRef, b: URIRef) -> bool:
    return any(
        True for x, y in ((a, b), (b, a)) for _ in store.quads(x, SCHEMA.parentOrganization, y)
    )


def find_candidates(
    store: Store, *, min_score: float = 0.85, limit: int | None = None
) -> list[Candidate]:
    """Pairs of actors that may be duplicates, best first.

    >>> find_candidates(Store.open("memory"))
    []
    """
    actors = _actors(store)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, actor in enumerate(actors):
        for key in _keys(actor):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            pairs.update(combinations(members, 2))
    found = []
    for i, j in sorted(pairs):
        a, b = actors[i], actors[j]
        if (a.in_registry and b.in_registry) or _related(store, a.iri, b.iri):
            continue
        score, reason = max(_scores(a.names, b.names))
        if score >= min_score:
            found.append(Candidate(a.iri, b.iri, a.label, b.label, score, reason))
    found.sort(key=lambda c: (-c.score, c.label_a, c.label_b))
    return found[:limit] if limit is not None else found


def _scores(names_a: Iterable[str], names_b: list[str]) -> Iterable[tuple[float, str]]:
    for x in names_a:
        for y in names_b:
            score, reason = similarity(x, y)
            yield score, f"{reason}: {x!r} ~ {y!r}"
