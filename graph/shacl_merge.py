"""Compiled SHACL queries that differ only in their focus nodes (or only in what they
remove from the same foci), run as one query.

Over a whole store, a value constraint first selects the path's failing values and
``sh:maxCount`` first counts the path's values, both without regard to the shape's
targets; ``sh:minCount`` removes from the targets the foci that have a value. Several
shapes check the same path the same way (``rdfs:label`` is a literal for actors, systems,
harmed groups, ...), and each such query read the whole path again: reading a literal's
text costs a lookup per value, 0.7-1.1 s per path at 100,000 incidents. Queries whose
:attr:`~graph.shacl_sparql.ConstraintQuery.parts` differ only in their focus pattern are
run as one, the foci as a ``UNION`` whose branches bind ``?k`` to the member's position;
the rows of member ``k`` are exactly those of its own query (``DISTINCT`` per member).
The queries left that remove foci (``MINUS``) from the same focus pattern (the incident's
``sh:minCount`` checks) run as one grouped by focus, so that each focus is read out of the
store once (:func:`_by_focus`).

>>> from graph.shacl_sparql import ConstraintQuery
>>> from rdflib import URIRef
>>> def q(focus: str) -> ConstraintQuery:
...     before = "{ SELECT ?focus ?value WHERE { ?focus <urn:p> ?value FILTER(isIRI(?value)) } }"
...     sparql = f"SELECT DISTINCT ?focus ?value WHERE {{ {before} {focus} }}"
...     return ConstraintQuery(URIRef("urn:s"), None, URIRef("urn:c"), "Info", "m", sparql,
...                            (before, focus, ""))
>>> merged = merge_queries([q("{ ?focus a <urn:A> . }"), q("{ ?focus a <urn:B> . }")])
>>> [m.members for m in merged]
[(0, 1)]
>>> "BIND(1 AS ?k)" in merged[0].sparql
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.shacl_sparql import ConstraintQuery

__all__ = ["MEMBER", "MergedQuery", "merge_queries"]

#: The variable naming a row's member query in a merged query.
MEMBER = "k"
_VARIABLE = re.compile(r"[?$](\w+)")


@dataclass(frozen=True)
class MergedQuery:
    """One query to run for one or more compiled queries.

    Attributes:
        sparql: The query; with several members its rows bind ``?k`` to the position in
            ``members`` of the query they belong to.
        members: Indexes of the compiled queries it answers.
    """

    sparql: str
    members: tuple[int, ...]

    def split(self, rows: Sequence[tuple[object, ...]]) -> list[list[tuple[object, ...]]]:
        """Per member, its rows (with several members, the last column, the positions
        of the members a row belongs to, is left out).

        >>> MergedQuery("", (4, 9)).split([("a", ox.Literal("0 1")), ("b", ox.Literal("1"))])
        [[('a',)], [('a',), ('b',)]]
        """
        if len(self.members) == 1:
            return [list(rows)]
        split: list[list[tuple[object, ...]]] = [[] for _ in self.members]
        for row in rows:
            member = row[-1]
            assert isinstance(member, ox.Literal)  # noqa: S101 - BIND(n) or GROUP_CONCAT
            for position in member.value.split():
                split[int(position)].append(row[:-1])
        return split


def merge_queries(queries: Sequence[ConstraintQuery]) -> list[MergedQuery]:
    """The queries to run for ``queries``: those differing only in their focus merged.

    A query is merged only when its focus pattern has no variable but ``?focus`` (a
    variable of one branch must not meet the shared parts) and its shared parts do not
    use ``?k``.

    >>> merge_queries([])
    []
    """
    groups: dict[tuple[str, str, str], list[int]] = {}
    merged: list[MergedQuery] = []
    alone: list[int] = []
    for k, query in enumerate(queries):
        if query.parts is None or not _mergeable(query.parts):
            alone.append(k)
            continue
        before, _, after = query.parts
        projection = "?focus ?value" if "?value" in query.sparql else "?focus"
        groups.setdefault((before, after, projection), []).append(k)
    for (before, after, projection), members in groups.items():
        if len(members) == 1:
            alone.append(members[0])
            continue
        branches = " UNION ".join(
            f"{{ {_focus(queries[k])} BIND({n} AS ?{MEMBER}) }}" for n, k in enumerate(members)
        )
        where = " ".join(part for part in (before, branches, after) if part)
        sparql = f"SELECT DISTINCT {projection} ?{MEMBER} WHERE {{ {where} }}"
        ox.Store().query(sparql)  # parsed now: a bug fails at start-up
        merged.append(MergedQuery(sparql, tuple(members)))
    return merged + _by_focus(queries, sorted(alone))


def _by_focus(queries: Sequence[ConstraintQuery], todo: list[int]) -> list[MergedQuery]:
    """The queries that remove foci (``MINUS``) from the same focus pattern, as one query
    grouped by focus: a focus that several of them report is read out of the store once
    (each output term costs a lookup of its text; at 100,000 incidents the Info checks
    report 385,000 foci, about 100,000 of them distinct). Its last column lists the
    members that report the focus (``GROUP_CONCAT``)."""
    groups: dict[str, list[int]] = {}
    merged: list[MergedQuery] = []
    for k in todo:
        parts = queries[k].parts
        if parts is None or parts[0] or not parts[2].startswith("MINUS") or _uses_member(parts):
            merged.append(MergedQuery(queries[k].sparql, (k,)))
        else:
            groups.setdefault(parts[1], []).append(k)
    for focus, members in groups.items():
        if len(members) == 1:
            merged.append(MergedQuery(queries[members[0]].sparql, (members[0],)))
            continue
        branches = " UNION ".join(
            f'{{ {focus} {_after(queries[k])} BIND("{n}" AS ?{MEMBER}) }}'
            for n, k in enumerate(members)
        )
        sparql = (
            f"SELECT ?focus (GROUP_CONCAT(DISTINCT ?{MEMBER}) AS ?{MEMBER}s) "
            f"WHERE {{ {branches} }} GROUP BY ?focus"
        )
        ox.Store().query(sparql)  # parsed now: a bug fails at start-up
        merged.append(MergedQuery(sparql, tuple(members)))
    return merged


def _after(query: ConstraintQuery) -> str:
    assert query.parts is not None  # noqa: S101 - only mergeable queries
    return query.parts[2]


def _uses_member(parts: tuple[str, str, str]) -> bool:
    return any(v in (MEMBER, f"{MEMBER}s") for part in parts for v in _VARIABLE.findall(part))


def _focus(query: ConstraintQuery) -> str:
    assert query.parts is not None  # noqa: S101 - only mergeable queries
    return query.parts[1]


def _mergeable(parts: tuple[str, str, str]) -> bool:
    before, focus, after = parts
    if set(_VARIABLE.findall(focus)) != {"focus"}:
        return False
    return MEMBER not in _VARIABLE.findall(before) + _VARIABLE.findall(after)
