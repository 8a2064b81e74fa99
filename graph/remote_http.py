"""The HTTP side of the remote store: SPARQL 1.1 Protocol and Graph Store Protocol calls.

:class:`SparqlHttp` sends queries (``GET``, or ``POST`` when the URL would be too
long), updates (``POST application/sparql-update``) and Graph Store Protocol
reads to a SPARQL engine, with the configured time limit. What can go wrong is
mapped once, here, onto harmgraph's errors:

* the engine cannot be reached, refuses the credentials, or answers 5xx:
  :class:`~graph.errors.RemoteStoreUnavailable` (502);
* the engine is slower than ``query_timeout``: :class:`~graph.errors.RemoteTimeout` (504);
* the engine rejects the request (4xx): :class:`~graph.errors.InvalidQuery` with its message.

Only ``GET`` queries are retried (with backoff) on connection errors and 502/503/504
answers: they are idempotent. Updates and ``POST`` queries are sent once.

Credentials (``HARMGRAPH_STORE_USER``/``PASSWORD`` or userinfo in the store URL)
travel only in the ``Authorization`` header: every URL in a message goes through
:func:`redact`, and the password is masked out of any text quoted from the engine.

>>> redact("http://admin:s3cret@db.example:7878/query?x=1")
'http://db.example:7878/query?x=1'
>>> Endpoints.derive("http://localhost:7878").update
'http://localhost:7878/update'
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from graph.errors import InvalidQuery, RemoteStoreUnavailable, RemoteTimeout, StoreError

#: Longest query sent with GET (servers commonly cap request lines near 8 KiB).
MAX_GET_URL = 4000
#: Pauses before the retries of a GET query (seconds); a retry only follows a
#: connection error or a 502/503/504 answer.
RETRY_PAUSES = (0.1, 0.4)
_RETRY_STATUS = {502, 503, 504}
#: How much of an engine's error message is quoted.
_MESSAGE_CHARS = 600


def redact(url: str) -> str:
    """``url`` without its userinfo (user name and password)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=host))


@dataclass(frozen=True)
class Endpoints:
    """The query, update and Graph Store Protocol URLs of one engine."""

    query: str
    update: str
    gsp: str

    @classmethod
    def derive(cls, base: str, query: str = "", update: str = "", gsp: str = "") -> Endpoints:
        """Endpoints from explicit URLs, defaulting to Oxigraph server's layout under ``base``.

        >>> Endpoints.derive("http://h/ds", query="http://h/ds/sparql").query
        'http://h/ds/sparql'
        """
        root = redact(base).rstrip("/")
        return cls(
            redact(query) if query else f"{root}/query",
            redact(update) if update else f"{root}/update",
            redact(gsp) if gsp else f"{root}/store",
        )


@dataclass(frozen=True)
class Credentials:
    """HTTP basic-auth credentials; ``repr`` never shows the password."""

    user: str
    password: str

    @classmethod
    def find(cls, url: str, user: str = "", password: str = "") -> Credentials | None:
        """Explicit credentials, else the userinfo of ``url``, else none.

        >>> Credentials.find("http://u:p@h/")
        Credentials(user='u', password=***)
        """
        if user:
            return cls(user, password)
        parts = urlsplit(url)
        if parts.username:
            return cls(parts.username, parts.password or "")
        return None

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=***)"


class SparqlHttp:
    """A SPARQL engine over HTTP: one connection pool, one time limit."""

    def __init__(
        self,
        endpoints: Endpoints,
        credentials: Credentials | None,
        timeout: float,
        auth: str = "basic",
    ) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self._secret = credentials.password if credentials else ""
        #: Digest authentication answers a challenge by sending the request again.
        self._replayable = credentials is not None and auth == "digest"
        scheme: httpx.Auth | None = None
        if credentials is not None:
            scheme = (httpx.DigestAuth if self._replayable else httpx.BasicAuth)(
                credentials.user, credentials.password
            )
        self._client = httpx.Client(
            auth=scheme,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
        )

    @contextmanager
    def query(
        self, text: str, accept: str, params: Sequence[tuple[str, str]] = ()
    ) -> Iterator[httpx.Response]:
        """Send a query; yield the streamed, successful response (closed afterwards)."""
        fields: list[tuple[str, str | int | float | bool | None]] = [("query", text), *params]
        headers = {"Accept": accept}
        get = self._client.build_request("GET", self.endpoints.query, params=fields)
        if len(str(get.url)) <= MAX_GET_URL:
            get.headers.update(headers)
            response = self._send(get, retry=True)
        else:
            post = self._client.build_request(
                "POST", self.endpoints.query, data=dict(_merge(fields)), headers=headers
            )
            response = self._send(post, retry=False)
        try:
            yield response
        finally:
            response.close()

    def update(self, text: str | Iterator[bytes]) -> None:
        """Send one update request (never retried: it may have been applied)."""
        body = text.encode("utf-8") if isinstance(text, str) else text
        if self._replayable and not isinstance(body, bytes):
            body = b"".join(body)  # a digest challenge makes httpx send the body twice
        request = self._client.build_request(
            "POST",
            self.endpoints.update,
            content=body,
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self._send(request, retry=False).close()

    @contextmanager
    def graph(self, name: str | None, accept: str) -> Iterator[httpx.Response]:
        """Graph Store Protocol GET of one graph (``None``: the default graph)."""
        params = {"graph": name} if name is not None else {"default": ""}
        request = self._client.build_request(
            "GET", self.endpoints.gsp, params=params, headers={"Accept": accept}
        )
        response = self._send(request, retry=True)
        try:
            yield response
        finally:
            response.close()

    def reader(self, response: httpx.Response) -> ResponseReader:
        """A file object over a streamed response body, bound to the time limit."""
        return ResponseReader(response, self)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _send(self, request: httpx.Request, *, retry: bool) -> httpx.Response:
        pauses = RETRY_PAUSES if retry else ()
        for attempt in range(len(pauses) + 1):
            last = attempt == len(pauses)
            try:
                response = self._client.send(request, stream=True)
            except RuntimeError:
                if not self._client.is_closed:
                    raise
                # As the embedded store does once closed (another thread may close it).
                where = redact(str(request.url.copy_with(query=None)))
                raise StoreError(f"the store {where} is closed") from None
            except httpx.TimeoutException:
                raise self.timed_out(request.url) from None
            except httpx.TransportError as err:
                if last:
                    where = redact(str(request.url.copy_with(query=None)))
                    raise RemoteStoreUnavailable(
                        f"remote store unavailable: cannot reach {where} ({type(err).__name__})"
                    ) from None
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in _RETRY_STATUS or last:
                    raise self._failure(request, response)
                response.close()
            time.sleep(pauses[attempt])  # backoff between retries, not synchronisation
        raise AssertionError("unreachable")  # pragma: no cover

    def timed_out(self, url: httpx.URL | str) -> RemoteTimeout:
        """The error for an engine slower than the time limit."""
        where = redact(str(httpx.URL(str(url)).copy_with(query=None)))
        return RemoteTimeout(
            f"the remote store at {where} did not answer within {self.timeout:g} s",
            limit_seconds=self.timeout,
        )

    def _failure(
        self, request: httpx.Request, response: httpx.Response
    ) -> InvalidQuery | RemoteStoreUnavailable:
        try:
            response.read()
            message = response.text[:_MESSAGE_CHARS].strip()
        except httpx.HTTPError:
            message = ""
        finally:
            response.close()
        if self._secret:
            message = message.replace(self._secret, "***")
        where = redact(str(request.url.copy_with(query=None)))
        status = response.status_code
        if status in (401, 403, 407):
            return RemoteStoreUnavailable(
                f"remote store unavailable: {where} refused harmgraph's credentials ({status})"
            )
        if status >= 500 or status == 404:
            return RemoteStoreUnavailable(
                f"remote store unavailable: {where} answered {status}: {message}"
            )
        return InvalidQuery(f"the remote store rejected the request ({status}): {message}")


class ResponseReader:
    """A binary file object over a streamed response; enforces the overall time limit."""

    def __init__(self, response: httpx.Response, http: SparqlHttp) -> None:
        self._chunks = response.iter_bytes()
        self._url = response.request.url
        self._http = http
        self._deadline = time.monotonic() + http.timeout
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left for a negative size)."""
        while size < 0 or len(self._buffer) < size:
            if time.monotonic() > self._deadline:
                raise self._http.timed_out(self._url)
            try:
                chunk = next(self._chunks)
            except StopIteration:
                break
            except httpx.TimeoutException:
                raise self._http.timed_out(self._url) from None
            except httpx.TransportError as err:
                raise RemoteStoreUnavailable(
                    f"remote store unavailable: the answer was cut off ({type(err).__name__})"
                ) from None
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _merge(fields: Sequence[tuple[str, object]]) -> dict[str, str | list[str]]:
    merged: dict[str, str | list[str]] = {}
    for key, raw in fields:
        value = str(raw)
        if key in merged:
            existing = merged[key]
            merged[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            merged[key] = value
    return merged
