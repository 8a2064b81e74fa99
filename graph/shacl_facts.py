"""What compiling the shapes for one whole dataset relies on, and the triple patterns over it.

A full-store validation reads the store's data graphs plus the validator's vocabularies
(:mod:`graph.shacl_store`). A store filled only by ``harmgraph import`` holds no
vocabulary graph, and the store is read-only: the vocabulary triples it lacks are
supplied to the queries themselves. Each triple pattern whose predicate has such
triples reads the store's triples or, as a ``VALUES`` block, the lacking ones
(:meth:`Facts.triple`); the vocabularies are small (1,415 triples, 19 predicates), and
only patterns over those predicates change. With nothing lacking every query is as
before.

>>> facts = Facts(extra={"<urn:p>": (("<urn:a>", '"x"'),)})
>>> facts.triple("?s", "<urn:p>", "?o")
'{ { ?s <urn:p> ?o } UNION { VALUES (?s ?o) { (<urn:a> "x") } } }'
>>> facts.triple("?s", "<urn:q>", "?o")
'?s <urn:q> ?o'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Literal
from rdflib.term import Node

__all__ = ["Facts"]

#: The SPARQL text of rdf:type.
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class Facts:
    """What compiling for one whole dataset may rely on (that dataset is not changed).

    Attributes:
        subclasses: Per class, every class whose instances are its instances (itself
            included): the dataset's ``rdfs:subClassOf*``. ``sh:class`` and
            ``sh:targetClass`` then read ``rdf:type`` with these classes, no path.
        ill_typed: Per datatype, the dataset's literals of that datatype that pyshacl
            holds ill-typed; ``sh:datatype`` refuses them.
        extra: Triples of the dataset that the store lacks (vocabulary triples of a store
            without the vocabulary graph), per predicate, as (subject, object) in SPARQL
            syntax (pyoxigraph's serialisation): the queries supply them as ``VALUES``.
    """

    subclasses: Mapping[Node, frozenset[Node]] = field(default_factory=dict)
    ill_typed: Mapping[Node, frozenset[Literal]] = field(default_factory=dict)
    extra: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def triple(self, s: str, p: str, o: str) -> str:
        """The pattern matching ``s p o`` in the dataset (``s`` and ``o`` are variables,
        ``[]`` or terms in SPARQL syntax, ``p`` an IRI): the plain triple pattern when
        the store holds every triple of ``p``.

        >>> Facts(extra={"<urn:p>": (("<urn:a>", "<urn:b>"),)}).triple("?s", "<urn:p>", "[]")
        '{ { ?s <urn:p> [] } UNION { VALUES ?s { <urn:a> } } }'
        >>> Facts(extra={"<urn:p>": (("<urn:a>", "<urn:b>"),)}).triple("?s", "<urn:p>", "<urn:c>")
        '?s <urn:p> <urn:c>'
        """
        plain = f"{s} {p} {o}"
        ends = (s, o)
        rows = [
            row
            for row in self.extra.get(p, ())
            if all(_open(end) or row[k] == end for k, end in enumerate(ends))
        ]
        if not rows:
            return plain
        columns = [k for k, end in enumerate(ends) if end.startswith("?")]
        variables = " ".join(ends[k] for k in columns)
        values = sorted({tuple(row[k] for k in columns) for row in rows})
        if not columns:  # a triple the store lacks: the pattern always matches
            return f"{{ {{ {plain} }} UNION {{ }} }}"
        if len(columns) == 1:
            block = f"VALUES {variables} {{ {' '.join(v[0] for v in values)} }}"
        else:
            block = f"VALUES ({variables}) {{ {' '.join(f'({a} {b})' for a, b in values)} }}"
        return f"{{ {{ {plain} }} UNION {{ {block} }} }}"

    def instances(self, v: str, classes: list[str], t: str) -> str:
        """The pattern: ``v`` (a variable) has ``rdf:type`` one of ``classes`` (SPARQL
        terms, at least one) in the dataset; ``t``, a variable of its own, is the type
        when there are several.

        >>> Facts().instances("?x", ["<urn:A>"], "?t")
        '?x <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:A> .'
        """
        if len(classes) == 1:
            typed = f"{v} {TYPE} {classes[0]} ."
        else:
            typed = f"{v} {TYPE} {t} . VALUES {t} {{ {' '.join(classes)} }}"
        wanted = set(classes)
        subjects = sorted({s for s, o in self.extra.get(TYPE, ()) if o in wanted})
        if not subjects:
            return typed
        return f"{{ {{ {typed} }} UNION {{ VALUES {v} {{ {' '.join(subjects)} }} }} }}"


def _open(end: str) -> bool:
    """Whether a pattern's end matches any term (a variable or ``[]``)."""
    return end.startswith("?") or end == "[]"
