"""HTML pages: one Jinja2 environment with autoescaping on, and the links between pages.

Every template extends ``base.html`` (the navigation) and every value from the
data is escaped by Jinja2's autoescaping; nothing is marked safe. Links to
resources under the data's base IRI become links on this server
(:func:`local_href`), so a reader can follow them here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from graph import model
from graph.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

#: The navigation bar: (label, path); ``None`` marks pages that do not exist yet.
NAV: tuple[tuple[str, str | None], ...] = (
    ("Home", "/"),
    ("Search", "/search"),
    ("Network", "/network"),
    ("Path", "/path"),
    ("SPARQL", "/sparql"),
    ("Ontology", "/ontology"),
    ("Shapes", "/shapes"),
    ("Dumps", "/dump.ttl"),
    ("Data quality", "/quality"),
    ("API", "/docs"),
)


#: URL schemes a page links to; other IRIs and URLs are shown, not linked.
LINKABLE_SCHEMES = ("http", "https", "mailto")


def bases(settings: Settings) -> tuple[str, ...]:
    """The IRI prefixes this server answers for: the configured base, then the data's."""
    return tuple(dict.fromkeys((settings.base_iri, model.BASE)))


def local_href(iri: str, settings: Settings) -> str:
    """Where a reader follows ``iri``: a path on this server when it is under a base.

    >>> local_href("https://w3id.org/harmgraph/id/actor/palantir", Settings(store="memory"))
    '/id/actor/palantir'
    >>> local_href("https://w3id.org/harmgraph/ontology#developer", Settings(store="memory"))
    '/ontology#developer'
    >>> local_href("https://www.palantir.com/", Settings(store="memory"))
    'https://www.palantir.com/'

    Only web and mail URLs are links: anything else (``javascript:``, ``data:``,
    ``vbscript:``, ``file:``, even with white space or control characters inside the
    scheme, which browsers drop) becomes ``#``, so data can never make a script link.

    >>> local_href(" Java\tScript:alert(1)", Settings(store="memory"))
    '#'
    """
    scheme = urlsplit("".join(c for c in iri if c.isprintable() and not c.isspace())).scheme
    if scheme and scheme.lower() not in LINKABLE_SCHEMES:
        return "#"
    for base in bases(settings):
        if iri.startswith(base) and len(iri) > len(base):
            return "/" + iri[len(base) :]
    return iri


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment (autoescaping on for every template)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["nav"] = NAV
    env.filters["curie"] = model.curie
    return env


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """Render ``template`` with ``context`` as an HTML response."""
    settings: Settings = request.app.state.settings
    page = (
        environment()
        .get_template(template)
        .render(
            request_path=request.url.path,
            href=lambda iri: local_href(str(iri), settings),
            **context,
        )
    )
    return HTMLResponse(page, status_code=status, headers={"Vary": "Accept"})
