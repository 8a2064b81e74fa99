"""SPARQL Update text for an engine without a writable default graph (Virtuoso).

Virtuoso 7.2 refuses blank nodes in ``INSERT DATA``, and has no default graph to
write to (its default graph is the union of all graphs). :func:`for_engine`
rewrites an update request, operation by operation, into standard SPARQL 1.1 that
it takes and that means what the original means on a store with a default graph:

* ``INSERT DATA { … }`` becomes ``INSERT { … } WHERE {}`` (a template instantiated
  once: fresh blank nodes, as ``INSERT DATA`` makes them);
* an operation that reads or writes the default graph (a triple outside any
  ``GRAPH`` block) gets ``WITH <stand-in>``, the named graph that holds the default
  graph; ``DELETE DATA`` and ``DELETE WHERE`` take their ``DELETE … WHERE`` form
  first, since only that form takes ``WITH``.

Virtuoso's ``WITH`` also hides the named graphs from the operation's ``WHERE``, so
an operation that joins the default graph and a ``GRAPH`` block matches nothing
there (docs/deploy.md). Positions move only within a line, so an engine's error
line still points into the caller's text. Every term stays as the caller wrote it;
only the stand-in IRI, written by pyoxigraph, is added.

>>> for_engine('INSERT DATA { GRAPH <http://e/g> { _:b <http://e/p> "x" } }', "urn:d")
'INSERT      { GRAPH <http://e/g> { _:b <http://e/p> "x" } } WHERE {}'
>>> for_engine("DELETE WHERE { ?s ?p 1 }", "urn:d")
'WITH <urn:d> DELETE       { ?s ?p 1 } WHERE { ?s ?p 1 }'
"""

from __future__ import annotations

import re

import pyoxigraph

from graph.remote_text import TOKEN

#: Words that start a pattern clause rather than a triple.
_CLAUSES = {
    "OPTIONAL",
    "MINUS",
    "UNION",
    "FILTER",
    "BIND",
    "VALUES",
    "NOT",
    "EXISTS",
    "SERVICE",
    "SILENT",
    "SELECT",
    "WHERE",
    "DISTINCT",
    "REDUCED",
    "GROUP",
    "ORDER",
    "BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "AS",
}
_TERM = re.compile(r"""[<?$\["']|_$|\d""")


def for_engine(text: str, default_graph: str) -> str:
    """``text`` with each operation as Virtuoso takes it (see the module docstring).

    >>> for_engine("CLEAR ALL ; INSERT { ?s a <http://e/C> } WHERE { ?s ?p ?o }", "urn:d")
    'CLEAR ALL ; WITH <urn:d> INSERT { ?s a <http://e/C> } WHERE { ?s ?p ?o }'
    """
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    with_clause = f"WITH {pyoxigraph.NamedNode(default_graph)} "
    out, pos = [], 0
    for first, last in _operations(tokens):
        i = _skip_prologue(tokens, first, last)
        if i + 1 >= last:
            continue
        word, following = tokens[i][2].upper(), tokens[i + 1][2].upper()
        default = _uses_default_graph(tokens[i:last])
        start = tokens[i][0]
        if word in ("INSERT", "DELETE") and following in ("DATA", "WHERE"):
            close = _matching(tokens, i + 2, last)
            if close is None:
                continue
            if word == "INSERT" or default:
                spaces = " " * len(tokens[i + 1][2])
                where = "{}"
                if following == "WHERE":  # the pattern again, on the same line
                    where = _one_line(text, tokens[i + 2 : close + 1])
                out += [text[pos:start], with_clause if default else "", word, " ", spaces]
                out += [text[tokens[i + 1][1] : tokens[close][1]], f" WHERE {where}"]
                pos = tokens[close][1]
        elif word in ("INSERT", "DELETE") and following == "{" and default:
            out += [text[pos:start], with_clause]
            pos = start
    return "".join(out) + text[pos:]


def _one_line(text: str, tokens: list[tuple[int, int, str]]) -> str:
    """The text of ``tokens`` without its comments and line breaks."""
    parts = []
    for k, (_, end, word) in enumerate(tokens):
        parts.append(" " if word.startswith("#") else word)
        gap = text[end : tokens[k + 1][0]] if k + 1 < len(tokens) else ""
        parts.append(" " if "\n" in gap else gap)
    return "".join(parts)


def _operations(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Token ranges of the operations of a request (split at ``;`` outside brackets)."""
    ranges, depth, begin = [], 0, 0
    for k, (_, _, word) in enumerate(tokens):
        depth += word in "{([" and len(word) == 1
        depth -= word in "})]" and len(word) == 1
        if word == ";" and depth == 0:
            ranges.append((begin, k))
            begin = k + 1
    ranges.append((begin, len(tokens)))
    return ranges


def _skip_prologue(tokens: list[tuple[int, int, str]], i: int, last: int) -> int:
    while i < last and tokens[i][2].upper() in ("PREFIX", "BASE"):
        i += 1
        while i < last and not tokens[i][2].startswith("<"):
            i += 1
        i += 1
    return i


def _matching(tokens: list[tuple[int, int, str]], i: int, last: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at ``i``."""
    if i >= last or tokens[i][2] != "{":
        return None
    depth = 0
    for k in range(i, last):
        word = tokens[k][2]
        depth += (word == "{") - (word == "}")
        if depth == 0:
            return k
    return None


def _uses_default_graph(tokens: list[tuple[int, int, str]]) -> bool:
    """Whether an operation has a triple pattern or template outside every ``GRAPH`` block."""
    braces: list[bool] = []  # per open brace: inside a GRAPH block
    parens, graph_next = 0, False
    for k, (_, _, word) in enumerate(tokens):
        upper = word.upper()
        if upper == "GRAPH" and braces:
            graph_next = True
        elif word == "{":
            braces.append(graph_next or (bool(braces) and braces[-1]))
            graph_next = False
        elif word == "}":
            if braces:
                braces.pop()
        elif word in "()" and len(word) == 1:
            parens += 1 if word == "(" else -1
        elif graph_next or not braces or braces[-1] or parens or upper in _CLAUSES:
            continue
        elif _TERM.match(word) or (k + 1 < len(tokens) and tokens[k + 1][2] == ":"):
            return True
    return False
