"""Who may write: the bearer token check shared by SPARQL Update and the write API.

Writes are refused unless the request carries ``Authorization: Bearer
<write_token>``; with no token configured, writes are off (403). The token is
compared in constant time.
"""

from __future__ import annotations

import secrets

from graph.errors import Forbidden, Unauthorized


def authorize(authorization: str | None, token: str) -> None:
    """Let a write through only with the configured bearer token.

    Raises:
        Forbidden: no write token is configured (writes are off).
        Unauthorized: the header is missing, not ``Bearer``, or the token is wrong.

    >>> authorize("Bearer s3cret", "s3cret")
    >>> authorize("Bearer guess", "s3cret")
    Traceback (most recent call last):
    ...
    graph.errors.Unauthorized: writes need a valid bearer token (Authorization: Bearer <token>)
    """
    if not token:
        raise Forbidden("writes are turned off on this server (no write token is configured)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise Unauthorized("writes need a valid bearer token (Authorization: Bearer <token>)")
