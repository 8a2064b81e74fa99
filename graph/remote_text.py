"""SPARQL text for a remote engine: prologues, substitutions as VALUES, INSERT DATA bodies.

Every term that enters a text here is written by pyoxigraph (``str`` of a
``NamedNode``, ``Literal`` or ``Variable`` is its N-Triples/SPARQL form, validated
and escaped): no input text is pasted into SPARQL.

>>> split_prologue("PREFIX a: <http://a/> SELECT * { ?s ?p ?o }")
('PREFIX a: <http://a/> ', 'SELECT * { ?s ?p ?o }')
>>> with_values("SELECT ?s { ?s ?p ?o }", {"s": pyoxigraph.NamedNode("http://e/a")})
'SELECT ?s { VALUES (?s) { (<http://e/a>) } ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph

from graph.errors import InvalidQuery

#: Quads per chunk of a streamed INSERT DATA body (:meth:`graph.remote.RemoteStore.extend`).
CHUNK = 5000

TOKEN = re.compile(
    r"""\#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>"""
    r"""|[A-Za-z_][\w-]*|[{}]|\S""",
    re.DOTALL,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def split_prologue(text: str) -> tuple[str, str]:
    """Split a query into its prologue (BASE/PREFIX) and the rest."""
    for match in TOKEN.finditer(text):
        if match.group().upper() in _FORMS:
            return text[: match.start()], text[match.start() :]
    return text, ""


def _where_brace(text: str) -> int | None:
    """Offset just after the ``{`` that opens the outermost WHERE group."""
    form, depth, skipped_template = "", 0, False
    for match in TOKEN.finditer(text):
        word = match.group()
        if not form and word.upper() in _FORMS:
            form = word.upper()
        elif form == "CONSTRUCT" and word.upper() == "WHERE" and depth == 0:
            skipped_template = True
        elif word == "{":
            if depth == 0 and (form != "CONSTRUCT" or skipped_template):
                return match.end()
            depth += 1
        elif word == "}":
            depth -= 1
            if depth == 0 and form == "CONSTRUCT":
                skipped_template = True
    return None


def with_values(
    text: str, bindings: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]
) -> str:
    """``text`` with the variables of ``bindings`` bound by a leading ``VALUES`` block."""
    if not bindings:
        return text
    at = _where_brace(text)
    if at is None:
        raise InvalidQuery("substitutions need a query with a WHERE group")
    _check_projection(text[:at], bindings)
    names = " ".join(str(pyoxigraph.Variable(name)) for name in bindings)
    row = " ".join(str(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({row}) }}"
    rest = text[at:]
    first = next(TOKEN.finditer(rest), None)
    if first is not None and first.group().upper() == "SELECT":  # a sub-select: wrap it
        end = rest.rindex("}")
        return f"{text[:at]}{block} {{{rest[:end]}}} {rest[end:]}"
    return f"{text[:at]}{block}{rest}"


_SELECT_CLAUSE = re.compile(r"\bSELECT\b(.*)", re.IGNORECASE | re.DOTALL)


def _check_projection(head: str, bindings: Mapping[str, object]) -> None:
    """Refuse, as pyoxigraph does, to substitute a variable a SELECT does not project."""
    clause = _SELECT_CLAUSE.search(head)
    if clause is None or "*" in clause.group(1):
        return
    projected = set(re.findall(r"[?$]([A-Za-z0-9_\u00b7-\uffff]+)", clause.group(1)))
    for name in bindings:
        if name not in projected:
            raise InvalidQuery(
                f"the variable ?{name} is not in the query's projection: it cannot be substituted"
            )


def prologue(prefixes: Mapping[str, str] | None, base_iri: str | None = None) -> str:
    """BASE and PREFIX declarations, IRIs written by pyoxigraph.

    >>> prologue({"ex": "http://e/"})
    'PREFIX ex: <http://e/>\\n'
    """
    lines = [f"BASE {pyoxigraph.NamedNode(base_iri)}"] if base_iri else []
    lines += [f"PREFIX {p}: {pyoxigraph.NamedNode(iri)}" for p, iri in (prefixes or {}).items()]
    return "".join(f"{line}\n" for line in lines)


_POSITION = re.compile(r"(line |at )(\d+)(, column |:)(\d+)", re.IGNORECASE)
#: A line without a column, as Virtuoso reports it ("SPARQL compiler, line 18: ...").
_LINE = re.compile(r"(line )(\d+)(:)", re.IGNORECASE)


def shifted(err: InvalidQuery, lines: int) -> InvalidQuery:
    """The engine's error with positions in the caller's text (``lines`` of prologue removed).

    >>> shifted(InvalidQuery("error at 17:21: expected"), 16).line
    1
    >>> shifted(InvalidQuery("SPARQL compiler, line 18: syntax error"), 16).detail
    'SPARQL compiler, line 2: syntax error'
    """
    match = _POSITION.search(err.detail)
    if match is None:
        only_line = _LINE.search(err.detail)
        if only_line is None:
            return err
        line = int(only_line.group(2)) - lines
        detail = _LINE.sub(f"\\g<1>{line}\\g<3>", err.detail, count=1)
        return InvalidQuery(detail, line=line)
    line, column = int(match.group(2)) - lines, int(match.group(4))
    detail = _POSITION.sub(f"\\g<1>{line}\\g<3>{column}", err.detail, count=1)
    return InvalidQuery(detail, line=line, column=column)


def insert_data_body(quads: Iterable[pyoxigraph.Quad]) -> Iterator[bytes]:
    """One INSERT DATA request body, produced in chunks of :data:`CHUNK` quads.

    >>> q = pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/a"), pyoxigraph.NamedNode("http://e/p"),
    ...                     pyoxigraph.Literal('say "hi"'), pyoxigraph.NamedNode("http://e/g"))
    >>> b"".join(insert_data_body([q])).decode()
    'INSERT DATA {\\nGRAPH <http://e/g> { <http://e/a> <http://e/p> "say \\\\"hi\\\\"" . }\\n}\\n'
    """
    yield b"INSERT DATA {\n"
    chunk: list[pyoxigraph.Quad] = []
    for quad in quads:
        chunk.append(quad)
        if len(chunk) >= CHUNK:
            yield _quads_block(chunk)
            chunk = []
    if chunk:
        yield _quads_block(chunk)
    yield b"}\n"


def _quads_block(quads: list[pyoxigraph.Quad]) -> bytes:
    """N-Triples inside GRAPH blocks: every term written by pyoxigraph."""
    parts = []
    for quad in quads:
        triple = f"{quad.subject} {quad.predicate} {quad.object} ."
        g = quad.graph_name
        named = isinstance(g, pyoxigraph.NamedNode)
        parts.append(f"GRAPH {g} {{ {triple} }}\n" if named else f"{triple}\n")
    return "".join(parts).encode("utf-8")
