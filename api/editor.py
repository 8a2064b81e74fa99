"""The SPARQL query editor a browser gets at ``/sparql``: YASGUI, served by this app.

YASGUI comes from the npm registry (``package.json`` pins ``@zazuko/yasgui``; ``npm ci``
installs it into ``node_modules/``) and is mounted at :data:`YASGUI_PREFIX`. Nothing
loads from a CDN. ``/static/editor.js`` starts it (the CSP refuses inline scripts)
with the settings this page passes in ``data-`` attributes: the endpoint, the
harmgraph prefixes and the worked examples. Without ``node_modules`` the page says
how to install the editor and offers a plain form that still queries ``/sparql``.
"""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from api.security import CONTENT_SECURITY_POLICY
from api.templating import render
from graph import model
from graph.examples import load_examples
from graph.settings import PROJECT_ROOT, Settings

#: Where ``npm ci`` puts the YASGUI build (``yasgui.min.js``, ``yasgui.min.css``).
YASGUI_DIR = PROJECT_ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"
#: Where the app serves it.
YASGUI_PREFIX = "/static/vendor/yasgui"

#: The query the first editor tab opens with (the prefixes are declared above it).
#: The site's policy, except that styles may also be inline: YASGUI's table plugin sizes its
#: resizable columns with a generated ``<style>`` element (whose content varies, so no hash
#: can allow it). Scripts stay ``'self'`` only.
EDITOR_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

START_QUERY = """SELECT ?incident ?title ?date WHERE {
  ?incident a hg:Incident ;
            dcterms:title ?title ;
            dcterms:date ?date .
}
ORDER BY DESC(?date)
LIMIT 25
"""


def yasgui_available() -> bool:
    """Whether ``npm ci`` has installed the YASGUI build."""
    return (YASGUI_DIR / "yasgui.min.js").is_file() and (YASGUI_DIR / "yasgui.min.css").is_file()


def install(app: FastAPI) -> None:
    """Mount the YASGUI build, if installed; call before ``/static`` is mounted."""
    if yasgui_available():
        app.mount(YASGUI_PREFIX, StaticFiles(directory=YASGUI_DIR), name="yasgui")


def start_query() -> str:
    """The first tab's query: every harmgraph prefix declared, then :data:`START_QUERY`."""
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in model.PREFIXES.items())
    return prologue + "\n" + START_QUERY


def page(request: Request, settings: Settings) -> HTMLResponse:
    """The editor page (or, without YASGUI installed, a notice and a plain form)."""
    response = render(
        request,
        "editor.html",
        {
            "yasgui": YASGUI_PREFIX if yasgui_available() else None,
            "examples": load_examples(settings.data_dir / "queries"),
            "prefixes": json.dumps(model.PREFIXES),
            "start_query": start_query(),
        },
    )
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response
