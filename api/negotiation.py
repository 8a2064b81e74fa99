"""HTTP content negotiation: pick one offered media type by the Accept header.

Follows RFC 9110 §12.5.1: each offer gets the quality of the most specific
matching media range (``type/subtype`` over ``type/*`` over ``*/*``); the highest
non-zero quality wins and ties go to the server's order of preference.

>>> negotiate("text/csv;q=0.5, application/*;q=0.9", ["text/csv", "application/json"])
'application/json'
>>> negotiate(None, ["text/turtle", "text/html"])
'text/turtle'
>>> negotiate("image/png", ["text/turtle"]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header as ``(type, subtype, q)``.

    >>> parse_accept("text/*;q=0.3, application/json")
    [('text', '*', 0.3), ('application', 'json', 1.0)]
    """
    ranges: list[tuple[str, str, float]] = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if "/" not in media:
            continue
        main, sub = (x.strip().lower() for x in media.split("/", 1))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((main, sub, q))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, str, float]]) -> float:
    main, sub = offer.lower().split("/", 1)
    best_specificity, quality = -1, 0.0
    for r_main, r_sub, q in ranges:
        if r_main == main and r_sub == sub:
            specificity = 2
        elif r_main == main and r_sub == "*":
            specificity = 1
        elif r_main == "*" and r_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, quality = specificity, q
    return quality


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The best of ``offers`` for ``accept``; the first offer when Accept is absent.

    Returns None when nothing offered is acceptable (the caller answers 406).
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) would rather read HTML than JSON.

    >>> prefers_html("text/html,application/xhtml+xml,*/*;q=0.8")
    True
    >>> prefers_html("*/*")
    False
    """
    return negotiate(accept, ["application/json", "text/html"]) == "text/html"
