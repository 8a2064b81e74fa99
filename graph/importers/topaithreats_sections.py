"""Splitting a TopAIThreats page into its sections, keeping line numbers for errors.

>>> pre, sections = split_sections("INC-1\\nTitle\\nAttribution\\n\\nA sentence.", file="p.txt",
...                                required=("Attribution",))
>>> sections["Attribution"].lines
[(5, 'A sentence.')]
>>> strip_citations("It was found.[1] Then [2]it spread[10]."), citations("a[1] b[3]")
('It was found. Then it spread.', (1, 3))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.errors import InputError

#: The section headings of an incident page, in the order the site prints them.
HEADINGS = (
    "Attribution",
    "Incident Details",
    "Incident Summary",
    "Key Facts",
    "Threat Patterns Involved",
    "Significance",
    "Timeline",
    "Outcomes",
    "Use in Retrieval",
    "Sources",
    "Update Log",
)
PREAMBLE = "Header"
_CITATION = re.compile(r"\[(\d+)\]")
_BULLET = re.compile(r"•\s*(?P<text>.*)")


@dataclass
class Section:
    """One section: its heading, the heading's line and its non-blank lines (stripped)."""

    name: str
    file: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    def error(self, detail: str, line: int) -> InputError:
        """An :class:`InputError` about this section at ``line``."""
        return InputError(detail, file=self.file, line=line, field=self.name)


def split_sections(
    text: str, *, file: str, required: Iterable[str]
) -> tuple[Section, dict[str, Section]]:
    """Split a page at the heading lines; return the preamble and the sections by name.

    Raises :class:`InputError` if a heading repeats or a ``required`` section is missing.
    """
    preamble = Section(PREAMBLE, file, 1)
    sections: dict[str, Section] = {}
    current = preamble
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped in HEADINGS:
            if stripped in sections:
                raise InputError(
                    f"section {stripped!r} appears twice (first at line {sections[stripped].line})",
                    file=file,
                    line=number,
                    field=stripped,
                )
            current = sections[stripped] = Section(stripped, file, number)
        elif stripped:
            current.lines.append((number, stripped))
    for name in required:
        if name not in sections:
            raise _missing(name, sections, file, len(lines) + 1)
    return preamble, sections


def _missing(name: str, sections: dict[str, Section], file: str, end: int) -> InputError:
    after = HEADINGS[HEADINGS.index(name) + 1 :]
    following = next((sections[h] for h in after if h in sections), None)
    where = f"before {following.name!r}" if following else "at the end of the page"
    return InputError(
        f"expected a section headed {name!r} {where}",
        file=file,
        line=following.line if following else end,
        field=name,
    )


def bullets(section: Section | None, expected: str) -> list[tuple[int, str]]:
    """The ``•`` items of a section, as (line, text); any other line is an error.

    >>> bullets(Section("Key Facts", "p.txt", 1, [(3, "• One[1]")]), "'• <fact>'")
    [(3, 'One[1]')]
    """
    if section is None:
        return []
    items = []
    for line, text in section.lines:
        m = _BULLET.fullmatch(text)
        if m is None or not m["text"]:
            raise section.error(f"expected {expected}, got {text!r}", line)
        items.append((line, m["text"]))
    return items


def citations(text: str) -> tuple[int, ...]:
    """The source numbers cited with ``[n]`` markers, in order of first appearance."""
    return tuple(dict.fromkeys(int(n) for n in _CITATION.findall(text)))


def strip_citations(text: str) -> str:
    """Remove ``[n]`` markers and the spacing they leave behind."""
    return " ".join(_CITATION.sub("", text).split())
