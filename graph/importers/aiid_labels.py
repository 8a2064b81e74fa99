"""Readable labels for AIID entity slugs (``"keolis-north-america"`` → ``"Keolis North America"``).

A stop-gap until a curated actor registry names actors properly: small on
purpose, and replaceable (the importer only calls :func:`slug_label` and
:func:`unknown_label`).
"""

from __future__ import annotations

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
    "ibm": "IBM",
    "ice": "ICE",
    "lapd": "LAPD",
    "linkedin": "LinkedIn",
    "llm": "LLM",
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


def _words(slug: str) -> list[str]:
    return [w for w in slug.replace("_", "-").split("-") if w]


def _spell(word: str) -> str:
    return SPELLINGS.get(word.lower(), word)


def slug_label(slug: str) -> str:
    """Title-case an AIID entity slug, keeping known acronyms and brand spellings.

    >>> slug_label("keolis-north-america")
    'Keolis North America'
    >>> slug_label("new-york-city-dept.-of-education")
    'New York City Dept. of Education'
    >>> slug_label("st-george's-hospital-medical-school")
    "St George's Hospital Medical School"
    >>> slug_label("us-immigration-and-customs-enforcement")
    'US Immigration and Customs Enforcement'
    """
    out: list[str] = []
    for i, word in enumerate(_words(slug)):
        if word.lower() in SPELLINGS:
            out.append(_spell(word))
        elif i > 0 and word in _MINOR:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out) or slug


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
