"""The formats a view answers in, and the responses that carry them.

A resource (``/id/…``, ``/vocab/…``, ``/graph/…``) and the pages that are also data
(``/``, ``/ontology``, ``/quality``) answer in the media type a suffix forces (``.ttl``,
``.json``…) or else the best one for ``Accept`` (:func:`choose`); when nothing offered is
acceptable the answer is a 406 problem. An explorer view (``/network``, ``/path``) is also
data under a suffix (``.json``, ``.csv``, ``.gexf``, ``.graphml``, ``.ttl``):
:func:`download` answers it with a file name and the caveat header, and an unknown suffix
is a 404 problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import Response

from api.negotiation import negotiate
from graph.errors import NotAcceptable, NotFound
from graph.network import View
from graph.network_export import MEDIA_TYPES, export
from graph.store import Store

#: Representations of a resource, in the server's order of preference.
OFFERS = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/json",
)
#: A page that is also data: HTML for browsers, JSON for everyone else who asks.
HTML_OR_JSON = ("text/html", "application/json")
#: The suffixes of a resource's representations and the media types they force.
SUFFIXES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "json": "application/json",
}
#: rdflib serialiser names of the RDF media types.
SERIALISERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}

#: Suffixes of an explorer view as data, in the order the page lists them.
FORMATS = ("json", "csv", "gexf", "graphml", "ttl")
FORMAT_NAMES = {
    "json": "JSON",
    "csv": "CSV (edges)",
    "gexf": "GEXF (Gephi)",
    "graphml": "GraphML",
    "ttl": "Turtle (the RDF behind the view)",
}
#: Shown in the explorer's pages and sent with the data (a header on every download).
CAVEAT = (
    "Appearing in this graph does not imply wrongdoing. Links marked alleged are "
    "allegations reported by the sources."
)


def split_suffix(path: str) -> tuple[str, str | None]:
    """Split a format suffix off a path: ``("id/actor/x", "text/turtle")`` for ``….ttl``.

    >>> split_suffix("id/actor/palantir.ttl")
    ('id/actor/palantir', 'text/turtle')
    >>> split_suffix("vocab/pattern/PAT-PRI-003")
    ('vocab/pattern/PAT-PRI-003', None)
    """
    stem, dot, ext = path.rpartition(".")
    if dot and ext in SUFFIXES and "/" not in ext:
        return stem, SUFFIXES[ext]
    return path, None


def choose(
    request: Request,
    forced: str | None,
    offers: Sequence[str] = OFFERS,
    refusal: str = "none of the offered representations is acceptable",
) -> str:
    """The media type to answer with: the suffix's, else the best for ``Accept``.

    Raises:
        NotAcceptable: nothing in ``offers`` is acceptable (406, ``refusal`` its detail).
    """
    if forced is not None:
        return forced
    chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise NotAcceptable(refusal, offered=list(offers))
    return chosen


def alternates(path: str) -> str:
    """A ``Link`` header naming the other representations of ``path``.

    >>> alternates("/id/actor/x").split(", ")[0]
    '</id/actor/x.ttl>; rel="alternate"; type="text/turtle"'
    """
    return ", ".join(
        f'<{path}.{ext}>; rel="alternate"; type="{media}"' for ext, media in SUFFIXES.items()
    )


def download(view: View, fmt: str, store: Store, name: str) -> Response:
    """The view as data with its media type; CSV, GEXF and GraphML as file downloads.

    Raises:
        NotFound: ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in MEDIA_TYPES:
        raise NotFound(f"a view comes as {', '.join(FORMATS)}, not .{fmt}")
    body, media = export(view, fmt, store)
    disposition = "inline" if fmt in ("json", "ttl") else "attachment"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "view"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{safe}.{fmt}"',
        "X-Harmgraph-Caveat": CAVEAT,
    }
    return Response(body, media_type=media, headers=headers)
