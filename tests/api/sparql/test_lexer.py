"""The SPARQL tokenizer (api/sparql/lexer.py) against the plain one-match-per-token lexer it
replaced: the same tokens, at the same offsets, on the example queries and on random texts
made of the fragments where lexers go wrong (quotes, comments, IRIs, escapes, brackets)."""

from __future__ import annotations

import random
import re

import pytest

from api.sparql.lexer import _PATTERNS, _SPACE, Token, tokenize
from graph.settings import PROJECT_ROOT

#: The reference: white space and comments as tokens of their own, dropped afterwards.
_REFERENCE = re.compile(
    "|".join(
        f"(?P<g{i}>{p})" for i, p in enumerate([rf"(?:{_SPACE})+", *(p for _, p in _PATTERNS)])
    ),
    re.DOTALL,
)
_KINDS = {f"g{i + 1}": kind for i, (kind, _) in enumerate(_PATTERNS)}

FRAGMENTS = [
    "SELECT",
    "ask",
    "SERVICE",
    "load",
    "SILENT",
    "FROM",
    "PREFIX",
    "BASE",
    "ex:",
    "ex:a\\(b",
    ":x",
    "_:b1",
    "?s",
    "$o",
    "<http://e/a>",
    "<a b>",
    "<http://e/\\u0041>",
    "<",
    ">",
    "<=",
    '"',
    "'",
    '"""',
    "'''",
    '"a\\"b"',
    "'x'",
    "\\",
    "#",
    "# SERVICE <x>\n",
    "\n",
    "\r",
    " ",
    "\t",
    "\u00a0",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ".",
    ",",
    "1",
    "1.5e3",
    ".5",
    "^^",
    "&&",
    "||",
    "!=",
    "é",
    "ü:x",
    "a.b",
    "%41",
]


def _reference(text: str) -> list[Token]:
    return [
        Token(_KINDS[m.lastgroup], m.group(), m.start())  # type: ignore[index]
        for m in _REFERENCE.finditer(text)
        if m.lastgroup != "g0"
    ]


@pytest.mark.parametrize(
    "path", sorted((PROJECT_ROOT / "data" / "queries").glob("*.rq")), ids=lambda p: p.stem
)
def test_example_queries_tokenize_as_before(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert list(tokenize(text)) == _reference(text)


def test_random_texts_tokenize_as_before() -> None:
    rng = random.Random(6)  # noqa: S311 - seeded test texts, not secrets
    for _ in range(3_000):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 30)))
        assert list(tokenize(text)) == _reference(text), text


def test_trailing_white_space_and_comments_give_no_token() -> None:
    assert [t.text for t in tokenize("ASK {}  \n# done\n\n")] == ["ASK", "{", "}"]
    assert list(tokenize(" " * 100_000)) == []
