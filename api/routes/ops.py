"""Operational endpoints: ``/-/health`` and ``/-/version``."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pyoxigraph
from fastapi import APIRouter

from api.deps import StoreDep

router = APIRouter(prefix="/-", tags=["ops"])


@router.get("/health")
def health(store: StoreDep) -> dict[str, Any]:
    """The store answers; how many quads it holds."""
    return {"status": "ok", "store": store.location, "quads": store.count()}


@router.get("/version")
def versions() -> dict[str, str]:
    """Versions of harmgraph and the libraries that shape its answers."""
    try:
        own = version("harmgraph")
    except PackageNotFoundError:
        own = "unknown"
    return {
        "harmgraph": own,
        "pyoxigraph": pyoxigraph.__version__,
        "python": platform.python_version(),
    }
