"""graph/ontology_docs.py: documentation extracted from the ontology and shapes Turtle."""

from __future__ import annotations

from rdflib import OWL, RDF, Graph

from graph.ontology_docs import ontology_doc, shapes_doc
from graph.settings import get_settings


def test_every_declared_hg_term_is_documented() -> None:
    settings = get_settings()
    graph = Graph().parse(settings.ontology_dir / "harmgraph.ttl")
    declared = {
        str(s)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in graph.subjects(RDF.type, kind)
        if str(s).startswith("https://w3id.org/harmgraph/ontology#")
    }
    doc = ontology_doc(settings.ontology_dir)
    assert {t.iri for t in (*doc.classes, *doc.properties)} == declared
    primary = next(t for t in doc.properties if t.curie == "hg:primaryThreatPattern")
    assert ("subproperty of", "hg:threatPattern") in primary.relations


def test_docs_are_built_once() -> None:
    settings = get_settings()
    assert ontology_doc(settings.ontology_dir) is ontology_doc(settings.ontology_dir)
    assert shapes_doc(settings.shapes_dir) is shapes_doc(settings.shapes_dir)


def test_targeted_shapes_come_first_with_their_classes() -> None:
    doc = shapes_doc(get_settings().shapes_dir)
    targeted = [s for s in doc.shapes if s.targets]
    assert doc.shapes[: len(targeted)] == tuple(targeted)
    assert "hg:Incident" in {t for s in targeted for t in s.targets}
