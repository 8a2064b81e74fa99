"""HTTP validators and conditional requests (RFC 9110 §8.8, §13): ETag, Last-Modified.

harmgraph's entity tags are weak (``W/"…"``): they name a state of the data, not
the bytes of one representation (a gzip-encoded dump and a plain one share it).
Comparison is therefore weak for ``If-None-Match`` and, deliberately, for
``If-Match`` too, which lets a client send back the tag it read.

>>> etag("abc")
'W/"abc"'
>>> matches('"x", W/"abc"', etag("abc"))
True
>>> matches("*", etag("abc"))
True
>>> matches('"abd"', etag("abc"))
False
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers


def etag(tag: str) -> str:
    """A weak entity tag for an opaque tag."""
    return f'W/"{tag}"'


def _opaque(value: str) -> str:
    value = value.strip()
    if value[:2] in ("W/", "w/"):
        value = value[2:]
    return value.strip('"')


def matches(header: str, current: str) -> bool:
    """Whether an If-Match / If-None-Match header value names ``current`` (weak comparison)."""
    if header.strip() == "*":
        return True
    wanted = _opaque(current)
    return any(_opaque(part) == wanted for part in header.split(",") if part.strip())


def http_date(moment: datetime) -> str:
    """An IMF-fixdate (``Sun, 06 Nov 1994 08:49:37 GMT``).

    >>> http_date(datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC))
    'Fri, 02 Jan 2026 03:04:05 GMT'
    """
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def not_modified(headers: Headers, current: str, last_modified: datetime | None) -> bool:
    """Whether a GET/HEAD may be answered 304 Not Modified.

    ``If-None-Match`` wins when present; ``If-Modified-Since`` counts only without
    it, at one-second precision, and is ignored when it does not parse.

    >>> h = Headers({"if-modified-since": "Fri, 02 Jan 2026 03:04:05 GMT"})
    >>> not_modified(h, etag("a"), datetime(2026, 1, 2, 3, 4, 5, 999, tzinfo=UTC))
    True
    """
    inm = headers.get("if-none-match")
    if inm is not None:
        return matches(inm, current)
    ims = headers.get("if-modified-since")
    if ims is None or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(ims)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since
