"""Read a SPARQL 1.1 Protocol request: which operation, its text and its dataset.

Implements the request rules of https://www.w3.org/TR/sparql11-protocol/
(§2.1 query, §2.2 update): queries by GET, by URL-encoded POST or by direct
POST (``application/sparql-query``); updates only by POST. Anything else is a
400 naming what is wrong.

>>> op = parse_request("GET", [("query", "ASK {}"), ("default-graph-uri", "http://g")], None, b"")
>>> op.kind, op.text, op.default_graphs
('query', 'ASK {}', ['http://g'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl

import pyoxigraph as ox

from graph.errors import BadRequest

_FORM = "application/x-www-form-urlencoded"
_DIRECT = {"application/sparql-query": "query", "application/sparql-update": "update"}


@dataclass
class Operation:
    """A query, an update, or ``none`` (a GET without a query: describe the service)."""

    kind: Literal["query", "update", "none"]
    text: str = ""
    #: default-graph-uri (queries) or using-graph-uri (updates).
    default_graphs: list[str] = field(default_factory=list)
    #: named-graph-uri (queries) or using-named-graph-uri (updates).
    named_graphs: list[str] = field(default_factory=list)

    @property
    def has_dataset(self) -> bool:
        """Whether the request names a dataset in protocol parameters."""
        return bool(self.default_graphs or self.named_graphs)


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """The media type and charset of a Content-Type header."""
    if not content_type:
        return "", None
    media, *params = (p.strip() for p in content_type.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise BadRequest(f"the request body must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(f"the request body is not valid UTF-8 (byte {err.start})") from None


def _iris(params: list[tuple[str, str]], name: str) -> list[str]:
    values = [v for k, v in params if k == name]
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadRequest(f"{name} is not a valid IRI: {value!r}") from None
    return values


def parse_request(
    method: str, url_params: list[tuple[str, str]], content_type: str | None, body: bytes
) -> Operation:
    """Classify a request to the endpoint; raise BadRequest for protocol errors.

    >>> parse_request("POST", [], "application/sparql-update", b"CLEAR ALL").kind
    'update'
    >>> parse_request("POST", [], "text/plain", b"ASK {}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.BadRequest: a POST must be application/x-www-form-urlencoded, ... not 'text/plain'
    """
    params = list(url_params)
    direct: tuple[str, str] | None = None
    if method == "POST":
        media, charset = _media_type(content_type)
        if media == _FORM:
            try:
                params += parse_qsl(_decode(body, charset), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise BadRequest("the form body is not valid UTF-8") from None
        elif media in _DIRECT:
            direct = (_DIRECT[media], _decode(body, charset))
        else:
            raise BadRequest(
                "a POST must be application/x-www-form-urlencoded, application/sparql-query "
                f"or application/sparql-update, not {media or 'without a Content-Type'!r}"
            )
    queries = [v for k, v in params if k == "query"]
    updates = [v for k, v in params if k == "update"]
    if direct is not None:
        (queries if direct[0] == "query" else updates).append(direct[1])
    if len(queries) > 1 or len(updates) > 1:
        raise BadRequest("give exactly one query or one update per request")
    if queries and updates:
        raise BadRequest("a request cannot carry both a query and an update")
    if updates:
        if method != "POST":
            raise BadRequest("updates must be sent with POST")
        return Operation(
            "update",
            updates[0],
            _iris(params, "using-graph-uri"),
            _iris(params, "using-named-graph-uri"),
        )
    if queries:
        return Operation(
            "query",
            queries[0],
            _iris(params, "default-graph-uri"),
            _iris(params, "named-graph-uri"),
        )
    if method == "POST":
        raise BadRequest("the request has neither a query nor an update")
    return Operation("none")
