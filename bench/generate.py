"""Seeded generator of synthetic incident graphs, streamed as N-Triples.

Every incident is valid against ``shapes/`` (no Violation) and uses only the project's
ontology and vocabulary IRIs, minted by :mod:`graph.model`. Everything generated is
labelled *synthetic*: identifiers ``SYN-000001``, actors "Synthetic actor 17", URLs under
the reserved ``synthetic.example`` domain. Nothing here describes a real incident.

Skew follows the AI Incident Database snapshot (``data/aiid/incidents.csv``, 1,367
incidents): the parties per role are Zipf-distributed with the exponents fitted there by a
log-log regression of frequency on rank over the top 200 parties (deployers 0.97,
developers 1.18, harmed parties 0.90); the number of distinct parties grows about linearly
with the number of incidents, so each pool has one entry per incident and a handful of
parties appear in thousands of incidents, as "openai" or "google" do in AIID. Years are
drawn with AIID's incidents-per-year weights.

Output is a pure function of ``(n, seed)``: the same seed gives byte-identical files. Memory
is bounded by the pools (a few floats per incident), never by the triples written.

    python -m bench.generate --incidents 10000 --seed 7 --out /tmp/bench-10k.nt
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph import model
from graph.model import HG, SCHEMA
from graph.settings import PROJECT_ROOT

#: Zipf exponents per role, fitted on the AIID snapshot (see the module docstring).
EXPONENTS = {"deployer": 0.97, "developer": 1.18, "group": 0.90, "system": 0.80}
#: AIID incidents per year (snapshot), used as weights for incident dates.
YEAR_WEIGHTS = {
    2012: 10,
    2013: 12,
    2014: 15,
    2015: 24,
    2016: 41,
    2017: 50,
    2018: 45,
    2019: 43,
    2020: 90,
    2021: 77,
    2022: 104,
    2023: 168,
    2024: 283,
    2025: 370,
    2026: 25,
}
SEVERITY = {"critical": 8, "high": 30, "medium": 35, "low": 15, "unassessed": 12}
STATUS = {"confirmed": 45, "alleged": 35, "under-investigation": 8, "disputed": 4, "unassessed": 8}
EVIDENCE = {"primary": 15, "corroborated": 45, "single-source": 30, "unassessed": 10}
DATASETS = {"aiid": 80, "topaithreats": 15, "curated": 5}
ACTOR_KINDS = {
    "company": 60,
    "government-agency": 20,
    "research-institution": 8,
    "non-profit": 5,
    "person": 4,
    "other": 3,
}
SOURCE_TYPES = {
    "news": 70,
    "analysis": 10,
    "official-report": 8,
    "legal-filing": 5,
    "academic-paper": 4,
    "press-release": 3,
}
#: Every SHARED_UNKNOWN-th actor is a shared ``hg:Unknown`` (AIID's ``unknown-…`` parties).
SHARED_UNKNOWN = 23

_SYSTEM_KINDS = (
    "face recognition system",
    "risk scoring model",
    "chatbot",
    "recommender",
    "hiring screener",
    "fraud detector",
    "voice clone tool",
    "driver assistance",
    "content moderation model",
    "benefit eligibility algorithm",
)
_VERBS = (
    "misidentified",
    "wrongly flagged",
    "exposed",
    "denied services to",
    "discriminated against",
    "misled",
    "surveilled",
    "injured",
    "overcharged",
)
_GROUPS = (
    "residents",
    "job applicants",
    "patients",
    "students",
    "drivers",
    "tenants",
    "benefit claimants",
    "voters",
    "customers",
    "children",
    "workers",
    "migrants",
)
_OUTCOMES = ("regulatory", "legal", "financial", "operational", "other")


@dataclass(frozen=True)
class Vocab:
    """Concept IRIs of the open schemes, read from ``data/vocab/`` (sorted, so seeded)."""

    factors: tuple[str, ...]
    patterns: tuple[str, ...]
    domains: tuple[str, ...]
    harm_types: tuple[str, ...]
    #: (country, its broader region) pairs.
    countries: tuple[tuple[str, str], ...]


def load_vocab(vocab_dir: Path = PROJECT_ROOT / "data" / "vocab") -> Vocab:
    """The concepts of each open scheme in ``vocab_dir``, except ``unassessed``."""
    in_scheme: dict[str, list[str]] = {}
    broader: dict[str, str] = {}
    for path in sorted(vocab_dir.glob("*.ttl")):
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if q.predicate.value == str(SKOS.inScheme):
                in_scheme.setdefault(q.object.value, []).append(q.subject.value)
            elif q.predicate.value == str(SKOS.broader):
                broader[q.subject.value] = q.object.value

    def concepts(name: str) -> tuple[str, ...]:
        found = sorted(in_scheme.get(str(model.scheme(name)), []))
        return tuple(c for c in found if not c.endswith("/unassessed"))

    regions = concepts("region")
    return Vocab(
        factors=concepts("factor"),
        patterns=concepts("pattern"),
        domains=concepts("domain"),
        harm_types=concepts("harm-type"),
        countries=tuple((c, broader[c]) for c in regions if c in broader),
    )


class Zipf:
    """Ranks 0..size-1 drawn with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, size: int, exponent: float) -> None:
        self._cum = list(itertools.accumulate(1.0 / (k + 1) ** exponent for k in range(size)))

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_left(self._cum, rng.random() * self._cum[-1])


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _iri(term: str) -> str:
    return f"<{term}>"


def _lit(text: str, lang: str | None = "en", datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


_T = {
    "type": _iri(str(RDF.type)),
    "label": _iri(str(RDFS.label)),
    "alt": _iri(str(SKOS.altLabel)),
    "note": _iri(str(SKOS.note)),
    "broader": _iri(str(SKOS.broader)),
    "id": _iri(str(DCTERMS.identifier)),
    "title": _iri(str(DCTERMS.title)),
    "desc": _iri(str(DCTERMS.description)),
    "date": _iri(str(DCTERMS.date)),
    "modified": _iri(str(DCTERMS.modified)),
    "spatial": _iri(str(DCTERMS.spatial)),
    "issued": _iri(str(DCTERMS.issued)),
    "publisher": _iri(str(DCTERMS.publisher)),
    "derived": _iri(str(PROV.wasDerivedFrom)),
    "url": _iri(str(SCHEMA.url)),
    "sameAs": _iri(str(OWL.sameAs)),
}
_DATE = str(XSD.date)


def _hg(name: str) -> str:
    return _iri(str(HG[name]))


def _concept(scheme: str, notation: str) -> str:
    return _iri(str(model.concept(scheme, notation)))


class Generator:
    """Streams synthetic incidents; :meth:`incidents` yields each one's N-Triples lines.

    The lines of one incident include the first description of every shared actor,
    system and harmed group it is the first to mention, so any prefix of the stream is
    self-contained and valid. Keep drawing from the same generator (``start=n``) to get
    new incidents that reference the parties already written, as a curator's write would.
    """

    def __init__(self, n: int, seed: int, vocab: Vocab | None = None) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.vocab = vocab or load_vocab()
        size = max(n, 20)
        self._zipf = {role: Zipf(size, s) for role, s in EXPONENTS.items()}
        self._years = (list(YEAR_WEIGHTS), list(YEAR_WEIGHTS.values()))
        self._seen: set[tuple[str, int]] = set()
        #: System rank -> its developer's IRI (systems are re-described by later writes).
        self._systems: dict[int, str] = {}
        #: Whether incidents describe again the AI systems they name (see :func:`write_files`).
        self.redescribe = False

    # -- shared parties ------------------------------------------------------------

    def _actor(self, role: str, out: list[str]) -> tuple[str, bool]:
        """An actor IRI for ``role`` and whether it is an ``hg:Unknown``."""
        rank = self._zipf[role].draw(self.rng)
        unknown = rank % SHARED_UNKNOWN == 1
        name = f"unknown-synthetic-party-{rank}" if unknown else f"synthetic actor {rank}"
        iri = _iri(str(model.mint("actor", name)))
        if ("actor", rank) not in self._seen:
            self._seen.add(("actor", rank))
            if unknown:
                out.append(f"{iri} {_T['type']} {_hg('Unknown')} .")
                out.append(f"{iri} {_T['label']} {_lit(f'Unknown synthetic party {rank}')} .")
                out.append(f"{iri} {_T['note']} {_lit('Synthetic: the sources name no one.')} .")
            else:
                kind = _weighted(self.rng, ACTOR_KINDS)
                out.append(f"{iri} {_T['type']} {_hg('Actor')} .")
                out.append(f"{iri} {_T['label']} {_lit(f'Synthetic Actor {rank}')} .")
                out.append(f"{iri} {_hg('actorKind')} {_concept('actor-kind', kind)} .")
                url = _iri(f"https://synthetic.example/actor/{rank}")
                out.append(f"{iri} {_T['url']} {url} .")
                if rank < 200:  # well-known parties have an acronym, as ICE or DHS do
                    out.append(f"{iri} {_T['alt']} {_lit(f'SA{rank}')} .")
        return iri, unknown

    def _system(self, out: list[str]) -> str:
        rank = self._zipf["system"].draw(self.rng)
        iri = _iri(str(model.mint("system", f"synthetic system {rank}")))
        if rank not in self._systems:
            self._systems[rank] = self._actor("developer", out)[0]
        elif not self.redescribe:
            return iri
        kind = _SYSTEM_KINDS[rank % len(_SYSTEM_KINDS)]
        out.append(f"{iri} {_T['type']} {_hg('AISystem')} .")
        out.append(f"{iri} {_T['label']} {_lit(f'Synthetic {kind} {rank}')} .")
        out.append(f"{iri} {_hg('developer')} {self._systems[rank]} .")
        return iri

    def _group(self, out: list[str]) -> str:
        rank = self._zipf["group"].draw(self.rng)
        iri = _iri(str(model.mint("group", f"synthetic group {rank}")))
        if ("group", rank) not in self._seen:
            self._seen.add(("group", rank))
            base = _GROUPS[rank % len(_GROUPS)]
            out.append(f"{iri} {_T['type']} {_hg('HarmedGroup')} .")
            out.append(f"{iri} {_T['label']} {_lit(f'Synthetic {base} {rank}')} .")
            if rank >= len(_GROUPS):  # the first ranks are the broad groups
                top = _iri(str(model.mint("group", f"synthetic group {rank % len(_GROUPS)}")))
                self._group_top(rank % len(_GROUPS), out)
                out.append(f"{iri} {_T['broader']} {top} .")
        return iri

    def _group_top(self, rank: int, out: list[str]) -> None:
        if ("group", rank) in self._seen:
            return
        self._seen.add(("group", rank))
        iri = _iri(str(model.mint("group", f"synthetic group {rank}")))
        out.append(f"{iri} {_T['type']} {_hg('HarmedGroup')} .")
        out.append(f"{iri} {_T['label']} {_lit(f'Synthetic {_GROUPS[rank]} {rank}')} .")

    # -- incidents -----------------------------------------------------------------

    def incident(self, i: int) -> list[str]:
        """The N-Triples lines of incident number ``i`` (and parties it introduces)."""
        rng, v, out = self.rng, self.vocab, []
        ident = f"SYN-{i:06d}"
        iri_ref = model.mint("incident", ident)
        inc = _iri(str(iri_ref))

        def add(p: str, o: str) -> None:
            out.append(f"{inc} {p} {o} .")

        year = rng.choices(*self._years)[0]
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        system = self._system(out)
        developers = [self._actor("developer", out) for _ in range(1 + (rng.random() < 0.3))]
        deployers = [self._actor("deployer", out) for _ in range(1 + (rng.random() < 0.35))]
        groups = [self._group(out) for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0])]
        country, region = rng.choice(v.countries)
        verb, what = rng.choice(_VERBS), _SYSTEM_KINDS[rng.randrange(len(_SYSTEM_KINDS))]
        title = f"Synthetic incident {i}: {what} {verb} {_GROUPS[rng.randrange(12)]}"

        add(_T["type"], _hg("Incident"))
        add(_T["id"], _lit(ident, lang=None))
        add(_T["title"], _lit(title))
        add(
            _T["desc"],
            _lit(
                f"{title} in {country.rsplit('/', 1)[-1]} ({year}). Synthetic "
                "benchmark data generated by bench/generate.py; not a real event."
            ),
        )
        add(_T["date"], _lit(date, datatype=_DATE))
        if rng.random() < 0.3:
            add(_T["modified"], _lit("2026-01-15", datatype=_DATE))
        for actor, _ in dict.fromkeys(developers):
            add(_hg("developer"), actor)
        for actor, _ in dict.fromkeys(deployers):
            add(_hg("deployer"), actor)
        if rng.random() < 0.1:
            named = self._actor("deployer", out)
            if not named[1]:
                add(_hg("implicated"), named[0])
        add(_hg("aiSystem"), system)
        for group in dict.fromkeys(groups):
            add(_hg("harmedGroup"), group)
        for factor in sorted(set(rng.sample(v.factors, rng.choice((1, 1, 1, 2))))):
            add(_hg("contributingFactor"), _iri(factor))
        pattern = _iri(rng.choice(v.patterns))
        add(_hg("threatPattern"), pattern)
        if rng.random() < 0.6:
            add(_hg("primaryThreatPattern"), pattern)
        add(_hg("domain"), _iri(rng.choice(v.domains)))
        add(_hg("severity"), _concept("severity", _weighted(rng, SEVERITY)))
        add(_hg("status"), _concept("status", _weighted(rng, STATUS)))
        add(_hg("evidenceLevel"), _concept("evidence", _weighted(rng, EVIDENCE)))
        add(_T["spatial"], _iri(country))
        if rng.random() < 0.25:
            add(_T["spatial"], _iri(region))
        add(_hg("harmType"), _iri(rng.choice(v.harm_types)))
        if rng.random() < 0.3:
            add(_hg("keyFact"), _lit(f"Synthetic key fact {i}"))
        add(_hg("sourceDataset"), _concept("dataset", _weighted(rng, DATASETS)))
        sources = [self._source(i, k, year, out) for k in range(1 + (rng.random() < 0.15))]
        for source in sources:
            add(_T["derived"], source)
        if rng.random() < 0.25:
            add(_hg("timelineEvent"), self._event(iri_ref, date, sources[0], out))
        if rng.random() < 0.15:
            outcome = _iri(str(model.part(iri_ref, "outcome", 1)))
            add(_hg("outcome"), outcome)
            out.append(f"{outcome} {_T['type']} {_hg('Outcome')} .")
            kind = _OUTCOMES[rng.randrange(len(_OUTCOMES))]
            out.append(f"{outcome} {_hg('outcomeType')} {_concept('outcome-type', kind)} .")
            out.append(f"{outcome} {_T['desc']} {_lit(f'Synthetic {kind} outcome')} .")
        return out

    def _source(self, i: int, k: int, year: int, out: list[str]) -> str:
        url = f"https://synthetic.example/news/{i}/{k}"
        iri = _iri(str(model.mint("source", url)))
        kind = _weighted(self.rng, SOURCE_TYPES)
        out.append(f"{iri} {_T['type']} {_hg('Source')} .")
        out.append(f"{iri} {_T['url']} {_iri(url)} .")
        out.append(f"{iri} {_T['title']} {_lit(f'Synthetic report {i}-{k}')} .")
        out.append(f"{iri} {_hg('sourceType')} {_concept('source-type', kind)} .")
        if self.rng.random() < 0.2:
            gyear = "http://www.w3.org/2001/XMLSchema#gYear"
            out.append(f"{iri} {_T['issued']} {_lit(str(year), datatype=gyear)} .")
        return iri

    def _event(self, incident: URIRef, date: str, src: str, out: list[str]) -> str:
        event = _iri(str(model.part(incident, "event", 1)))
        out.append(f"{event} {_T['type']} {_hg('TimelineEvent')} .")
        out.append(f"{event} {_hg('order')} {_lit('1', datatype=str(XSD.integer))} .")
        out.append(f"{event} {_T['desc']} {_lit('Synthetic first report')} .")
        out.append(f"{event} {_T['date']} {_lit(date, datatype=_DATE)} .")
        out.append(f"{event} {_T['derived']} {src} .")
        return event

    def incidents(self, start: int = 0, count: int | None = None) -> Iterator[list[str]]:
        """Incidents ``start+1`` … ``start+count`` (default: the first ``n``)."""
        for i in range(start + 1, start + 1 + (self.n if count is None else count)):
            yield self.incident(i)


@dataclass(frozen=True)
class Written:
    """What :func:`write` produced."""

    path: Path
    incidents: int
    triples: int


def write(out: TextIO, n: int, seed: int) -> int:
    """Write ``n`` incidents as N-Triples to ``out``; returns the number of triples."""
    total = 0
    for lines in Generator(n, seed).incidents():
        out.write("\n".join(lines) + "\n")
        total += len(lines)
    return total


def write_files(path: Path, n: int, seed: int, extra: int = 0) -> Written:
    """Write ``n`` incidents to ``path`` and ``extra`` more, one per file, beside it.

    The extra incidents (``{stem}-extra/{k}.nt``) reference parties of the main file
    without repeating their descriptions: single writes into a store holding it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    gen = Generator(n, seed)
    total = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for lines in gen.incidents():
            out.write("\n".join(lines) + "\n")
            total += len(lines)
    if extra:
        # A curator's file describes the AI systems it names (as data/incidents/*.ttl do);
        # graph.ingest's store context brings only types and labels two steps out, so a
        # system's stored developer would lack e.g. an hg:Unknown's skos:note.
        gen.redescribe = True
        folder = path.with_name(f"{path.stem}-extra")
        folder.mkdir(exist_ok=True)
        for k, lines in enumerate(gen.incidents(start=n, count=extra), start=1):
            (folder / f"{k:04d}.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Written(path, n, total)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bench.generate --incidents N --seed S --out FILE``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", "-n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="N-Triples file (default: stdout)")
    parser.add_argument("--extra", type=int, default=0, help="extra single-incident files")
    args = parser.parse_args(argv)
    if args.out is None:
        triples = write(sys.stdout, args.incidents, args.seed)
    else:
        triples = write_files(args.out, args.incidents, args.seed, args.extra).triples
    print(f"{args.incidents} incidents, {triples} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
