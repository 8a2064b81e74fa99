"""Linked data: every IRI under the base resolves here (``/id/…``, ``/vocab/…``, ``/graph/…``).

The same path answers HTML (a readable page), Turtle, JSON-LD, N-Triples and a
simple JSON view, by ``Accept`` or by a suffix (``.ttl``, ``.jsonld``, ``.nt``,
``.json``). The server answers for path ``/id/actor/palantir`` with the resource
``{base}id/actor/palantir``, trying the configured base IRI and then the data's
(``https://w3id.org/harmgraph/``). Unknown IRIs are a 404 problem.

An incident's description, in every format, carries the weak ETag of
:func:`graph.versions.incident_version` — the tag ``POST``/``DELETE /incidents``
compare ``If-Match`` with — and answers ``If-None-Match`` with 304.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.conditional import etag, not_modified
from api.deps import get_settings, get_store
from api.negotiation import negotiate
from api.party_view import profile
from api.resource_view import build
from api.templating import bases, local_href, render
from graph import describe
from graph.errors import NotAcceptable, NotFound
from graph.ontology_docs import ontology_doc
from graph.settings import Settings
from graph.store import Store
from graph.versions import incident_version

router = APIRouter(tags=["linked data"])

#: Representations of a resource, in the server's order of preference.
OFFERS = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/json",
)
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


def choose(request: Request, forced: str | None, offers: tuple[str, ...] = OFFERS) -> str:
    """The media type to answer with: the suffix's, else the best for ``Accept``."""
    if forced is not None:
        return forced
    chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise NotAcceptable(
            "none of the offered representations is acceptable", offered=list(offers)
        )
    return chosen


def alternates(path: str) -> str:
    """A ``Link`` header naming the other representations of ``path``."""
    return ", ".join(
        f'<{path}.{ext}>; rel="alternate"; type="{media}"' for ext, media in SUFFIXES.items()
    )


def resolve(store: Store, settings: Settings, path: str) -> str:
    """The IRI of the resource at ``path`` (relative to the base), or NotFound."""
    for base in bases(settings):
        iri = base + path
        if describe.exists(store, iri):
            return iri
    raise NotFound(f"no resource {bases(settings)[0] + path} in this graph")


def resource_response(request: Request, store: Store, settings: Settings, path: str) -> Response:
    """Answer for the resource at ``path`` (e.g. ``id/actor/palantir.ttl``)."""
    path, forced = split_suffix(path)
    media = choose(request, forced)
    iri = resolve(store, settings, path)
    headers = {"Vary": "Accept", "Link": alternates("/" + path)}
    version = incident_version(store, iri)
    if version is not None:
        headers["ETag"] = etag(version)
        if not_modified(request.headers, headers["ETag"], None):
            return Response(status_code=304, headers=headers)
    graph = describe.describe(store, iri)
    if media in SERIALISERS:
        body = graph.serialize(format=SERIALISERS[media], encoding="utf-8")
        return Response(body, media_type=media, headers=headers)
    terms = term_labels(settings)
    view = build(
        iri, graph, describe.incoming(store, iri), describe.incoming_counts(store, iri), terms
    )
    if media == "application/json":
        body = json.dumps(view.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
        return Response(body, media_type=media, headers=headers)
    party = profile(
        request.app.state.networks.get(store).graph, iri, lambda i: local_href(i, settings)
    )
    page = render(request, "resource.html", {"view": view, "path": "/" + path, "party": party})
    page.headers.update(headers)
    return page


def term_labels(settings: Settings) -> dict[str, str]:
    """Labels of the ontology's classes and properties, by IRI (cached with the docs)."""
    doc = ontology_doc(settings.ontology_dir)
    return {t.iri: t.label for t in (*doc.classes, *doc.properties)}


@router.get("/id/{path:path}", summary="A resource (incident, actor, system, group, source…)")
def entity(
    path: str,
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The resource ``{base}id/{path}``: HTML, Turtle, JSON-LD, N-Triples or JSON."""
    return resource_response(request, store, settings, "id/" + path)


@router.get("/vocab/{path:path}", summary="A concept scheme or concept")
def vocabulary(
    path: str,
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The concept or scheme ``{base}vocab/{path}``, e.g. ``/vocab/severity/high``."""
    return resource_response(request, store, settings, "vocab/" + path)


@router.get("/graph/{path:path}", summary="A named graph's provenance")
def named_graph(
    path: str,
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The named graph ``{base}graph/{path}``: when and by which import it was written."""
    return resource_response(request, store, settings, "graph/" + path)
