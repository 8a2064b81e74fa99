"""Reading a TopAIThreats incident page (text as saved from the site) into a :class:`Page`.

A page is a preamble (site navigation, then ``INC-26-0068 confirmed high`` and the
title line ending in ``(2026)``) followed by sections, each opened by a heading
line from :data:`HEADINGS`. Every field is checked here, before any RDF exists:
a page that does not fit raises :class:`~graph.errors.InputError` naming the
file, the line and the section, and saying what was expected.

Not read into the :class:`Page` (the data model has no term for them): the short
"Incident Details" paragraph, the "Threat Patterns Involved" explanations and the
"Significance" list. The threat-pattern IDs come from "Use in Retrieval"; the
first one there is the primary pattern.

>>> page = parse_page(_EXAMPLE, file="p.txt")
>>> page.identifier, page.status, page.severity, page.year
('INC-26-0001', 'under-investigation', 'low', '2026')
>>> page.sources[0].url
'https://example.org/a'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import InputError
from graph.importers import attribution
from graph.importers.attribution import Attribution
from graph.importers.topaithreats_sections import (
    Section,
    bullets,
    citations,
    split_sections,
    strip_citations,
)
from graph.model import slugify

_HEADER = re.compile(
    r"(?P<id>INC-\d{2}-\d{4})\s+(?P<status>confirmed|alleged|under investigation|disputed|"
    r"unassessed)\s+(?P<severity>critical|high|medium|low|unassessed)",
    re.IGNORECASE,
)
_TITLE = re.compile(r"(?P<title>.+?)\s*\((?P<year>\d{4})\)")
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_LAST_UPDATED = re.compile(r"Last Updated (?P<date>\d{4}-\d{2}-\d{2})")
_CITED_UPDATED = re.compile(r"last updated (?P<date>\d{4}-\d{2}-\d{2})")
_DOMAIN = re.compile(r"classified under the (?P<domain>.+?) domain")
_PATTERN_ID = re.compile(r"\((?P<id>PAT-[A-Z]{2,5}-\d{3})\)")
_REGION = re.compile(r"It occurred in (?P<region>.+?) \((?P<year>\d{4})\)")
_EVENT = re.compile(rf"(?:(?P<date>{_DATE})\s*[—–:-]\s+)?(?P<text>.+)")
_OUTCOME_LABEL = re.compile(r"(?P<label>[A-Z][A-Za-z /&-]{1,40}):\s*(?P<text>.*)")
_SOURCE = re.compile(
    rf"(?P<n>\d+)\.\s+(?P<title>.+?)\s+\((?P<type>[^,()]+?)(?:,\s*(?P<issued>{_DATE}))?\)"
)
_URL = re.compile(r"(?P<url>https?://[^\s<>\"{}|\\^`]+)(?:\s+\(opens in new tab\))?")
_LOG = re.compile(rf"(?:(?P<date>{_DATE})\s*)?(?:—\s*)?(?P<text>.*)")
_EVIDENCE = re.compile(r"Evidence:\s*(?P<evidence>[A-Za-z][A-Za-z -]*?)\s*[,)]")
EVIDENCE = {
    "primary": "primary",
    "corroborated": "corroborated",
    "single source": "single-source",
    "single-source": "single-source",
    "unassessed": "unassessed",
}
REQUIRED = ("Attribution", "Incident Summary", "Use in Retrieval", "Sources", "Update Log")


@dataclass(frozen=True)
class Event:
    """One timeline line: its text, an optional ISO date and the sources it cites."""

    description: str
    date: str | None
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    """One outcome: its label as printed (``Regulatory Action``) and its text."""

    label: str
    description: str


@dataclass(frozen=True)
class SourceRef:
    """One numbered entry of the Sources section."""

    number: int
    title: str
    type: str
    issued: str | None
    url: str


@dataclass(frozen=True)
class Page:
    """Everything the importer maps to RDF from one page."""

    file: str
    identifier: str
    status: str
    severity: str
    title: str
    year: str
    attribution: Attribution
    summary: str
    evidence: str
    domain: str
    region: str
    patterns: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    last_updated: str | None = None
    key_facts: tuple[str, ...] = ()
    timeline: tuple[Event, ...] = ()
    outcomes: tuple[Outcome, ...] = ()


def parse_page(text: str, *, file: str) -> Page:
    """Parse the text of one incident page; raise :class:`InputError` if it does not fit.

    >>> parse_page(_EXAMPLE.replace("Sources", "Sourcez"), file="p.txt")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: p.txt:12 [Sources]: expected a section headed 'Sources' before ...
    """
    preamble, sections = split_sections(text, file=file, required=REQUIRED)
    identifier, status, severity, title, year = _header(preamble, file)
    sources = _sources(sections["Sources"])
    for name in ("Incident Summary", "Key Facts", "Timeline"):
        if name in sections:
            _check_citations(sections[name], len(sources))
    retrieval = sections["Use in Retrieval"]
    body = " ".join(text for _, text in retrieval.lines)
    return Page(
        file=file,
        identifier=identifier,
        status=status,
        severity=severity,
        title=title,
        year=year,
        attribution=_attribution(sections["Attribution"]),
        summary="\n\n".join(strip_citations(t) for _, t in sections["Incident Summary"].lines),
        evidence=_evidence(sections["Update Log"]),
        domain=_search(_DOMAIN, body, retrieval, "'classified under the <domain> domain'")[
            "domain"
        ],
        region=_search(_REGION, body, retrieval, "'It occurred in <region> (<year>)'")["region"],
        patterns=tuple(m["id"] for m in _PATTERN_ID.finditer(body)),
        sources=sources,
        last_updated=_last_updated(sections.get("Incident Details"), body),
        key_facts=tuple(
            strip_citations(t) for _, t in bullets(sections.get("Key Facts"), "'• <fact>'")
        ),
        timeline=_timeline(sections.get("Timeline")),
        outcomes=_outcomes(sections.get("Outcomes")),
    )


def _header(preamble: Section, file: str) -> tuple[str, str, str, str, str]:
    for i, (line, text) in enumerate(preamble.lines):
        if not text.startswith("INC-"):
            continue
        m = _HEADER.fullmatch(text)
        if m is None:
            raise preamble.error(
                "expected 'INC-YY-NNNN <status> <severity>' with status one of confirmed, "
                "alleged, under investigation, disputed and severity one of critical, high, "
                f"medium, low; got {text!r}",
                line,
            )
        if i + 1 >= len(preamble.lines):
            raise preamble.error("expected the title line '<title> (<year>)'", line)
        title_line, title_text = preamble.lines[i + 1]
        t = _TITLE.fullmatch(title_text)
        if t is None:
            raise preamble.error(f"expected '<title> (<year>)', got {title_text!r}", title_line)
        status = "-".join(m["status"].lower().split())
        return m["id"], status, m["severity"].lower(), t["title"], t["year"]
    raise InputError(
        "expected a header line 'INC-YY-NNNN <status> <severity>' before the first section",
        file=file,
        line=preamble.lines[0][0] if preamble.lines else 1,
        field=preamble.name,
    )


def _attribution(section: Section) -> Attribution:
    if not section.lines:
        raise section.error(f"expected {attribution.CANONICAL}", section.line)
    sentence = " ".join(text for _, text in section.lines)
    return attribution.parse(sentence, file=section.file, line=section.lines[0][0])


def _search(pattern: re.Pattern[str], body: str, section: Section, expected: str) -> re.Match[str]:
    m = pattern.search(body)
    if m is None:
        raise section.error(f"expected {expected}", section.line)
    try:
        slugify(m.group(1))
    except ValueError:
        detail = f"expected {expected}; {m.group(1)!r} has no letters"
        raise section.error(detail, section.line) from None
    return m


def _last_updated(section: Section | None, retrieval: str) -> str | None:
    """From "Incident Details", else from the citation line of "Use in Retrieval"."""
    if section is None:
        m = _CITED_UPDATED.search(retrieval)
        return m["date"] if m else None
    for _, text in section.lines:
        m = _LAST_UPDATED.fullmatch(text)
        if m:
            return m["date"]
    raise section.error("expected a line 'Last Updated YYYY-MM-DD'", section.line)


def _check_citations(section: Section, count: int) -> None:
    for line, text in section.lines:
        for n in citations(text):
            if not 1 <= n <= count:
                raise section.error(f"cites [{n}] but Sources lists {count} entries", line)


def _timeline(section: Section | None) -> tuple[Event, ...]:
    if section is None:
        return ()
    events = []
    for line, text in section.lines:
        m = _EVENT.fullmatch(text)
        if m is None:
            raise section.error(f"expected '[<date> — ]<event>', got {text!r}", line)
        events.append(Event(strip_citations(m["text"]), m["date"], citations(text)))
    return tuple(events)


def _outcomes(section: Section | None) -> tuple[Outcome, ...]:
    if section is None:
        return ()
    found: list[tuple[int, str, list[str]]] = []
    for line, text in section.lines:
        m = _OUTCOME_LABEL.fullmatch(text)
        if m:
            found.append((line, m["label"], [m["text"]] if m["text"] else []))
        elif found:
            found[-1][2].append(text)
        else:
            raise section.error(f"expected '<Kind> Action:' or '<Kind>:', got {text!r}", line)
    for line, label, texts in found:
        if not texts:
            raise section.error(f"expected a description after '{label}:'", line)
    return tuple(Outcome(label, strip_citations(" ".join(texts))) for _, label, texts in found)


def _sources(section: Section) -> tuple[SourceRef, ...]:
    refs: list[SourceRef] = []
    lines = section.lines
    if not lines:
        raise section.error("expected numbered sources '1. <title> (<type>, <year>)'", section.line)
    for i in range(0, len(lines), 2):
        line, text = lines[i]
        m = _SOURCE.fullmatch(text)
        if m is None or int(m["n"]) != len(refs) + 1:
            raise section.error(
                f"expected '{len(refs) + 1}. <title> (<type>, <year>)', got {text!r}", line
            )
        u = _URL.fullmatch(lines[i + 1][1]) if i + 1 < len(lines) else None
        if u is None:
            at = lines[i + 1][0] if i + 1 < len(lines) else line
            raise section.error(
                f"expected the URL of source {m['n']}: 'https://… (opens in new tab)'", at
            )
        refs.append(SourceRef(len(refs) + 1, m["title"], m["type"], m["issued"], u["url"]))
    return tuple(refs)


def _evidence(section: Section) -> str:
    """The evidence level of the newest log entry that states one (undated = oldest)."""
    best: tuple[str, int, str] | None = None
    for i, (line, text) in enumerate(bullets(section, "'• <date> — <change> (Evidence: …)'")):
        m = _EVIDENCE.search(text)
        if m is None:
            continue
        level = EVIDENCE.get(m["evidence"].lower())
        if level is None:
            raise section.error(
                f"unknown evidence level {m['evidence']!r}; expected one of Primary, "
                "Corroborated, Single source, Unassessed",
                line,
            )
        date = _LOG.fullmatch(text)
        key = (date["date"] or "" if date else "", i, level)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        raise section.error("expected an entry with '(… Evidence: <level>)'", section.line)
    return best[2]


_EXAMPLE = """\
INC-26-0001 under investigation low
An example (2026)
Attribution
Acme developed and deployed Widget, harming Users.
Incident Summary
Something happened.[1]
Use in Retrieval
… classified under the Information Integrity domain and the X threat pattern (PAT-INF-001). \
It occurred in Europe (2026).
Sources
  1. A report (news, 2026)
    https://example.org/a (opens in new tab)
Update Log
  • — First logged (Status: Alleged, Evidence: Single source)
"""
