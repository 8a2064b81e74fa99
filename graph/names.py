"""Name keys for entity resolution: normalised names, acronyms and similarity.

:func:`name_key` is the *primary* key two names must share to be the same actor:
case, accents, punctuation, "&"/"and", "U.S."/"US"/"United States" and a leading
"the" do not matter. :func:`secondary_key` also drops corporate suffixes
(Inc, Ltd, LLC, Corp, Technologies, ...): a weaker key, used only when the primary
one finds nothing. :func:`similarity` scores names that share neither key, for
curators (``harmgraph entities candidates``); it never decides a merge.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_APOSTROPHES = re.compile(r"['’`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PARENTHESIS = re.compile(r"^(?P<base>.*?)\s*\((?P<inner>[^()]+)\)\s*$")
#: Multi-word spellings replaced by one token (after punctuation became spaces).
_PHRASES = (
    (re.compile(r"\bunited states of america\b|\bunited states\b|\busa\b|\bu s a\b|\bu s\b"), "us"),
    (re.compile(r"\bunited kingdom\b|\bu k\b"), "uk"),
)
_WORDS = {"dept": "department", "govt": "government", "intl": "international", "&": "and"}
#: Trailing words dropped by the secondary key.
CORPORATE_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "corp",
        "corporation",
        "co",
        "plc",
        "pbc",
        "gmbh",
        "ag",
        "sa",
        "technologies",
    }
)
#: Words too common to say two names are related (candidate blocking ignores them).
STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "la", "us", "uk"})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def tokens(name: str) -> list[str]:
    """The normalised words of a name.

    >>> tokens("U.S. Dept. of Homeland Security")
    ['us', 'department', 'of', 'homeland', 'security']
    >>> tokens("McDonald’s")
    ['mcdonalds']
    """
    text = _APOSTROPHES.sub("", _fold(name)).replace(".", "").replace("&", " and ")
    text = " ".join(_NON_ALNUM.sub(" ", text).split())
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    words = [_WORDS.get(w, w) for w in text.split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def split_acronym(name: str) -> tuple[str, str | None]:
    """Split a trailing parenthesised acronym off a name.

    Only an acronym is split off: one word in capitals, or whose letters are the
    initials of the name (AIID slugs lose the capitals: "... (Dwp)"). Any other
    parenthesis is part of the name: "Entity (Israel)" and "Entity (Cyprus)" differ.

    >>> split_acronym("US Immigration and Customs Enforcement (ICE)")
    ('US Immigration and Customs Enforcement', 'ICE')
    >>> split_acronym("Department for Work and Pensions (Dwp)")
    ('Department for Work and Pensions', 'Dwp')
    >>> split_acronym("Unidentified intelligence entity (Israel)")
    ('Unidentified intelligence entity (Israel)', None)
    """
    match = _PARENTHESIS.match(name.strip())
    if not match or not match["base"]:
        return name.strip(), None
    base, inner = match["base"], match["inner"].strip()
    letters = "".join(tokens(inner))
    if " " in inner or not letters:
        return name.strip(), None
    if acronym_key(inner) or letters == initials(base):
        return base, inner
    return name.strip(), None


def name_key(name: str) -> str:
    """The primary key of a name (a parenthesised acronym is not part of it).

    >>> name_key("United States Department of Homeland Security")
    'us department of homeland security'
    >>> name_key("US Immigration and Customs Enforcement (ICE)")
    'us immigration and customs enforcement'
    >>> name_key("Levidow, Levidow & Oberman") == name_key("Levidow Levidow and Oberman")
    True
    """
    return " ".join(tokens(split_acronym(name)[0]))


def secondary_key(name: str) -> str:
    """The primary key without trailing corporate suffixes (never empty if the key is not).

    >>> secondary_key("Palantir Technologies Inc.")
    'palantir'
    >>> secondary_key("Technologies Inc")
    'technologies inc'
    """
    words = name_key(name).split()
    stripped = list(words)
    while stripped and stripped[-1] in CORPORATE_SUFFIXES:
        stripped.pop()
    return " ".join(stripped or words)


def acronym_key(name: str) -> str | None:
    """The key of a name that *is* an acronym (2 to 8 capitals, digits allowed), else None.

    Acronyms are ambiguous (DPD is a parcel carrier and the Detroit Police Department):
    resolution never merges on an acronym alone; candidates use them.

    >>> acronym_key("ICE"), acronym_key("N.Y.P.D."), acronym_key("AP"), acronym_key("Meta")
    ('ice', 'nypd', 'ap', None)
    """
    text = name.strip().replace(".", "")
    if re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", text):
        return text.lower()
    return None


def initials(name: str) -> str:
    """Initials of the significant words of a name.

    >>> initials("U.S. Immigration and Customs Enforcement")
    'uice'
    """
    return "".join(w[0] for w in tokens(name) if w not in STOPWORDS or w in ("us", "uk"))


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def token_set_ratio(a: str, b: str) -> float:
    """Similarity of two names as word sets (1.0 when one's words contain the other's).

    The token-set ratio of fuzzy matchers: compare the shared words with each side's
    shared-plus-own words, take the best.

    >>> token_set_ratio("Perplexity", "Perplexity AI") > 0.8
    True
    >>> token_set_ratio("Google", "Microsoft") < 0.5
    True
    """
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return 0.0
    common = " ".join(sorted(ta & tb))
    rest_a = " ".join(sorted(ta - tb))
    rest_b = " ".join(sorted(tb - ta))
    left = f"{common} {rest_a}".strip()
    right = f"{common} {rest_b}".strip()
    scores = [_ratio(left, right)]
    if common:
        scores += [_ratio(common, left), _ratio(common, right)]
    return max(scores)


def similarity(a: str, b: str) -> tuple[float, str]:
    """Score how likely two actor names denote the same actor, with the reason.

    >>> similarity("Perplexity", "Perplexity AI")
    (0.8, "one name's words contain the other's")
    >>> similarity("NHTSA", "National Highway Traffic Safety Administration")
    (0.9, 'acronym NHTSA matches initials')
    >>> similarity("Northwind Surveillance Systems", "Northwind Surveilance Systems")
    (0.983, 'similar words')
    >>> similarity("Nevada Department of Education", "UK Department for Education")[0] < 0.85
    True
    """
    if name_key(a) == name_key(b):
        return 1.0, "same normalised name"
    if secondary_key(a) == secondary_key(b):
        return 0.97, "same name without corporate suffix"
    for short, long in ((a, b), (b, a)):
        acronym = acronym_key(short)
        if acronym and len(acronym) > 2 and len(tokens(long)) > 1 and initials(long) == acronym:
            return 0.9, f"acronym {short.strip()} matches initials"
    ta, tb = set(tokens(a)), set(tokens(b))
    if ta and tb and (ta < tb or tb < ta):
        # Often a part or product of the other ("Amazon" / "Amazon Flex"): below the
        # default candidate threshold; `--min-score 0.8` lists these too.
        return 0.8, "one name's words contain the other's"
    # The token-set ratio alone rates "Nevada Department of Education" close to "UK
    # Department for Education"; averaging with the whole-name ratio keeps shared
    # boilerplate words from dominating, while a misspelling still scores high.
    whole = _ratio(" ".join(tokens(a)), " ".join(tokens(b)))
    return round((token_set_ratio(a, b) + whole) / 2, 3), "similar words"
