"""Request bodies under a size limit: checked on Content-Length and while reading.

The declared length is checked first (a too-large upload is refused before any
byte is read), then the bytes are counted as they arrive, so a chunked body or a
lying Content-Length cannot get past the limit either.
"""

from __future__ import annotations

from fastapi import Request

from graph.errors import BadRequest, PayloadTooLarge


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the request body is larger than {limit} bytes", limit=limit)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, at most ``limit`` bytes.

    Raises:
        PayloadTooLarge: Content-Length or the bytes received exceed ``limit``.
        BadRequest: Content-Length is not a number.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise BadRequest(f"Content-Length {declared!r} is not a number") from None
        if length > limit:
            raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
