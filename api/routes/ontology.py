"""The ontology and the shapes resolve here: ``/ontology`` and ``/shapes``.

HTML documentation generated from their Turtle (built once, cached by
:mod:`graph.ontology_docs`) or the Turtle itself, by ``Accept`` or suffix
(``/ontology.ttl``, ``/shapes.ttl``). Term IRIs such as
``https://w3id.org/harmgraph/ontology#developer`` land on the term's anchor.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.deps import get_settings
from api.routes.resources import choose
from api.templating import render
from graph.ontology_docs import ontology_doc, shapes_doc
from graph.settings import Settings

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
def ontology(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """Documentation of ``https://w3id.org/harmgraph/ontology``, or its Turtle."""
    doc = ontology_doc(settings.ontology_dir)
    return _answer(request, None, doc.turtle, "ontology.html", doc)


@router.get("/ontology.ttl", summary="The harmgraph ontology as Turtle")
def ontology_turtle(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> Response:
    """The ontology's Turtle source."""
    doc = ontology_doc(settings.ontology_dir)
    return _answer(request, "text/turtle", doc.turtle, "ontology.html", doc)


@router.get("/shapes", summary="The harmgraph SHACL shapes (HTML or Turtle)")
def shapes(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """Documentation of ``https://w3id.org/harmgraph/shapes``, or its Turtle."""
    doc = shapes_doc(settings.shapes_dir)
    return _answer(request, None, doc.turtle, "shapes.html", doc)


@router.get("/shapes.ttl", summary="The harmgraph SHACL shapes as Turtle")
def shapes_turtle(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> Response:
    """The shapes' Turtle source."""
    doc = shapes_doc(settings.shapes_dir)
    return _answer(request, "text/turtle", doc.turtle, "shapes.html", doc)
