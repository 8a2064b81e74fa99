"""Dependency providers for routes: what ``create_app`` put on ``app.state``.

They are ``async def`` although they only read attributes: FastAPI runs a plain ``def``
dependency in the thread pool, and three thread hops per request were a measurable part
of the SPARQL endpoint's fixed cost (docs/performance.md).

Routes take them as the annotated types below (``store: StoreDep``), FastAPI's way of
writing a dependency once. The SPARQL endpoint awaits them itself, without FastAPI's
per-request dependency solving (``api.routes.sparql._StateRoute``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.sparql.pool import QueryExecutor
from graph.settings import Settings
from graph.store import Store


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """The app's open store."""
    store: Store = request.app.state.store
    return store


async def get_executor(request: Request) -> QueryExecutor:
    """Where SPARQL queries run, with the time limit."""
    executor: QueryExecutor = request.app.state.queries
    return executor


#: A route parameter that receives the app's settings.
SettingsDep = Annotated[Settings, Depends(get_settings)]
#: A route parameter that receives the app's open store.
StoreDep = Annotated[Store, Depends(get_store)]
#: A route parameter that receives the SPARQL query executor.
ExecutorDep = Annotated[QueryExecutor, Depends(get_executor)]
