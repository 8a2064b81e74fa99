"""The ontology and the shapes resolve here: ``/ontology`` and ``/shapes``.

HTML documentation generated from their Turtle (built once, cached by
:mod:`graph.ontology_docs`) or the Turtle itself, by ``Accept`` or suffix
(``/ontology.ttl``, ``/shapes.ttl``). The ontology's version IRI
(``https://w3id.org/harmgraph/ontology/0.1.0``) resolves the same way at
``/ontology/0.1.0`` (and ``/ontology/0.1.0.ttl``). Term IRIs such as
``https://w3id.org/harmgraph/ontology#developer`` land on the term's anchor.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import SettingsDep
from api.templating import local_href, render
from api.view_formats import choose
from graph.errors import NotFound
from graph.ontology_docs import ontology_doc, shapes_doc

router = APIRouter(tags=["ontology"])

OFFERS = ("text/html", "text/turtle")


def _answer(
    request: Request, forced: str | None, turtle: str, template: str, doc: object
) -> Response:
    media = choose(request, forced, OFFERS)
    headers = {"Vary": "Accept"}
    if media == "text/turtle":
        return Response(turtle.encode("utf-8"), media_type="text/turtle", headers=headers)
    return render(request, template, {"doc": doc})


@router.get("/ontology", summary="The harmgraph ontology (HTML or Turtle)")
def ontology(request: Request, settings: SettingsDep) -> Response:
    """Documentation of ``https://w3id.org/harmgraph/ontology``, or its Turtle."""
    doc = ontology_doc(settings.ontology_dir)
    return _answer(request, None, doc.turtle, "ontology.html", doc)


@router.get("/ontology.ttl", summary="The harmgraph ontology as Turtle")
def ontology_turtle(request: Request, settings: SettingsDep) -> Response:
    """The ontology's Turtle source."""
    doc = ontology_doc(settings.ontology_dir)
    return _answer(request, "text/turtle", doc.turtle, "ontology.html", doc)


@router.get("/ontology/{version}", summary="A version of the ontology (HTML or Turtle)")
def ontology_version(version: str, request: Request, settings: SettingsDep) -> Response:
    """The ontology at its version IRI (``owl:versionIRI``), e.g. ``/ontology/0.1.0``.

    ``/ontology/0.1.0.ttl`` is its Turtle. Only the version the server holds resolves:
    an older version IRI is a 404 (its Turtle is in the project's history).
    """
    doc = ontology_doc(settings.ontology_dir)
    stem, forced = version.removesuffix(".ttl"), None
    if stem != version:
        forced = "text/turtle"
    held = [local_href(v, settings) for k, v in doc.metadata if k == "owl:versionIRI"]
    if f"/ontology/{stem}" not in held:
        raise NotFound(f"no ontology version {stem!r}; this server holds " + ", ".join(held))
    return _answer(request, forced, doc.turtle, "ontology.html", doc)


@router.get("/shapes", summary="The harmgraph SHACL shapes (HTML or Turtle)")
def shapes(request: Request, settings: SettingsDep) -> Response:
    """Documentation of ``https://w3id.org/harmgraph/shapes``, or its Turtle."""
    doc = shapes_doc(settings.shapes_dir)
    return _answer(request, None, doc.turtle, "shapes.html", doc)


@router.get("/shapes.ttl", summary="The harmgraph SHACL shapes as Turtle")
def shapes_turtle(request: Request, settings: SettingsDep) -> Response:
    """The shapes' Turtle source."""
    doc = shapes_doc(settings.shapes_dir)
    return _answer(request, "text/turtle", doc.turtle, "shapes.html", doc)
