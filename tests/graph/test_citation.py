"""graph/citation.py: citations and BibTeX for incidents."""

from __future__ import annotations

from rdflib import Graph

from graph.citation import cite

DATA = """
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/harmgraph/id/incident/x> dcterms:identifier "X-9" ;
    dcterms:title "50% of {braces} & #tags_~^\\\\" ;
    dcterms:date "2019-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .
"""


def test_bibtex_escapes_every_special_character_and_balances_braces() -> None:
    c = cite(Graph().parse(data=DATA, format="turtle"), "https://w3id.org/harmgraph/id/incident/x")
    title = next(line for line in c.bibtex.splitlines() if line.strip().startswith("title"))
    assert "50\\% of \\{braces\\} \\& \\#tags\\_" in title
    assert "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}" in title
    unescaped = c.bibtex.replace("\\{", "").replace("\\}", "")
    assert unescaped.count("{") == unescaped.count("}")


def test_year_falls_back_to_the_incident_date_and_note_without_sources() -> None:
    c = cite(Graph().parse(data=DATA, format="turtle"), "https://w3id.org/harmgraph/id/incident/x")
    assert "year = {2019}" in c.bibtex
    assert "note = {harmgraph}" in c.bibtex
    assert c.text.startswith("harmgraph contributors (2019).")
