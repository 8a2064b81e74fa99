"""Readable labels for AIID entity slugs (``"keolis-north-america"`` → ``"Keolis North America"``).

A stop-gap until a curated actor registry names actors properly: small on
purpose, and replaceable (the importer only calls :func:`slug_label` and
:func:`unknown_label`).
"""

from __future__ import annotations

import re

#: Words whose spelling title-casing gets wrong.
SPELLINGS: dict[str, str] = {
    "ai": "AI",
    "bbc": "BBC",
    "cbp": "CBP",
    "chatgpt": "ChatGPT",
    "deepmind": "DeepMind",
    "dhs": "DHS",
    "eu": "EU",
    "fbi": "FBI",
    "gpt": "GPT",
    "fda": "FDA",
    "ftc": "FTC",
    "ibm": "IBM",
    "ice": "ICE",
    "ios": "iOS",
    "irs": "IRS",
    "lapd": "LAPD",
    "linkedin": "LinkedIn",
    "llm": "LLM",
    "macos": "macOS",
    "mit": "MIT",
    "nhs": "NHS",
    "nyc": "NYC",
    "nypd": "NYPD",
    "openai": "OpenAI",
    "tiktok": "TikTok",
    "uk": "UK",
    "un": "UN",
    "us": "US",
    "usa": "USA",
    "youtube": "YouTube",
}

#: Short words kept lower case inside a title.
_MINOR = frozenset(
    {"a", "an", "and", "at", "by", "de", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)


_CORE = re.compile(r"^(\W*)(.*?)(\W*)$")


def _words(slug: str) -> list[str]:
    return [w for w in slug.replace("_", "-").split("-") if w]


def _spell(word: str, *, title: bool = False, first: bool = False) -> str:
    """Spell one word, looking through brackets and punctuation: ``(usa)`` → ``(USA)``."""
    match = _CORE.match(word)
    pre, core, post = match.groups() if match else ("", word, "")
    if core.lower() in SPELLINGS:
        core = SPELLINGS[core.lower()]
    elif title and "@" not in pre and (first or pre or core not in _MINOR):
        core = core[:1].upper() + core[1:]
    return pre + core + post


def slug_label(slug: str) -> str:
    """Title-case an AIID entity slug, keeping known acronyms and brand spellings.

    >>> slug_label("keolis-north-america")
    'Keolis North America'
    >>> slug_label("new-york-city-dept.-of-education")
    'New York City Dept. of Education'
    >>> slug_label("st-george's-hospital-medical-school")
    "St George's Hospital Medical School"
    >>> slug_label("delphia-(usa)-inc.")
    'Delphia (USA) Inc.'
    >>> slug_label("@jasperhorehound160")
    '@jasperhorehound160'
    """
    words = _words(slug)
    return " ".join(_spell(w, title=True, first=i == 0) for i, w in enumerate(words)) or slug


def unknown_label(slug: str) -> str:
    """Label an AIID ``unknown…`` slug in sentence case.

    >>> unknown_label("unknown-scammers")
    'Unknown scammers'
    >>> unknown_label("unknown-tiktok-users")
    'Unknown TikTok users'
    >>> unknown_label("unknown")
    'Unknown party'
    """
    rest = [_spell(w) for w in _words(slug)[1:]]
    return " ".join(["Unknown", *rest]) if rest else "Unknown party"


def is_unknown(slug: str) -> bool:
    """Whether AIID marks this party as unknown (``unknown`` or ``unknown-…``).

    >>> is_unknown("unknown-scammers"), is_unknown("unknown"), is_unknown("unknownland")
    (True, True, False)
    """
    return slug == "unknown" or slug.startswith("unknown-")
