"""What a SPARQL operation does, read from its tokens before it runs.

Finds the query form (for content negotiation), whether it names its own
dataset (``FROM``), every ``SERVICE``/``LOAD`` target (refused unless
allow-listed) and, in updates, ``USING``/``WITH`` and where the protocol's
``using-graph-uri`` parameters must go.

>>> a = analyse('PREFIX e: <http://e/> SELECT * { SERVICE e:x { ?s ?p "LOAD" } }')
>>> a.form, a.remote
('SELECT', [('SERVICE', 'http://e/x')])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from api.sparql.lexer import Token, tokenize
from graph.errors import Forbidden, LimitExceeded

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")


@dataclass
class Analysis:
    """Facts about one query or update request text."""

    #: SELECT, ASK, CONSTRUCT or DESCRIBE (queries), None for updates.
    form: str | None = None
    #: Whether the text has FROM / FROM NAMED clauses.
    has_dataset: bool = False
    #: ("SERVICE" | "LOAD", resolved target IRI or None when not a constant IRI).
    remote: list[tuple[str, str | None]] = field(default_factory=list)
    #: Whether an update uses USING or WITH (conflicts with using-graph-uri).
    has_using_or_with: bool = False
    #: Offsets of the WHERE keyword of each DELETE/INSERT ... WHERE operation.
    modify_where: list[int] = field(default_factory=list)
    #: Deepest nesting of brackets ``{ ( [`` in code position.
    depth: int = 0


#: A prefix's namespace: given, or the IRI token of its declaration and the base then.
_Namespace = str | tuple[Token, str | None]


def _join(base: str, iri: str) -> str:
    """``iri`` resolved against ``base``, keeping an empty fragment (a namespace's ``#``).

    >>> _join("http://h/sparql", "http://e/ns#"), _join("http://h/dir/", "x#")
    ('http://e/ns#', 'http://h/dir/x#')
    """
    joined = urljoin(base, iri)  # drops an empty fragment: ns# + x would give nsx
    return joined + "#" if iri.endswith("#") and not joined.endswith("#") else joined


def _resolve(token: Token | None, prefixes: dict[str, _Namespace], base: str | None) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return _join(base, token.iri) if base else token.iri
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix + ":")
        if isinstance(namespace, tuple):
            namespace = _resolve(namespace[0], {}, namespace[1]) or ""
        if namespace is not None:
            return namespace + local.replace("\\", "")
    return None


def analyse(
    text: str, base_iri: str | None = None, prefixes: dict[str, str] | None = None
) -> Analysis:
    """Read the tokens of ``text`` (a query or an update).

    ``prefixes`` maps prefix names (without the colon) declared in advance.

    >>> analyse("LOAD SILENT <x>", "http://h/sparql").remote
    [('LOAD', 'http://h/x')]
    >>> a = analyse("INSERT { ?s ?p 1 } WHERE { ?s ?p 0 }; DELETE WHERE { ?s ?p 2 }")
    >>> a.modify_where
    [19]
    """
    tokens = list(tokenize(text))
    result = Analysis()
    declared: dict[str, _Namespace] = {f"{name}:": iri for name, iri in (prefixes or {}).items()}
    base = base_iri
    depth = nesting = 0
    op_head: list[Token] = []  # the first depth-0 tokens of the current update operation
    in_modify = False
    skip = 0
    for i, tok in enumerate(tokens):
        kind, text = tok.kind, tok.text
        # Keywords are compared upper-cased once per token: every query is analysed
        # before it runs, so this loop is on the endpoint's per-request path.
        word = text.upper() if kind == "word" else ""
        if kind == "punct":
            if text == "{":
                depth += 1
            elif text == "}":
                depth -= 1
            if text in _OPENING:
                nesting += 1
                result.depth = max(result.depth, nesting)
            elif text in _CLOSING:
                nesting -= 1
        elif word:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if word in ("SERVICE", "LOAD"):
                target = nxt.is_word("SILENT") if nxt else False
                arg = tokens[i + 2] if target and i + 2 < len(tokens) else nxt
                result.remote.append((word, _resolve(arg, declared, base)))
            if word == "PREFIX" and nxt and nxt.kind == "pname" and i + 2 < len(tokens):
                # Resolved only when a SERVICE or LOAD target names it: resolving every
                # declaration (urljoin) was a measurable part of every checked query.
                declared[nxt.text] = (tokens[i + 2], base)
                skip = 3
            elif word == "BASE" and nxt and nxt.kind == "iri":
                base = _resolve(nxt, {}, base)
                skip = 2
            elif word == "FROM":
                result.has_dataset = True
        if skip:  # prologue declarations are not part of an operation's head
            skip -= 1
            continue
        if depth != 0 and not (text == "{" and depth == 1):
            continue
        if result.form is None and word in _FORMS:
            result.form = word
        if kind == "punct" and text == ";":
            op_head, in_modify = [], False
            continue
        if word in ("USING", "WITH"):
            result.has_using_or_with = True
        op_head.append(tok)
        if len(op_head) == 2 and op_head[0].is_word("INSERT", "DELETE", "WITH"):
            in_modify = op_head[0].is_word("WITH") or op_head[1].text == "{"
        if in_modify and word == "WHERE":
            result.modify_where.append(tok.start)
            in_modify = False
    return result


def check_depth(analysis: Analysis, limit: int) -> None:
    """Refuse a query or update nested deeper than ``limit`` (the setting max_query_depth).

    pyoxigraph's parser recurses per level and overflows its stack (the process
    crashes) at a few thousand levels, so depth is checked before it parses.

    >>> check_depth(analyse("ASK { FILTER((1)) }"), 3)
    >>> check_depth(analyse("ASK { FILTER(((1))) }"), 3)
    Traceback (most recent call last):
    ...
    graph.errors.LimitExceeded: the text nests brackets 4 deep; the limit is 3 (max_query_depth)
    """
    if analysis.depth > limit:
        raise LimitExceeded(
            f"the text nests brackets {analysis.depth} deep; the limit is {limit} "
            "(max_query_depth)",
            limit="max_query_depth",
            maximum=limit,
        )


def check_remote(analysis: Analysis, allowlist: list[str]) -> None:
    """Refuse SERVICE and LOAD unless their target IRI is on the allow-list.

    >>> check_remote(analyse("LOAD <http://ok/>"), ["http://ok/"])
    >>> check_remote(analyse("LOAD <http://no/>"), [])
    Traceback (most recent call last):
    ...
    graph.errors.Forbidden: LOAD <http://no/> is not allowed: the target is not on the allow-list
    """
    for keyword, target in analysis.remote:
        if target is None:
            raise Forbidden(f"{keyword} is only allowed with a constant, allow-listed IRI")
        if target not in allowlist:
            raise Forbidden(
                f"{keyword} <{target}> is not allowed: the target is not on the allow-list"
            )
