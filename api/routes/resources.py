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
from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import URIRef

from api.conditional import etag, not_modified
from api.deps import SettingsDep, StoreDep
from api.party_view import profile
from api.resource_view import Pager, build, page_number, page_roles
from api.templating import bases, local_href, render
from api.view_formats import SERIALISERS, alternates, choose, split_suffix
from graph import describe
from graph.errors import NotFound
from graph.ontology_docs import ontology_doc
from graph.settings import Settings
from graph.store import Store
from graph.versions import incident_version

router = APIRouter(tags=["linked data"])


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
    number = page_number(request.query_params.get("page"))
    counts = describe.incoming_counts(store, iri)
    links, pagers = incoming_pages(
        store, iri, counts, request.query_params.get("linked"), number, settings.entity_links_page
    )
    view = build(iri, graph, links, counts, terms, pagers)
    if media == "application/json":
        body = json.dumps(view.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
        return Response(body, media_type=media, headers=headers)
    party = profile(
        request.app.state.networks.get(store).graph, iri, lambda i: local_href(i, settings)
    )
    role_pagers: dict[str, Pager] = {}
    if party is not None:
        party, role_pagers = page_roles(
            party, request.query_params.get("role"), number, settings.entity_role_page
        )
    context = {"view": view, "path": "/" + path, "party": party, "role_pagers": role_pagers}
    page = render(request, "resource.html", context)
    page.headers.update(headers)
    return page


def incoming_pages(
    store: Store,
    iri: str,
    counts: Mapping[URIRef, int],
    linked: str | None,
    number: int,
    size: int = describe.INCOMING_PAGE,
) -> tuple[list[describe.Link], dict[URIRef, Pager]]:
    """One page of each property's incoming links (``number`` of ``linked``, the first of
    the others; ``size`` a page) and each property's pager."""
    links: list[describe.Link] = []
    pagers: dict[URIRef, Pager] = {}
    for p, total in counts.items():
        pager = Pager.of("linked", str(p), number if str(p) == linked else 1, size, total)
        pagers[p] = pager
        offset = (pager.page - 1) * size
        if offset < total:
            links += describe.incoming_page(store, iri, str(p), limit=size, offset=offset)
    return links, pagers


def term_labels(settings: Settings) -> dict[str, str]:
    """Labels of the ontology's classes and properties, by IRI (cached with the docs)."""
    doc = ontology_doc(settings.ontology_dir)
    return {t.iri: t.label for t in (*doc.classes, *doc.properties)}


@router.get("/id/{path:path}", summary="A resource (incident, actor, system, group, source…)")
def entity(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The resource ``{base}id/{path}``: HTML, Turtle, JSON-LD, N-Triples or JSON."""
    return resource_response(request, store, settings, "id/" + path)


@router.get("/vocab/{path:path}", summary="A concept scheme or concept")
def vocabulary(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The concept or scheme ``{base}vocab/{path}``, e.g. ``/vocab/severity/high``."""
    return resource_response(request, store, settings, "vocab/" + path)


@router.get("/graph/{path:path}", summary="A named graph's provenance")
def named_graph(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The named graph ``{base}graph/{path}``: when and by which import it was written."""
    return resource_response(request, store, settings, "graph/" + path)
