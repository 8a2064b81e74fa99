"""The TopAIThreats attribution sentence: who developed, deployed and was harmed.

Every TopAIThreats incident page opens with one sentence such as::

    Palantir developed and US Immigration and Customs Enforcement (ICE) deployed
    Palantir ImmigrationOS, harming Immigrant communities targeted by AI-generated
    deportation maps and Individuals profiled by the system ; possible contributing
    factors include accountability vacuum, model opacity, and regulatory gap.

:func:`parse` turns it into an :class:`Attribution`; :func:`render` writes the
canonical sentence back, and ``parse(render(a)) == a`` for every attribution
:func:`render` accepts.

Grammar (whitespace runs count as one space; the final period is optional)::

    sentence  := core ", harming " groups
                 [ "; possible contributing factors include " factors ] "."
    core      := parties " developed and deployed " systems     (the same actors in both roles)
               | parties " developed and " parties " deployed " systems
               | systems [" was"|" were"] " developed by " parties " and deployed by " parties
               | systems [" was"|" were"] " developed and deployed by " parties
               | parties " deployed " systems [" (developer unknown)"]   (no developer named)
    parties   := unknown | actor-list
    unknown   := "An unknown developer" | "Unknown developer(s)" | "Developer unknown" | ...
                 (any of an/unknown/unidentified + developer(s)/deployer(s)/party, either order)
    actor     := name [ " (" ACRONYM ")" ]

Lists. Items are separated by commas, with ``and`` before the last item (the
Oxford comma is optional). Since ``and`` also occurs *inside* names, the rule
for where a bare `` and `` splits is the documented heuristic of each kind:

* **Actors** (title-cased, so "and" + capital proves nothing): `` and `` splits,
  except inside the name an acronym stands for. ``US Immigration and Customs
  Enforcement (ICE)`` is one actor because the shortest run of ``and``-joined
  pieces ending at ``(ICE)`` whose initials contain I, C, E in order is the whole
  name. Consequence: an actor whose name contains `` and `` but has no acronym
  cannot be written unambiguously (``Food and Drug Administration`` alone parses
  as two actors); :func:`render` refuses such attributions.
* **Systems and harmed groups** (sentence-cased, the sample's style): `` and ``
  splits only before a capital letter or digit, so ``Workers and students`` is
  one group and ``… deportation maps and Individuals profiled …`` is two.
* **Factors** (lower-case vocabulary names): every comma and `` and `` splits.

In an Oxford-comma list (``A, B, and C``) the comma items are taken as they
stand, so they may contain `` and ``. Commas inside names are never supported.

An empty developer or deployer tuple means the sentence says that party is
unknown. The stray space before ``;`` in the published pages is accepted.

>>> a = parse("Palantir developed and US Immigration and Customs Enforcement (ICE) deployed "
...           "Palantir ImmigrationOS, harming Immigrant communities and Individuals profiled "
...           "by the system ; possible contributing factors include model opacity and "
...           "regulatory gap.")
>>> a.deployers
(Party(name='US Immigration and Customs Enforcement', acronym='ICE'),)
>>> a.harmed_groups
('Immigrant communities', 'Individuals profiled by the system')
>>> a.factor_slugs
('model-opacity', 'regulatory-gap')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from graph.errors import InputError
from graph.model import slugify

FIELD = "Attribution"
CANONICAL = (
    "'<developers> developed and <deployers> deployed <system>, harming <groups>; "
    "possible contributing factors include <factors>.'"
)


@dataclass(frozen=True)
class Party:
    """A named developer or deployer, with the acronym the sentence gives for it."""

    name: str
    acronym: str | None = None

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


@dataclass(frozen=True)
class Attribution:
    """The parts of one attribution sentence, each in the order written.

    Empty ``developers`` (or ``deployers``) means the sentence says it is unknown.
    """

    developers: tuple[Party, ...]
    deployers: tuple[Party, ...]
    systems: tuple[str, ...]
    harmed_groups: tuple[str, ...]
    factors: tuple[str, ...] = ()

    @property
    def factor_slugs(self) -> tuple[str, ...]:
        """The factors as concept notations (``model opacity`` → ``model-opacity``)."""
        return tuple(slugify(f) for f in self.factors)


_TAIL = (
    r", harming (?P<groups>.+?)"
    r"(?:\s*;\s*possible contributing factors include (?P<factors>.+?))?\s*\.?"
)
_FORMS = (
    re.compile(
        r"(?P<systems>.+?),? (?:was |were )?developed by (?P<dev>.+?) and deployed by "
        r"(?P<dep>.+?),?" + _TAIL
    ),
    re.compile(
        r"(?P<systems>.+?),? (?:was |were )?developed and deployed by (?P<both>.+?),?" + _TAIL
    ),
    re.compile(r"(?P<both>.+?) developed and deployed (?P<systems>.+?)" + _TAIL),
    re.compile(r"(?P<dev>.+?) developed and (?P<dep>.+?) deployed (?P<systems>.+?)" + _TAIL),
    re.compile(r"(?P<dep>.+?) deployed (?P<systems>.+?)(?: \(developer unknown\))?" + _TAIL),
)
_UNKNOWN = re.compile(
    r"(?:an? )?(?:unknown|unidentified|unnamed) (?:developer|deployer|part(?:y|ies))(?:\(s\)|s)?"
    r"|(?:the )?(?:developer|deployer)s? (?:is |are )?unknown|unknown",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^(?P<name>.+?) \((?P<acr>[A-Z][A-Za-z0-9&.\-]{1,11})\)$")
_DANGLING_AND = re.compile(r"and|and .*|.* and")
_RESERVED = re.compile(r" developed | deployed |, harming |;|\(developer unknown\)")


def parse(sentence: str, *, file: str | None = None, line: int | None = None) -> Attribution:
    """Parse one attribution sentence; raise :class:`InputError` if it does not fit.

    >>> parse("OpenAI developed and deployed ChatGPT, harming Users.").deployers
    (Party(name='OpenAI', acronym=None),)
    >>> parse("An unknown developer developed and Acme deployed X, harming Y.").developers
    ()
    >>> parse("nonsense", file="p.txt", line=9)
    Traceback (most recent call last):
    ...
    graph.errors.InputError: p.txt:9 [Attribution]: expected '<developers> developed and ...
    """
    text = " ".join(sentence.split())
    for form in _FORMS:
        m = form.fullmatch(text)
        if m is None:
            continue
        parts = m.groupdict()
        if parts.get("dep") and " developed" in parts["dep"]:
            continue
        try:
            both = parts.get("both")
            developers = _parties(both if both is not None else parts.get("dev"))
            deployers = developers if both is not None else _parties(parts["dep"])
            return Attribution(
                developers=developers,
                deployers=deployers,
                systems=tuple(_split(parts["systems"], _and_before_capital)),
                harmed_groups=tuple(_split(parts["groups"], _and_before_capital)),
                factors=tuple(_split(parts["factors"] or "", _and_always)),
            )
        except ValueError as exc:
            raise InputError(f"{exc} in {sentence!r}", file=file, line=line, field=FIELD) from None
    shown = sentence if len(sentence) <= 80 else sentence[:77] + "..."
    raise InputError(f"expected {CANONICAL}, got {shown!r}", file=file, line=line, field=FIELD)


def render(attribution: Attribution) -> str:
    """Write the canonical sentence; raise ``ValueError`` if it would not parse back.

    >>> a = Attribution((Party("Palantir"),), (Party("US Immigration and Customs Enforcement",
    ...     "ICE"),), ("Palantir ImmigrationOS",), ("Immigrant communities",), ("model opacity",))
    >>> render(a)  # doctest: +NORMALIZE_WHITESPACE
    'Palantir developed and US Immigration and Customs Enforcement (ICE) deployed
    Palantir ImmigrationOS, harming Immigrant communities; possible contributing
    factors include model opacity.'
    >>> parse(render(a)) == a
    True
    """
    a = attribution
    if a.developers and a.developers == a.deployers:
        core = f"{_join(a.developers)} developed and deployed {_join(a.systems)}"
    else:
        dev = _join(a.developers) if a.developers else "An unknown developer"
        dep = _join(a.deployers) if a.deployers else "an unknown deployer"
        core = f"{dev} developed and {dep} deployed {_join(a.systems)}"
    text = f"{core}, harming {_join(a.harmed_groups)}"
    if a.factors:
        text += f"; possible contributing factors include {_join(a.factors)}"
    text += "."
    try:
        back = parse(text)
    except InputError as exc:
        raise ValueError(f"cannot render {a!r} unambiguously: {exc.detail}") from None
    if back != a:
        raise ValueError(f"cannot render {a!r} unambiguously: it reads back as {back!r}")
    return text


def _join(items: tuple[object, ...]) -> str:
    names = [str(i) for i in items]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _parties(text: str | None) -> tuple[Party, ...]:
    if text is None or _UNKNOWN.fullmatch(text):
        return ()
    return tuple(_party(name) for name in _split(text, _split_actors))


def _party(text: str) -> Party:
    m = _ACRONYM.match(text)
    if m and _is_acronym(m["acr"]):
        return Party(m["name"], m["acr"])
    return Party(text)


def _is_acronym(token: str) -> bool:
    upper = sum(c.isupper() for c in token)
    return upper >= 2 and upper > sum(c.islower() for c in token)


def _split(text: str, split_bare: Callable[[str], list[str]]) -> list[str]:
    """Split a list at commas (Oxford or not); bare ``and`` as ``split_bare`` decides."""
    if not text:
        return []
    items = [i.strip() for i in text.split(",")]
    if len(items) > 1 and items[-1].startswith("and "):
        items[-1] = items[-1][4:]
        names = items
    else:
        names = items[:-1] + split_bare(items[-1])
    for name in names:
        if not name or _RESERVED.search(f" {name} ") or _DANGLING_AND.fullmatch(name):
            raise ValueError(f"empty or malformed list item {name!r}")
        slugify(name)  # a name needs letters or digits to get an IRI; raises ValueError
    return names


def _and_always(text: str) -> list[str]:
    return text.split(" and ")


def _and_before_capital(text: str) -> list[str]:
    return re.split(r" and (?=[A-Z0-9])", text)


def _split_actors(text: str) -> list[str]:
    pieces = text.split(" and ")
    names: list[str] = []
    while pieces:
        end = len(pieces) - 1
        start = end
        m = _ACRONYM.match(pieces[end])
        if m and _is_acronym(m["acr"]):
            letters = [c for c in m["acr"] if c.isupper()]
            for i in range(end, -1, -1):
                if i < end and _ACRONYM.match(pieces[i]):
                    break
                span = " and ".join([*pieces[i:end], m["name"]])
                if _contains_in_order(_initials(span), letters):
                    start = i
                    break
        names.append(" and ".join(pieces[start:]))
        del pieces[start:]
    return names[::-1]


def _initials(name: str) -> list[str]:
    """Capital letters that begin words; an all-capitals word gives all its letters."""
    out: list[str] = []
    for word in name.split():
        if word.isupper():
            out.extend(c for c in word if c.isalpha())
        elif word[:1].isupper():
            out.append(word[0])
    return out


def _contains_in_order(haystack: list[str], needle: list[str]) -> bool:
    it = iter(haystack)
    return all(any(h == n for h in it) for n in needle)
