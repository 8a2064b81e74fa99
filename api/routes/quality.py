"""The data-quality report: ``/quality`` (HTML, or JSON by ``Accept``) and ``/quality.json``.

Completeness across the whole store: results per shape (with the shape's
message) and severity, per source dataset (incidents complete or not), and the
incidents with what each lacks — paginated and filtered by query parameters
(``dataset``, ``severity``, ``shape``, ``page``, ``per_page``), so every view is
a shareable URL. The report comes from :class:`api.quality.QualityCache`: while
it is being computed the answer is 202 with ``Retry-After`` (the HTML page says
so and refreshes itself).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import StoreDep
from api.quality import Pending, QualityCache, Ready
from api.templating import local_href, render
from api.view_formats import HTML_OR_JSON, choose
from graph.errors import BadRequest
from graph.quality import IncidentQuality
from graph.report import SEVERITIES
from graph.settings import Settings
from graph.store import Store

router = APIRouter(tags=["quality"])

#: Seconds a client is asked to wait while the report is computed.
RETRY_AFTER = 5
MAX_PER_PAGE = 500


Dataset = Annotated[str | None, Query(description="only incidents of this source dataset")]
Severity = Annotated[str | None, Query(description="Violation, Warning or Info")]
Shape = Annotated[str | None, Query(description="only results of this shape (hgsh:…)")]
Page = Annotated[int, Query(description="page of the incident list, from 1")]
PerPage = Annotated[int, Query(description=f"incidents per page (at most {MAX_PER_PAGE})")]


async def report_filters(
    dataset: Dataset = None,
    severity: Severity = None,
    shape: Shape = None,
    page: Page = 1,
    per_page: PerPage = 50,
) -> dict[str, Any]:
    """The filters and page the query string asks for, checked (shared by both routes)."""
    # An empty value (a form's "all" option) is no filter.
    dataset, severity, shape = dataset or None, severity or None, shape or None
    if severity is not None and severity not in SEVERITIES:
        raise BadRequest(f"unknown severity {severity!r}; use one of " + ", ".join(SEVERITIES))
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadRequest(f"page must be 1 or more and per_page between 1 and {MAX_PER_PAGE}")
    return {
        "dataset": dataset,
        "severity": severity,
        "shape": shape,
        "page": page,
        "per_page": per_page,
    }


#: A route parameter that receives the checked filters of :func:`report_filters`.
Filters = Annotated[dict[str, Any], Depends(report_filters)]


def _href(path: str, filters: dict[str, Any], **changes: Any) -> str:
    """A shareable URL of the report with ``filters`` (defaults left out) and ``changes``."""
    values = {**filters, **changes}
    defaults = {"page": 1, "per_page": 50}
    query = {k: v for k, v in values.items() if v is not None and defaults.get(k) != v}
    return path + ("?" + urlencode(query) if query else "")


def _select(incidents: list[IncidentQuality], filters: dict[str, Any]) -> list[IncidentQuality]:
    """Incidents of the dataset with a result of the severity / from the shape asked for."""
    dataset, severity, shape = filters["dataset"], filters["severity"], filters["shape"]
    chosen = []
    for entry in incidents:
        if dataset is not None and dataset not in entry.datasets:
            continue
        lacks = [
            lack
            for lack in entry.lacks
            if (severity is None or lack.severity == severity)
            and (shape is None or lack.shape == shape)
        ]
        if lacks:
            chosen.append(
                IncidentQuality(entry.iri, entry.identifier, entry.title, entry.datasets, lacks)
            )
    return chosen


def _page_json(request: Request, ready: Ready, filters: dict[str, Any]) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    selected = _select(ready.summary.incident_list, filters)
    page, per_page = filters["page"], filters["per_page"]
    shown = selected[(page - 1) * per_page : page * per_page]
    pages = max(1, -(-len(selected) // per_page))
    return {
        "status": "ready",
        "computed": ready.computed.isoformat(timespec="seconds"),
        "seconds": round(ready.seconds, 1),
        "summary": ready.summary.to_json(),
        "filters": {k: v for k, v in filters.items() if v is not None},
        "matching": len(selected),
        "pages": pages,
        "incidents": [
            {
                "incident": e.iri,
                "href": local_href(e.iri, settings),
                "identifier": e.identifier,
                "title": e.title,
                "datasets": list(e.datasets),
                "counts": e.counts,
                "lacks": [vars(lack) for lack in e.lacks],
            }
            for e in shown
        ],
        "prev": _href("/quality", filters, page=page - 1) if page > 1 else None,
        "next": _href("/quality", filters, page=page + 1) if page < pages else None,
    }


def _answer(
    request: Request, store: Store, forced: str | None, filters: dict[str, Any]
) -> Response:
    media = choose(request, forced, HTML_OR_JSON)
    cache: QualityCache = request.app.state.quality
    state = cache.get(store)
    headers = {"Vary": "Accept"}
    if isinstance(state, Pending):
        headers["Retry-After"] = str(RETRY_AFTER)
        body = {"status": "computing", "validated": state.done, "incidents": state.total}
        if media == "application/json":
            return JSONResponse(body, status_code=202, headers=headers)
        page = render(
            request,
            "quality.html",
            {"pending": state, "refresh": RETRY_AFTER, "here": _href("/quality", filters)},
            status=202,
        )
        page.headers.update(headers)
        return page
    data = _page_json(request, state, filters)
    if media == "application/json":
        return JSONResponse(data, headers=headers)
    links = {
        "shape": lambda shape: _href("/quality", filters, shape=shape, page=1),
        "dataset": lambda name, severity=None: _href(
            "/quality", filters, dataset=name, severity=severity, page=1
        ),
        "json": _href("/quality.json", filters),
    }
    return render(
        request,
        "quality.html",
        {
            "pending": None,
            "data": data,
            "summary": state.summary,
            "links": links,
            "severities": SEVERITIES,
            "filters": filters,
        },
    )


@router.get("/quality", summary="Data quality: completeness across the store", response_model=None)
def quality(request: Request, store: StoreDep, filters: Filters) -> Response:
    """Counts per shape, severity and source dataset; the incidents with what each lacks."""
    return _answer(request, store, None, filters)


@router.get("/quality.json", summary="Data quality as JSON (202 while it is computed)")
def quality_json(request: Request, store: StoreDep, filters: Filters) -> Response:
    """The report as JSON: 200 when ready, 202 with Retry-After while it is computed."""
    return _answer(request, store, "application/json", filters)
