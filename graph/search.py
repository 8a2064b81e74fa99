"""Find actors, AI systems, harmed groups and incidents by name, alias, acronym or identifier.

:class:`SearchIndex` is built in memory from the network graph
(:attr:`graph.network_build.Network.index`, cached with it). Names are compared
folded: accents removed, case folded, punctuation turned into spaces; a second,
"compact" form without spaces lets "US" find "U.S.". Ranking, best first:

0. exact match of a label, alias, acronym or incident identifier ("ICE", "INC-26-0068");
1. prefix of one ("pal" → Palantir Technologies);
2. prefix of a word in one ("customs" → U.S. Immigration and Customs Enforcement);
3. substring;

then parties before incidents, then by degree in the network (the better connected
first), then shorter labels. Queries of one or two letters match prefixes only.
:func:`resolve` turns what a user typed in ``/path?from=…`` into one IRI.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from graph import model
from graph.errors import BadRequest, NotFound
from graph.network_build import Network, get_network
from graph.store import Store

#: Match kinds, best first (the ``score`` of a :class:`Hit`).
EXACT, PREFIX, WORD_PREFIX, SUBSTRING = 0, 1, 2, 3
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SLUG_KINDS = ("actor", "system", "group", "incident")


def fold(text: str) -> str:
    """Fold a name for comparison: no accents, case folded, punctuation as single spaces.

    >>> fold("  Zürich  Police-Dept. ")
    'zurich police dept'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", bare.casefold()).strip()


@dataclass(frozen=True)
class Hit:
    """One search result."""

    iri: str
    label: str
    kind: str
    #: The name that matched (a label, an alias or an identifier).
    matched: str
    score: int
    degree: int


@dataclass(frozen=True)
class _Entry:
    folded: str
    compact: str
    iri: str
    name: str


class SearchIndex:
    """Type-ahead index over the names of a network's nodes."""

    def __init__(self, entries: list[_Entry], nodes: dict[str, tuple[str, str, bool, int]]):
        self._entries = entries
        #: IRI → (label, kind, unknown, degree).
        self.nodes = nodes

    @classmethod
    def build(cls, g: nx.Graph) -> SearchIndex:
        """Index every node's label, aliases and identifier.

        >>> g = nx.Graph()
        >>> g.add_node("x", kind="actor", label="Palantir Technologies", aliases=("Palantir",))
        >>> len(SearchIndex.build(g))
        2
        """
        entries: list[_Entry] = []
        nodes: dict[str, tuple[str, str, bool, int]] = {}
        for iri, a in g.nodes(data=True):
            label = str(a.get("label", iri))
            nodes[iri] = (label, str(a.get("kind", "")), bool(a.get("unknown")), g.degree(iri))
            names = {label, *a.get("aliases", ())}
            if a.get("identifier"):
                names.add(str(a["identifier"]))
            for name in sorted(names):
                folded = fold(name)
                if folded:
                    entries.append(_Entry(folded, folded.replace(" ", ""), iri, name))
        return cls(entries, nodes)

    def __len__(self) -> int:
        return len(self._entries)

    @cached_property
    def _by_compact(self) -> dict[str, dict[str, str]]:
        # compact name -> {IRI: the first of its names with it}, as search() reports it
        by: dict[str, dict[str, str]] = {}
        for e in self._entries:
            by.setdefault(e.compact, {}).setdefault(e.iri, e.name)
        return by

    def exact(self, text: str) -> list[Hit]:
        """The nodes a name, alias or identifier of which is ``text`` (folded), best first:
        what :meth:`search` scores ``EXACT`` (unknowns included), from a dict, not a scan.

        >>> g = nx.Graph()
        >>> g.add_node("a", kind="actor", label="Palantir Technologies", aliases=("Palantir",))
        >>> g.add_node("b", kind="actor", label="Palantir Fans")
        >>> [h.iri for h in SearchIndex.build(g).exact(" palantir ")]
        ['a']
        """
        compact = fold(text).replace(" ", "")
        hits = []
        for iri, name in self._by_compact.get(compact, {}).items() if compact else ():
            label, kind, _, degree = self.nodes[iri]
            hits.append(Hit(iri, label, kind, name, EXACT, degree))
        return sorted(hits, key=_rank)

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        kinds: frozenset[str] | None = None,
        include_unknown: bool = False,
    ) -> list[Hit]:
        """The best matches for ``text``, best first (see the module docstring).

        >>> g = nx.Graph()
        >>> g.add_node("a", kind="actor", label="U.S. Immigration and Customs Enforcement",
        ...            aliases=("ICE",))
        >>> g.add_node("b", kind="actor", label="Iceland Police")
        >>> [h.label for h in SearchIndex.build(g).search("ice")]
        ['U.S. Immigration and Customs Enforcement', 'Iceland Police']
        """
        query = fold(text)
        compact = query.replace(" ", "")
        if not compact:
            return []
        padded = " " + query
        short = len(compact) < 3  # one or two letters: prefixes only, not every "a" inside
        best: dict[str, tuple[int, str]] = {}
        for e in self._entries:
            if compact not in e.compact:
                continue
            if e.folded == query or e.compact == compact:
                score = EXACT
            elif e.folded.startswith(query) or e.compact.startswith(compact):
                score = PREFIX
            elif padded in " " + e.folded:
                score = WORD_PREFIX
            elif short:
                continue
            else:
                score = SUBSTRING
            if e.iri not in best or score < best[e.iri][0]:
                best[e.iri] = (score, e.name)
        hits = []
        for iri, (score, name) in best.items():
            label, kind, unknown, degree = self.nodes[iri]
            if (unknown and not include_unknown) or (kinds and kind not in kinds):
                continue
            hits.append(Hit(iri, label, kind, name, score, degree))
        return heapq.nsmallest(limit, hits, key=_rank)


def _rank(h: Hit) -> tuple[int, bool, int, int, str, str]:
    # At the same match quality parties come before incidents whose *title* matched:
    # "pal" means Palantir, not every incident title starting with "Palantir".
    return (h.score, h.kind == "incident", -h.degree, len(h.label), h.label, h.iri)


def resolve(source: Store | Network | SearchIndex, text: str) -> str:
    """The IRI a user means by ``text``: an IRI, a CURIE, a slug, a name or an alias.

    In order: an IRI (or ``hgid:`` CURIE) of a node; an exact name, alias, acronym or
    identifier (the best connected if several); a slug (``palantir`` →
    ``hgid:actor/palantir``, also ``actor/palantir``); the best prefix match.

    Raises:
        BadRequest: ``text`` is empty.
        NotFound: nothing matches well enough (the message suggests close names).

    >>> g = nx.Graph()
    >>> palantir = str(model.mint("actor", "palantir"))
    >>> g.add_node(palantir, kind="actor", label="Palantir Technologies")
    >>> index = SearchIndex.build(g)
    >>> resolve(index, "palantir") == resolve(index, "Palantir Technologies")
    True
    """
    index = _index(source)
    text = text.strip()
    if not text:
        raise BadRequest("nothing to look up: the name is empty")
    iri = text.replace("hgid:", str(model.ID), 1) if text.startswith("hgid:") else text
    if iri in index.nodes:
        return iri
    if iri.startswith(("http://", "https://")):
        raise NotFound(f"{text} is not in the network")
    exact = index.exact(text)  # what search() would rank first, without its scan
    if exact:
        return exact[0].iri
    for candidate in _slug_candidates(text):
        if candidate in index.nodes:
            return candidate
    hits = index.search(text, limit=5, include_unknown=True)
    if hits and hits[0].score <= WORD_PREFIX:
        return hits[0].iri
    suggestions = "; ".join(h.label for h in hits)
    hint = f" (did you mean: {suggestions}?)" if suggestions else ""
    raise NotFound(f"no actor, system, group or incident is called {text!r}{hint}")


def _slug_candidates(text: str) -> list[str]:
    kind, _, rest = text.partition("/")
    if rest and kind in _SLUG_KINDS:
        try:
            return [str(model.mint(kind, rest))]
        except ValueError:
            return []
    try:
        return [str(model.mint(k, text)) for k in _SLUG_KINDS]
    except ValueError:
        return []


def _index(source: Store | Network | SearchIndex) -> SearchIndex:
    if isinstance(source, SearchIndex):
        return source
    if isinstance(source, Network):
        return source.index
    return get_network(source).index
