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
from rdflib.term import Node

from graph.model import HG, META_GRAPH, SCHEMA, VOCAB_GRAPH
from graph.names import CORPORATE_SUFFIXES, STOPWORDS, acronym_key, initials, similarity, tokens
from graph.registry import REGISTRY_GRAPH
from graph.store import RdfQuad, Store

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
    # One pattern per property, not per actor: on a remote store each pattern is a
    # request, and a few thousand actors cost minutes of round trips.
    iris = sorted(
        {s for s, *_ in _stated(store, RDF.type, HG.Actor) if isinstance(s, URIRef)}, key=str
    )
    wanted = set(iris)
    labels = _names(store, RDFS.label, wanted)
    aliases = _names(store, SKOS.altLabel, wanted, literals_only=True)
    registry = {s for s, *_ in store.quads(None, RDF.type, HG.Actor, REGISTRY_GRAPH)}
    actors = []
    for iri in iris:
        if names := sorted(labels.get(iri, ())):
            names_and_aliases = names + sorted(aliases.get(iri, ()))
            actors.append(_Actor(iri, names[0], names_and_aliases, iri in registry))
    return actors


def _stated(store: Store, predicate: URIRef, obj: URIRef | None = None) -> Iterable[RdfQuad]:
    """Quads of ``predicate`` outside the metadata and vocabulary graphs."""
    skipped = (META_GRAPH, VOCAB_GRAPH)
    return (q for q in store.quads(None, predicate, obj) if q[3] not in skipped)


def _names(
    store: Store, predicate: URIRef, wanted: set[URIRef], *, literals_only: bool = False
) -> dict[Node, set[str]]:
    names: dict[Node, set[str]] = defaultdict(set)
    for s, _, o, _ in _stated(store, predicate):
        if s in wanted and (isinstance(o, Literal) or not literals_only):
            names[s].add(str(o))
    return names


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


def find_candidates(
    store: Store, *, min_score: float = 0.85, limit: int | None = None
) -> list[Candidate]:
    """Pairs of actors that may be duplicates, best first.

    >>> find_candidates(Store.open("memory"))
    []
    """
    actors = _actors(store)
    parents = {(s, o) for s, _, o, _ in store.quads(None, SCHEMA.parentOrganization)}
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
        related = (a.iri, b.iri) in parents or (b.iri, a.iri) in parents
        if (a.in_registry and b.in_registry) or related:
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
