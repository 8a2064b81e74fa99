"""The query mix: the project's example queries (``data/queries/*.rq``) plus three of our own.

The mix covers the kinds of question the issue names: counts by deployer
(``20-top-deployers-aiid``), group-by severity and status (``11-severity-by-status``), a
Palantir-like neighbourhood (``02-actors-sharing-incidents-with-palantir``), incidents per
year (``04-incidents-per-year-and-domain``), a 2-hop join from developer through system to
deployer (``09-palantir-developed-who-deployed``), one incident's timeline
(``14-incident-timeline``), a lookup by label, a ``FILTER regex`` over every title, and a
``DESCRIBE`` of one incident.

The synthetic data has no Palantir and no INC-26-0068, so the example queries that name them
are pointed at the synthetic data's biggest hub (``synthetic-actor-0``, a party in several
percent of all incidents, as Palantir is a hub of the curated data) and at incident
``SYN-000001``. These are fixed texts of ours, never user input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.settings import PROJECT_ROOT

QUERY_DIR = PROJECT_ROOT / "data" / "queries"
#: The example queries in the default mix (file stems in data/queries/).
MIX = (
    "20-top-deployers-aiid",
    "11-severity-by-status",
    "02-actors-sharing-incidents-with-palantir",
    "04-incidents-per-year-and-domain",
    "09-palantir-developed-who-deployed",
    "14-incident-timeline",
)
#: What the example queries name, and what stands for it in the synthetic data.
RETARGET = {
    "actor:palantir": "actor:synthetic-actor-0",
    "incident:inc-26-0068": "incident:syn-000001",
}

_PREFIXES = """PREFIX hg: <https://w3id.org/harmgraph/ontology#>
PREFIX hgid: <https://w3id.org/harmgraph/id/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

OWN = {
    "label-lookup": _PREFIXES
    + """SELECT ?actor ?kind (COUNT(DISTINCT ?incident) AS ?incidents) WHERE {
  ?actor rdfs:label "Synthetic Actor 42"@en ; hg:actorKind ?kind .
  OPTIONAL { ?incident hg:deployer|hg:developer ?actor }
} GROUP BY ?actor ?kind""",
    "title-regex": _PREFIXES
    + """SELECT ?incident ?title WHERE {
  ?incident a hg:Incident ; dcterms:title ?title .
  FILTER (REGEX(?title, "voice clone tool .* (children|voters)", "i"))
} ORDER BY ?incident LIMIT 100""",
    "describe-incident": "DESCRIBE <https://w3id.org/harmgraph/id/incident/syn-000001>",
}


@dataclass(frozen=True)
class Query:
    """One query of the mix."""

    name: str
    text: str

    @property
    def is_graph(self) -> bool:
        """Whether it answers RDF (DESCRIBE/CONSTRUCT) rather than solutions."""
        body = "\n".join(
            line for line in self.text.splitlines() if not line.startswith(("PREFIX", "#"))
        )
        return body.lstrip().upper().startswith(("DESCRIBE", "CONSTRUCT"))

    @property
    def accept(self) -> str:
        """The media type asked for."""
        return "application/n-triples" if self.is_graph else "application/sparql-results+json"


def load_mix(every_example: bool = False, query_dir: Path = QUERY_DIR) -> list[Query]:
    """The mix: :data:`MIX` (or every ``.rq`` file) retargeted, then :data:`OWN`.

    Example queries missing from ``query_dir`` are skipped.
    """
    files = (
        sorted(query_dir.glob("*.rq"))
        if every_example
        else [query_dir / f"{stem}.rq" for stem in MIX]
    )
    mix = []
    for path in files:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        for real, synthetic in RETARGET.items():
            text = text.replace(real, synthetic)
        mix.append(Query(path.stem, text))
    mix.extend(Query(name, text) for name, text in OWN.items())
    return mix
