"""SPARQL Update text for an engine without a writable default graph (Virtuoso).

Virtuoso 7.2 refuses blank nodes in ``INSERT DATA``, runs out of parser memory near
5,000 triples in one ``INSERT DATA`` (and of generated SQL near 1,000 in one
template), and has no default graph to write to (its default graph is the union
of all graphs). :func:`for_engine` rewrites an update request, operation by
operation, into standard SPARQL 1.1 that it takes and that means what the original
means on a store with a default graph, where the named graph ``stand_in`` holds
the default graph:

* ``INSERT DATA``/``DELETE DATA``: the quads are parsed (by pyoxigraph, as TriG)
  and sent again by :func:`data_operations` as ``INSERT { … } WHERE {}``
  (``DELETE``) templates of a few hundred quads, triples outside ``GRAPH`` in the
  stand-in, each blank node's quads in one template (a template instantiated once
  gives fresh blank nodes, as ``INSERT DATA`` does);
* any other operation that uses the default graph (a triple outside every ``GRAPH``
  block) gets those triples wrapped in ``GRAPH <stand-in> { … }``: its ``WHERE``
  group as a whole (a ``GRAPH`` inside it still names its own graph) and each run
  of default-graph triples in its templates. ``WITH`` is not used: Virtuoso carries
  it over to the request's later operations. Operations with ``WITH`` or ``USING``
  are sent as written;
* ``DROP [SILENT] GRAPH g`` becomes ``CLEAR SILENT GRAPH g``: Virtuoso refuses to drop
  a graph that was never created with ``CREATE GRAPH`` (graphs come into being with
  their first triple in harmgraph).

Line breaks are kept (a rewritten ``DATA`` operation is one line, then the lines it
had), so an engine's error line still points into the caller's text.

>>> for_engine("DROP GRAPH <http://e/g>", "urn:d")
'CLEAR SILENT GRAPH <http://e/g>'
>>> for_engine("DELETE WHERE { ?s ?p 1 }", "urn:d")
'DELETE       { GRAPH <urn:d> { ?s ?p 1 }} WHERE { GRAPH <urn:d> { ?s ?p 1 } }'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph

from graph.remote_text import TOKEN

#: Quads per template operation (Virtuoso's generated SQL overflows near 1,000).
TEMPLATE_CHUNK = 300

Token = tuple[int, int, str]
#: Words that start a pattern clause rather than a triple.
_CLAUSES = {"OPTIONAL", "MINUS", "UNION", "FILTER", "BIND", "VALUES", "NOT", "EXISTS"}
_CLAUSES |= {"SERVICE", "SILENT", "SELECT", "WHERE", "DISTINCT", "REDUCED", "GROUP", "ORDER"}
_CLAUSES |= {"BY", "HAVING", "LIMIT", "OFFSET", "AS"}
_TERM = re.compile(r"""[<?$\["']|_$|\d""")


def for_engine(text: str, stand_in: str, prologue: str = "") -> str:
    """``text`` with each operation as Virtuoso takes it (see the module docstring).

    ``prologue`` holds the PREFIX/BASE declarations sent before ``text``.

    >>> print(for_engine('CLEAR ALL ; INSERT DATA { _:b <http://e/p> "1" }', "urn:d"))
    CLEAR ALL ; INSERT { GRAPH <urn:d> { _:b <http://e/p> "1" . } } WHERE {}
    """
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    graph = pyoxigraph.NamedNode(stand_in)
    out, pos = [], 0
    for first, last in _operations(tokens):
        i = _skip_prologue(tokens, first, last)
        if i > first:
            prologue += text[tokens[first][0] : tokens[i - 1][1]] + "\n"
        if i + 1 >= last:
            continue
        word, following = tokens[i][2].upper(), tokens[i + 1][2].upper()
        op = tokens[i:last]
        if any(t[2].upper() in ("WITH", "USING") for t in op if t[2].isalpha()):
            continue
        start, end = tokens[i][0], tokens[last - 1][1]
        if word in ("INSERT", "DELETE") and following == "DATA":
            close = _matching(tokens, i + 2, last)
            if close is None:
                continue
            inside = tokens[i + 3 : close]
            trig = "".join(
                f"GRAPH {text[s[0] : s[1]]} {{ {text[s[2] : s[3]]} }}\n"
                if s[0] >= 0
                else f"{{ {text[s[2] : s[3]]} }}\n"
                for s in _segments(inside)
            )
            try:
                quads = list(pyoxigraph.parse(prologue + trig, pyoxigraph.RdfFormat.TRIG))
            except SyntaxError:
                continue  # the engine reports it where the caller wrote it
            ops = " ; ".join(data_operations(quads, stand_in, delete=word == "DELETE"))
            out += [
                text[pos:start],
                ops or f"{word} DATA {{}}",
                "\n" * text.count("\n", start, end),
            ]
            pos = end
        elif word == "DROP" and following in ("GRAPH", "SILENT"):
            # Virtuoso refuses to DROP a graph it did not see a CREATE GRAPH for.
            out += [text[pos:start], "CLEAR SILENT"]
            pos = tokens[i + 1][1] if following == "SILENT" else tokens[i][1]
        elif word == "DELETE" and following == "WHERE" and _uses_default_graph(op):
            close = _matching(tokens, i + 2, last)
            if close is None:
                continue
            inner = text[tokens[i + 2][1] : tokens[close][0]]
            template = _one_line(_template(text, tokens[i + 3 : close], graph))
            out += [text[pos:start], "DELETE       {", template, "} WHERE { "]
            out.append(f"GRAPH {graph} {{{inner}}} }}")
            pos = tokens[close][1]
        elif word in ("INSERT", "DELETE") and _uses_default_graph(op):
            out.append(text[pos:start])
            out.append(_wrapped(text, tokens, i, last, graph))
            pos = end
    return "".join(out) + text[pos:]


def data_operations(
    quads: Iterable[pyoxigraph.Quad], stand_in: str, *, delete: bool = False
) -> Iterator[str]:
    """``INSERT { … } WHERE {}`` (``DELETE``) operations adding (removing) ``quads``.

    Templates rather than ``DATA`` operations: Virtuoso 7.2 refuses blank nodes in
    ``INSERT DATA`` and fails on some ``INSERT DATA`` that its templates take.

    >>> q = pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/a"), pyoxigraph.NamedNode("http://e/p"),
    ...                     pyoxigraph.BlankNode("b"))
    >>> list(data_operations([q], "urn:d"))
    ['INSERT { GRAPH <urn:d> { <http://e/a> <http://e/p> _:b . } } WHERE {}']
    """
    default = pyoxigraph.NamedNode(stand_in)
    verb = "DELETE" if delete else "INSERT"
    ground: list[pyoxigraph.Quad] = []
    blank: list[pyoxigraph.Quad] = []
    for quad in quads:
        g = quad.graph_name if isinstance(quad.graph_name, pyoxigraph.NamedNode) else default
        quad = pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, g)
        has_blank = isinstance(quad.subject, pyoxigraph.BlankNode) or isinstance(
            quad.object, pyoxigraph.BlankNode
        )
        (blank if has_blank else ground).append(quad)
        if len(ground) >= TEMPLATE_CHUNK:
            yield f"{verb} {{ {_quads(ground)}}} WHERE {{}}"
            ground = []
    if ground:
        yield f"{verb} {{ {_quads(ground)}}} WHERE {{}}"
    for group in _by_blank_node(blank):
        yield f"{verb} {{ {_quads(group)}}} WHERE {{}}"


def _quads(quads: list[pyoxigraph.Quad]) -> str:
    """Quads in ``GRAPH`` blocks, one block per run of quads in the same graph."""
    parts, graph = [], None
    for q in quads:
        if q.graph_name != graph:
            parts.append(
                f"}} GRAPH {q.graph_name} {{ " if graph is not None else f"GRAPH {q.graph_name} {{ "
            )
            graph = q.graph_name
        parts.append(f"{q.subject} {q.predicate} {q.object} . ")
    return "".join(parts) + ("} " if parts else "")


def _by_blank_node(quads: list[pyoxigraph.Quad]) -> Iterator[list[pyoxigraph.Quad]]:
    """``quads`` in groups of about :data:`TEMPLATE_CHUNK`, each blank node's in one group."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            label = parent[label]
        return label

    for quad in quads:
        labels = [
            t.value for t in (quad.subject, quad.object) if isinstance(t, pyoxigraph.BlankNode)
        ]
        for other in labels[1:]:
            parent[root(other)] = root(labels[0])
    components: dict[str, list[pyoxigraph.Quad]] = {}
    for quad in quads:
        term = quad.subject if isinstance(quad.subject, pyoxigraph.BlankNode) else quad.object
        components.setdefault(root(str(term)[2:]), []).append(quad)
    group: list[pyoxigraph.Quad] = []
    for component in components.values():
        if group and len(group) + len(component) > TEMPLATE_CHUNK:
            yield group
            group = []
        group += component
    if group:
        yield group


def _wrapped(text: str, tokens: list[Token], i: int, last: int, graph: pyoxigraph.NamedNode) -> str:
    """One modify operation with its default-graph triples inside ``GRAPH graph``."""
    out, pos, k = [], tokens[i][0], i
    while k < last:
        if tokens[k][2] == "{":
            close = _matching(tokens, k, last)
            if close is None:
                return text[tokens[i][0] : tokens[last - 1][1]]
            out.append(text[pos : tokens[k][1]])
            if tokens[k - 1][2].upper() == "WHERE":
                inner = text[tokens[k][1] : tokens[close][0]]
                # A GRAPH around a pattern that reads named graphs only would make it
                # depend on the stand-in graph existing.
                default = _uses_default_graph(tokens[k : close + 1])
                out.append(f" GRAPH {graph} {{{inner}}} " if default else inner)
            else:
                out.append(_template(text, tokens[k + 1 : close], graph))
            pos, k = tokens[close][0], close
        k += 1
    return "".join(out) + text[pos : tokens[last - 1][1]]


def _template(text: str, tokens: list[Token], graph: pyoxigraph.NamedNode) -> str:
    """A quad template's contents with each run of default-graph triples in ``GRAPH graph``."""
    return " " + "".join(
        f"GRAPH {text[s[0] : s[1]] if s[0] >= 0 else graph} {{ {text[s[2] : s[3]]} }} "
        for s in _segments(tokens)
    )


def _one_line(text: str) -> str:
    """``text`` without its comments and line breaks."""
    parts, pos = [], 0
    for match in TOKEN.finditer(text):
        gap = text[pos : match.start()]
        parts.append(" " if "\n" in gap else gap)
        parts.append(" " if match.group().startswith("#") else match.group())
        pos = match.end()
    return "".join(parts)


def _segments(tokens: list[Token]) -> list[tuple[int, int, int, int]]:
    """A group's contents as ``GRAPH`` blocks ``(term start, term end, body start, body end)``
    and runs of other triples ``(-1, -1, start, end)``; line breaks inside are kept."""
    segments: list[tuple[int, int, int, int]] = []
    run: list[Token] = []
    k = 0
    while k < len(tokens):
        brace = next((j for j in range(k + 2, min(k + 5, len(tokens))) if tokens[j][2] == "{"), 0)
        if tokens[k][2].upper() == "GRAPH" and brace:  # GRAPH <iri> {, GRAPH ?g {, GRAPH p:n {
            close = _matching(tokens, brace, len(tokens))
            if close is not None:
                if run:
                    segments.append((-1, -1, run[0][0], run[-1][1]))
                    run = []
                term = (tokens[k + 1][0], tokens[brace - 1][1])
                segments.append((*term, tokens[brace][1], tokens[close][0]))
                k = close + 1
                continue
        if tokens[k][2] != "." or run:
            run.append(tokens[k])
        k += 1
    if run:
        segments.append((-1, -1, run[0][0], run[-1][1]))
    return segments


def _operations(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of the operations of a request (split at ``;`` outside brackets)."""
    ranges, depth, begin = [], 0, 0
    for k, (_, _, word) in enumerate(tokens):
        if len(word) == 1:
            depth += (word in "{([") - (word in "})]")
        if word == ";" and depth == 0:
            ranges.append((begin, k))
            begin = k + 1
    ranges.append((begin, len(tokens)))
    return ranges


def _skip_prologue(tokens: list[Token], i: int, last: int) -> int:
    while i < last and tokens[i][2].upper() in ("PREFIX", "BASE"):
        i += 1
        while i < last and not tokens[i][2].startswith("<"):
            i += 1
        i += 1
    return i


def _matching(tokens: list[Token], i: int, last: int) -> int | None:
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


def _uses_default_graph(tokens: list[Token]) -> bool:
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
