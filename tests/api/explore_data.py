"""Stores and page parsing shared by the explorer tests (test_explore*.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from rdflib import Graph

from graph.ingest import import_graph
from graph.store import Store
from graph.validation import get_validator
from tests.api.ld_store import loaded_store

XSS_FIXTURE = Path(__file__).parent.parent / "data" / "xss" / "markup-in-labels.ttl"
XSS_INCIDENT = "https://w3id.org/harmgraph/id/incident/xss-test-1"
XSS_ACTOR = "https://w3id.org/harmgraph/id/actor/xss-markup-actor"
ICE = "https://w3id.org/harmgraph/id/actor/us-immigration-and-customs-enforcement"
MARKUP = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")


def explorer_store() -> Store:
    """INC-26-0068 and the XSS fixture incident, both imported through the validator."""
    store = loaded_store()
    data = Graph().parse(XSS_FIXTURE, format="turtle")
    import_graph(
        store, data, graph_name="curated", source=XSS_FIXTURE.name, validator=get_validator()
    )
    return store


class Links(HTMLParser):
    """Every URL-bearing attribute of a page, with the tag and whether it sits in <main>."""

    URL_ATTRS = ("src", "href", "action", "poster", "data", "formaction")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str, bool]] = []
        self._main = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._main += 1
        for name, value in attrs:
            if name in self.URL_ATTRS and value is not None:
                self.found.append((tag, name, value, self._main > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._main -= 1


class FormState(HTMLParser):
    """The query a GET form (``form.explore-form``) submits as the page shows it."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "explore-form" in a.get("class", ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value", "on")))
            elif kind != "submit":
                self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.pairs.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
