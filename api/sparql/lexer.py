"""A small SPARQL tokenizer: enough to see what a query *does* before running it.

It never decides whether a query is valid (pyoxigraph does that); it only finds
keywords in code position, skipping strings, IRIs, comments, variables and
prefixed names, so that a string literal ``"SERVICE"`` or a variable ``?load``
is never mistaken for the keyword. pyoxigraph does not expand ``\\u`` escapes
outside strings and IRIs (``\\u0053ERVICE`` is a syntax error there), so neither
do we; escapes inside IRIs are expanded before an IRI is compared.

>>> [t.text for t in tokenize('SELECT * { ?s <p> "SERVICE" } # LOAD')]
['SELECT', '*', '{', '?s', '<p>', '"SERVICE"', '}']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

Kind = Literal["iri", "string", "var", "pname", "bnode", "word", "number", "punct"]

#: White space and comments: skipped.
_SPACE = r"\s|#[^\n\r]*"
_PATTERNS: list[tuple[Kind, str]] = [
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""'),
    ("string", r"'''(?:[^'\\]|\\.|'(?!''))*'''"),
    ("string", r'"(?:[^"\\\n\r]|\\.)*"'),
    ("string", r"'(?:[^'\\\n\r]|\\.)*'"),
    ("iri", r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"),
    ("var", r"[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"),
    ("bnode", r"_:[\w.\-\u00b7]*[\w\-]"),
    (
        "pname",
        r"(?:[A-Za-z\u00c0-\uffff][\w.\-]*)?:(?:[\w:%\\\-]|\\.|%[0-9A-Fa-f]{2})*"
        r"(?:\.(?:[\w:%\-]|\\.)+)*",
    ),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("number", r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|."),
]
#: One match per token: the white space and comments before it, then the token (group k
#: is pattern k - 1), or the end of the text. Skipping white space inside the token's match
#: halves the matches of a typical query; ``.`` in the last pattern matches any character,
#: so the greedy skip never backtracks.
_LEXER = re.compile(
    rf"(?:{_SPACE})*(?:" + "|".join(f"({p})" for _, p in _PATTERNS) + r"|\Z)", re.DOTALL
)
#: The kind of each group by number (group 0, the whole match, is never a token's).
_KINDS: tuple[Kind, ...] = ("punct", *(kind for kind, _ in _PATTERNS))
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token(NamedTuple):
    """One lexical token: its kind, its text and where it starts in the source.

    A named tuple, not a dataclass: the endpoint lexes every query before it runs,
    and building frozen dataclasses was most of that time.
    """

    kind: Kind
    text: str
    start: int

    def is_word(self, *words: str) -> bool:
        """Whether this is one of the keywords ``words`` (case-insensitive).

        >>> Token("word", "service", 0).is_word("SERVICE")
        True
        """
        return self.kind == "word" and self.text.upper() in words

    @property
    def iri(self) -> str:
        """The IRI of an ``iri`` token, with ``\\u`` escapes expanded.

        >>> Token("iri", "<http://a\\\\u002Fb>", 0).iri
        'http://a/b'
        """
        return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), self.text[1:-1])


def tokenize(text: str) -> Iterator[Token]:
    """Split SPARQL text into tokens, dropping white space and comments.

    Unterminated strings or stray characters become one-character ``punct``
    tokens: the parser reports those errors, not the lexer.

    >>> [(t.kind, t.text) for t in tokenize("ex:SERVICE ?load 'a''b'")]
    [('pname', 'ex:SERVICE'), ('var', '?load'), ('string', "'a'"), ('string', "'b'")]
    """
    kinds = _KINDS
    for match in _LEXER.finditer(text):
        group = match.lastindex
        if group is not None:
            yield Token(kinds[group], match.group(group), match.start(group))
