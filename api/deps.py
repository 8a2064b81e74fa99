"""Dependency providers for routes: what ``create_app`` put on ``app.state``."""

from __future__ import annotations

from fastapi import Request

from api.sparql.pool import QueryExecutor
from graph.settings import Settings
from graph.store import Store


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The app's open store."""
    store: Store = request.app.state.store
    return store


def get_executor(request: Request) -> QueryExecutor:
    """Where SPARQL queries run, with the time limit."""
    executor: QueryExecutor = request.app.state.queries
    return executor
