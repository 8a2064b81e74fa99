"""The one error root of harmgraph and its subclasses.

Every error that reaches a user is a :class:`HarmgraphError`. Each subclass
carries an HTTP ``status`` and a short ``title`` (used verbatim in RFC 9457
problem documents) plus context fields that say *what* and *where*. Errors of
rdflib, pyparsing and pyoxigraph are wrapped inside :mod:`graph` so that nothing
above it sees them.

>>> err = InvalidRDF("unexpected token", file="a.ttl", line=3, column=7)
>>> str(err)
'a.ttl:3:7: unexpected token'
>>> err.status
400
>>> err.type_slug
'invalid-rdf'
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

# Between a lower-case letter and a capital, or before the last capital of an acronym.
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class HarmgraphError(Exception):
    """Root of every error harmgraph reports to a user."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"
    #: Exit code of the CLI for this kind of error.
    exit_code: ClassVar[int] = 1

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def type_slug(self) -> str:
        """A stable, kebab-case name for the problem type, e.g. ``invalid-rdf``."""
        name = type(self).__name__
        return _WORD_BOUNDARY.sub("-", name).lower()

    def context(self) -> dict[str, Any]:
        """Extension members for the problem document (where the error is)."""
        return {}

    def __str__(self) -> str:
        return self.detail


class BadRequest(HarmgraphError):
    """The request or command is malformed."""

    status = 400
    title = "Bad request"
    exit_code = 2


class InvalidRDF(BadRequest):
    """RDF input that does not parse; says file, line and column."""

    title = "Invalid RDF"

    def __init__(
        self,
        detail: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.file = file
        self.line = line
        self.column = column

    def context(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (("file", self.file), ("line", self.line), ("column", self.column))
            if v is not None
        }

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        return f"{where}: {self.detail}" if where else self.detail


class UnsupportedFormat(BadRequest):
    """An RDF or result format harmgraph does not know."""

    title = "Unsupported format"
    status = 415


class InvalidQuery(BadRequest):
    """A SPARQL query or update that does not parse or is not allowed."""

    title = "Invalid query"

    def __init__(self, detail: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(detail)
        self.line = line
        self.column = column

    def context(self) -> dict[str, Any]:
        return {k: v for k, v in (("line", self.line), ("column", self.column)) if v is not None}


class InputError(BadRequest):
    """Input that parses as text but does not have the expected structure.

    Used by the importers (a CSV row, a section of a page): says file, line and
    the field or section that was expected.
    """

    title = "Invalid input"

    def __init__(
        self,
        detail: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.file = file
        self.line = line
        self.field = field

    def context(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (("file", self.file), ("line", self.line), ("field", self.field))
            if v is not None
        }

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.detail}" if where else f"{self.detail}{field}"


class NotFound(HarmgraphError):
    """A resource, file or named graph that does not exist."""

    status = 404
    title = "Not found"
    exit_code = 2


class UnknownName(NotFound):
    """A name, slug or IRI that matches no actor, system, group or incident."""

    title = "Unknown name"

    def __init__(self, detail: str, *, name: str, suggestions: list[dict[str, str]]) -> None:
        super().__init__(detail)
        self.name = name
        self.suggestions = suggestions

    def context(self) -> dict[str, Any]:
        return {"name": self.name, "suggestions": self.suggestions}


class LimitExceeded(BadRequest):
    """A request past a configured limit (a setting, named in the problem)."""

    title = "Limit exceeded"

    def __init__(self, detail: str, *, limit: str, maximum: int) -> None:
        super().__init__(detail)
        self.limit = limit
        self.maximum = maximum

    def context(self) -> dict[str, Any]:
        return {"limit": self.limit, "maximum": self.maximum}


class Forbidden(HarmgraphError):
    """An operation the caller is not allowed to do (writes without the token, SERVICE)."""

    status = 403
    title = "Forbidden"


class NotAcceptable(HarmgraphError):
    """No representation the client accepts (the Accept header rules out every offer)."""

    status = 406
    title = "Not acceptable"

    def __init__(self, detail: str, *, offered: list[str]) -> None:
        super().__init__(detail)
        self.offered = offered

    def context(self) -> dict[str, Any]:
        return {"offered": self.offered}


class Unauthorized(HarmgraphError):
    """A write without a valid bearer token."""

    status = 401
    title = "Unauthorized"


class Conflict(HarmgraphError):
    """A write based on a stale version (ETag / If-Match mismatch)."""

    status = 409
    title = "Conflict"


class PayloadTooLarge(HarmgraphError):
    """A body or file past the configured size limit."""

    status = 413
    title = "Payload too large"

    def __init__(self, detail: str, *, limit: int) -> None:
        super().__init__(detail)
        self.limit = limit

    def context(self) -> dict[str, Any]:
        return {"limit": self.limit}


class ShapeViolations(HarmgraphError):
    """Data that fails the SHACL shapes at Violation level.

    ``report`` is a :class:`graph.validation.ValidationReport`.
    """

    status = 422
    title = "SHACL violations"

    def __init__(self, detail: str, *, report: Any) -> None:
        super().__init__(detail)
        self.report = report

    def context(self) -> dict[str, Any]:
        to_json = getattr(self.report, "to_json", None)
        return {"report": to_json()} if callable(to_json) else {}


class QueryTimeout(HarmgraphError):
    """A query stopped after the configured time limit."""

    status = 503
    title = "Query timeout"

    def __init__(self, detail: str, *, limit_seconds: float) -> None:
        super().__init__(detail)
        self.limit_seconds = limit_seconds

    def context(self) -> dict[str, Any]:
        return {"limit": "query_timeout", "seconds": self.limit_seconds}


class Overloaded(HarmgraphError):
    """Too many concurrent requests; try again later."""

    status = 503
    title = "Service overloaded"


class StoreError(HarmgraphError):
    """The store could not be opened or written (disk full, read-only path, lock)."""

    status = 503
    title = "Store unavailable"


class RemoteStoreUnavailable(StoreError):
    """The remote SPARQL engine cannot be reached, refused us, or failed (502)."""

    status = 502
    title = "Remote store unavailable"


class RemoteTimeout(QueryTimeout):
    """The remote SPARQL engine did not answer within the configured time limit (504)."""

    status = 504
    title = "Remote store timeout"
