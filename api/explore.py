"""What the explorer's routes share: the network cache, names, filters, state and page.

Every explorer view is a shareable URL: :class:`ViewState` holds what the query
string says (focus, hops, filters, sizing) and writes it back
(:meth:`ViewState.params`), so the page's form, its download links and its
canonical link reproduce the view (:func:`page_context`). The same path with a
suffix (``.json``, ``.csv``, ``.gexf``, ``.graphml``, ``.ttl``) is the view as data
(:func:`api.view_formats.download`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from api.drawing import KINDS
from api.facets import facet_options
from api.templating import local_href
from api.view_formats import CAVEAT, FORMAT_NAMES, FORMATS
from graph.errors import BadRequest, LimitExceeded, NotFound, UnknownName
from graph.network import Filters
from graph.network_build import Network, NetworkCache
from graph.search import resolve
from graph.settings import Settings
from graph.store import Store

_YEAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FILTER_KEYS = ("type", "pattern", "domain", "severity", "status", "region", "dataset")


def get_networks(request: Request) -> NetworkCache:
    """The app's network cache (one per app: ``create_app`` puts it on ``app.state``)."""
    cache: NetworkCache = request.app.state.networks
    return cache


def linker(settings: Settings) -> Callable[[str], str]:
    """Where a page links an IRI: a path on this server when it is under a base."""
    return partial(local_href, settings=settings)


def current_network(request: Request, store: Store) -> Network:
    """The store's network, rebuilt only when the store changed."""
    return get_networks(request).get(store)


def suggestions(network: Network, text: str, href: Any) -> list[dict[str, str]]:
    """Close names for ``text`` (for "did you mean"), as label, kind and link."""
    hits = network.index.search(text, limit=5)
    if not hits and len(text) > 3:
        hits = network.index.search(text[:3], limit=5)
    return [{"label": h.label, "kind": h.kind, "iri": h.iri, "href": href(h.iri)} for h in hits]


def find(network: Network, text: str, href: Any, param: str) -> str:
    """The IRI ``text`` names (IRI, slug, name or alias), or :class:`UnknownName`."""
    try:
        return resolve(network, text)
    except NotFound as exc:
        raise UnknownName(
            f"{param}: {exc.detail}", name=text, suggestions=suggestions(network, text, href)
        ) from exc


def _values(request: Request, key: str) -> frozenset[str]:
    """A filter's values: repeated parameters and comma-separated lists both work."""
    out: set[str] = set()
    for raw in request.query_params.getlist(key):
        out.update(v.strip() for v in raw.split(",") if v.strip())
    return frozenset(out)


def _date(value: str, name: str) -> str:
    value = value.strip()
    if value and not _YEAR.match(value):
        raise BadRequest(f"{name} is a year (YYYY), month (YYYY-MM) or day (YYYY-MM-DD)")
    return value


def _int(request: Request, key: str, default: int) -> int:
    raw = request.query_params.get(key, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{key} is a whole number, not {raw!r}") from None


def _choice(request: Request, key: str, allowed: tuple[str, ...]) -> str:
    value = request.query_params.get(key, "").strip() or allowed[0]
    if value not in allowed:
        raise BadRequest(f"{key} is one of {', '.join(allowed)}, not {value!r}")
    return value


#: Query-string values that tick a checkbox.
_YES = ("1", "true", "on", "yes")


@dataclass(frozen=True)
class ViewState:
    """The state of an explorer view, as its URL encodes it."""

    #: ``focus`` for /network; ``from`` and ``to`` for /path.
    ends: dict[str, str] = field(default_factory=dict)
    hops: int = 1
    mode: str = "incidents"
    size: str = "degree"
    colour: str = "kind"
    max_nodes: int = 300
    limit: int = 5
    values: dict[str, frozenset[str]] = field(default_factory=dict)
    date_from: str = ""
    date_to: str = ""
    unknown: bool = False
    #: Paths may go along oversight and reporting links (``oversight=1``; /path only).
    through_outside: bool = False
    #: Defaults left out of :meth:`query` (so short URLs stay short).
    defaults: dict[str, str] = field(default_factory=dict)

    @property
    def filters(self) -> Filters:
        """The incident and party filters of the view."""
        v = self.values
        return Filters(
            kinds=v.get("type", frozenset()),
            date_from=self.date_from,
            date_to=self.date_to,
            patterns=v.get("pattern", frozenset()),
            domains=v.get("domain", frozenset()),
            severities=v.get("severity", frozenset()),
            statuses=v.get("status", frozenset()),
            regions=v.get("region", frozenset()),
            datasets=v.get("dataset", frozenset()),
            include_unknown=self.unknown,
        )

    def params(self, date_names: tuple[str, str]) -> list[tuple[str, str]]:
        """The state as query parameters, defaults left out, in a stable order."""
        out: list[tuple[str, str]] = [(k, v) for k, v in self.ends.items() if v]
        scalars = {
            "hops": str(self.hops),
            "mode": self.mode,
            "size": self.size,
            "colour": self.colour,
            "max": str(self.max_nodes),
            "limit": str(self.limit),
        }
        out += [(k, v) for k, v in scalars.items() if self.defaults.get(k) not in (None, v)]
        out += [(k, ",".join(sorted(self.values[k]))) for k in _FILTER_KEYS if self.values.get(k)]
        out += [
            (n, d) for n, d in zip(date_names, (self.date_from, self.date_to), strict=True) if d
        ]
        if self.unknown:
            out.append(("unknown", "1"))
        if self.through_outside:
            out.append(("oversight", "1"))
        return out

    def checked(self, key: str, value: str) -> bool:
        """Whether a filter checkbox is ticked."""
        return value in self.values.get(key, frozenset())


def read_state(
    request: Request,
    settings: Settings,
    *,
    ends: tuple[str, ...],
    date_names: tuple[str, str],
    hops_default: int,
    hops_limit: tuple[str, int],
) -> ViewState:
    """The view state from the query string, checked against the limits in ``settings``.

    Raises:
        LimitExceeded: ``max`` above ``max_view_nodes`` or ``hops`` above the hop limit.
        BadRequest: a malformed value.
    """
    q = request.query_params
    limit_name, hop_limit = hops_limit
    hops = _int(request, "hops", hops_default)
    if hops > hop_limit:
        setting = f" (setting {limit_name})" if limit_name in Settings.model_fields else ""
        raise LimitExceeded(
            f"hops is at most {hop_limit}{setting}", limit=limit_name, maximum=hop_limit
        )
    if hops < 1:
        raise BadRequest("hops is at least 1")
    max_nodes = _int(request, "max", settings.max_view_nodes)
    if max_nodes > settings.max_view_nodes:
        raise LimitExceeded(
            f"max is at most {settings.max_view_nodes} nodes (setting max_view_nodes)",
            limit="max_view_nodes",
            maximum=settings.max_view_nodes,
        )
    if max_nodes < 1:
        raise BadRequest("max is at least 1")
    limit = _int(request, "limit", 5)
    if not 1 <= limit <= 20:
        raise BadRequest(f"limit is between 1 and 20, not {limit}")
    state = ViewState(
        ends={e: q.get(e, "").strip() for e in ends},
        hops=hops,
        mode=_choice(request, "mode", ("incidents", "actors")),
        size=_choice(request, "size", ("degree", "betweenness")),
        colour=_choice(request, "colour", ("kind", "community")),
        max_nodes=max_nodes,
        limit=limit,
        values={k: _values(request, k) for k in _FILTER_KEYS},
        date_from=_date(q.get(date_names[0], ""), date_names[0]),
        date_to=_date(q.get(date_names[1], ""), date_names[1]),
        unknown=q.get("unknown", "0").strip() in _YES,
        through_outside=q.get("oversight", "0").strip() in _YES,
        defaults={
            "hops": str(hops_default),
            "mode": "incidents",
            "size": "degree",
            "colour": "kind",
            "max": str(settings.max_view_nodes),
            "limit": "5",
        },
    )
    state.filters  # noqa: B018 - checks the entity types now, before any work
    return state


def url(path: str, state: ViewState, date_names: tuple[str, str], **changes: str) -> str:
    """``path`` with the state's query string, with some parameters changed or removed."""
    params = [(k, v) for k, v in state.params(date_names) if k not in changes]
    params += [(k, v) for k, v in changes.items() if v]
    return path + ("?" + urlencode(params) if params else "")


def page_context(
    path: str,
    state: ViewState,
    network: Network,
    settings: Settings,
    date_names: tuple[str, str],
) -> dict[str, Any]:
    """What every explorer page (``path``: /network or /path) shows around its view.

    The state and its filters' options, the caveat, the links to share the view and to
    download it in each of :data:`~api.view_formats.FORMATS`, and no unknown name yet.
    """
    return {
        "state": state,
        "unknown": None,
        "caveat": CAVEAT,
        "kinds": KINDS,
        "facets": facet_options(network, settings.data_dir / "vocab"),
        "downloads": [(url(f"{path}.{f}", state, date_names), FORMAT_NAMES[f], f) for f in FORMATS],
        "share": url(path, state, date_names),
        "dates": date_names,
    }
