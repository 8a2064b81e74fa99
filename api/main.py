"""The FastAPI application: ``create_app(settings, store)``.

Run it with ``uvicorn --factory api.main:create_app``; settings come from
``HARMGRAPH_*`` environment variables (see :mod:`graph.settings`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api import assets, drawing, editor, errors, limits, openapi
from api.quality import QualityCache
from api.quality_process import validating_apart
from api.routes import (
    apidocs,
    dumps,
    examples,
    home,
    incidents,
    network,
    ontology,
    ops,
    path,
    quality,
    resources,
    search,
    sparql,
    void,
)
from api.sparql.pool import ProcessExecutor, QueryExecutor, ThreadExecutor
from api.sparql.remote import RemoteExecutor
from graph.network_build import NetworkCache
from graph.remote import RemoteStore
from graph.settings import Settings, get_settings
from graph.store import Store


def make_executor(store: Store, settings: Settings) -> QueryExecutor:
    """Worker processes for an on-disk store, threads for an in-memory one; a remote
    store's engine runs the queries (:class:`RemoteExecutor` proxies them)."""
    if isinstance(store, RemoteStore):
        return RemoteExecutor(store, settings.query_workers)
    if store.location == "memory":
        return ThreadExecutor(store.ox, settings.query_timeout, settings.query_workers)
    return ProcessExecutor(store.location, settings.query_timeout, settings.query_workers)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; open the store from ``settings.store_location`` unless given one.

    A store passed in stays owned by the caller; a store opened here is closed
    when the app shuts down. Query workers always stop at shutdown.
    """
    settings = settings or get_settings()
    owned = store is None
    store = store or Store.open(settings.store_location, settings)
    executor = make_executor(store, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The data-quality report starts computing in a background thread.
        await run_in_threadpool(app.state.quality.start, store)
        yield
        app.state.quality.close()
        executor.close()
        if owned:
            store.close()

    # FastAPI's docs pages load scripts from a CDN: /docs is api.routes.apidocs instead.
    app = FastAPI(title="harmgraph", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.queries = executor
    app.state.networks = NetworkCache()  # the explorer's networks, rebuilt when the store changes
    app.state.quality = QualityCache(validating_apart(settings))  # /quality, per version
    # Routes match in order: the SPARQL endpoint, the busiest route, first (before the
    # mounts and the other routers; no other route's path overlaps /sparql).
    app.include_router(sparql.router)
    errors.install(app)
    openapi.install(app)
    editor.install(app)  # before assets: /static/vendor/yasgui is inside /static
    drawing.install(app)  # before assets: /static/vendor/vis is inside /static
    limits.install(app, settings)  # before assets: its 503s get the security headers
    assets.install(app)
    app.include_router(ops.router)
    app.include_router(examples.router)
    app.include_router(home.router)
    app.include_router(ontology.router)
    app.include_router(apidocs.router)
    app.include_router(dumps.router)
    app.include_router(void.router)
    app.include_router(incidents.router)
    app.include_router(search.router)
    app.include_router(network.router)
    app.include_router(path.router)
    app.include_router(quality.router)
    app.include_router(resources.router)
    return app
